// LifecycleHookFunction.analysis: what it renders per service (the load balancer and target groups
// to read, the thresholds), its IAM, and what it refuses.
import { Duration, Stack } from 'aws-cdk-lib';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import { NagSuppressions } from 'cdk-nag';
import { BlueGreenEcsService, DeploymentStrategy, InconclusiveAction, LifecycleHookFunction, LifecycleStage, TrafficRouting } from '../../src';
import { albFixture, checkStack, fargateTask, newStack } from '../support';
import { errorOf } from '../support/errors';
import { hookDetailsOf } from '../support/hook-details';

const id = (stack: Stack, c: { node: { defaultChild?: unknown } }) => stack.getLogicalId(c.node.defaultChild as any);

describe('LifecycleHookFunction.analysis', () => {
  test('renders the service\'s load balancer and target groups with the thresholds; IAM scoped to what can be', () => {
    const stack = newStack();
    const f = albFixture(stack);
    const analysis = LifecycleHookFunction.analysis(stack, 'Analysis', { maxLatency: Duration.millis(800), onInconclusive: InconclusiveAction.FAILED });
    const service = new BlueGreenEcsService(stack, 'Api', {
      cluster: f.cluster,
      taskDefinition: f.taskDefinition,
      routing: TrafficRouting.applicationLoadBalancer({ listener: f.listener, testListener: f.testListener, priority: 10 }),
      strategy: DeploymentStrategy.canary({ canaryPercent: 10, canaryBakeTime: Duration.minutes(10) }),
      hooks: [analysis.toHook()],
    });
    const other = new BlueGreenEcsService(stack, 'Web', {
      cluster: f.cluster,
      taskDefinition: fargateTask(stack, 'WebTask'),
      routing: TrafficRouting.applicationLoadBalancer({ listener: f.listener, testListener: f.testListener, priority: 20 }),
      hooks: [analysis.toHook()],
    });
    const template = checkStack(stack, { nag: true });
    const hookOf = (s: BlueGreenEcsService) => template.toJSON().Resources[id(stack, s.service)].Properties.DeploymentConfiguration.LifecycleHooks[0];
    const hook = hookOf(service);
    expect(hook.LifecycleStages).toEqual(['PRODUCTION_TRAFFIC_SHIFT']);
    expect(hook.TimeoutConfiguration).toEqual({ TimeoutInMinutes: 40, Action: 'ROLLBACK' });
    expect(hookDetailsOf(hook.HookDetails)).toEqual({
      maxErrorRate: 0.05,
      maxErrorRateRatio: 2,
      maxLatencyMs: 800,
      maxLatencyRatio: 1.5,
      minRequests: 50,
      intervalSeconds: 60,
      measurements: 5,
      failureLimit: 0,
      onInconclusive: 'FAILED',
      timeoutMinutes: 30,
      loadBalancer: { 'Fn::GetAtt': [id(stack, f.alb), 'LoadBalancerFullName'] },
      targetGroupArns: [{ Ref: id(stack, service.blueTargetGroup!) }, { Ref: id(stack, service.greenTargetGroup!) }],
      targetGroupNames: [
        { 'Fn::GetAtt': [id(stack, service.blueTargetGroup!), 'TargetGroupFullName'] },
        { 'Fn::GetAtt': [id(stack, service.greenTargetGroup!), 'TargetGroupFullName'] },
      ],
    });
    expect(hookDetailsOf(hookOf(other).HookDetails).targetGroupArns)
      .toEqual([{ Ref: id(stack, other.blueTargetGroup!) }, { Ref: id(stack, other.greenTargetGroup!) }]);
    const statements = template.toJSON().Resources[id(stack, analysis.role.node.findChild('DefaultPolicy') as any)].Properties.PolicyDocument.Statement;
    expect(statements.slice(1)).toEqual([
      { Action: 'cloudwatch:GetMetricData', Effect: 'Allow', Resource: '*' },
      // One statement for the cluster both services are in.
      {
        Action: 'ecs:DescribeServiceRevisions',
        Effect: 'Allow',
        Resource: { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':ecs:', { Ref: 'AWS::Region' }, ':', { Ref: 'AWS::AccountId' }, ':service-revision/', { Ref: id(stack, f.cluster) }, '/*']] },
      },
    ]);
  });

  test('reads only the revisions of the services it is bound to when they are named (service-revision/<cluster>/<service>/*)', () => {
    const stack = newStack();
    const f = albFixture(stack);
    const analysis = LifecycleHookFunction.analysis(stack, 'Analysis');
    for (const [name, priority] of [['api', 10], ['web', 20]] as const) {
      new BlueGreenEcsService(stack, name, {
        cluster: f.cluster,
        taskDefinition: name === 'api' ? f.taskDefinition : fargateTask(stack, 'WebTask'),
        serviceName: name,
        routing: TrafficRouting.applicationLoadBalancer({ listener: f.listener, testListener: f.testListener, priority }),
        hooks: [analysis.toHook()],
      });
    }
    const template = checkStack(stack, { nag: true });
    const statements = template.toJSON().Resources[id(stack, analysis.role.node.findChild('DefaultPolicy') as any)].Properties.PolicyDocument.Statement;
    const revisions = (service: string) => ({
      Action: 'ecs:DescribeServiceRevisions',
      Effect: 'Allow',
      Resource: { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':ecs:', { Ref: 'AWS::Region' }, ':', { Ref: 'AWS::AccountId' }, ':service-revision/', { Ref: id(stack, f.cluster) }, `/${service}/*`]] },
    });
    expect(statements.slice(1)).toEqual([
      { Action: 'cloudwatch:GetMetricData', Effect: 'Allow', Resource: '*' },
      revisions('api'),
      revisions('web'),
    ]);
  });

  test.each([
    ['an NLB service', (stack: Stack, f: ReturnType<typeof albFixture>) => {
      const nlb = new elbv2.NetworkLoadBalancer(stack, 'Nlb', { vpc: f.vpc });
      NagSuppressions.addResourceSuppressions(nlb, [{ id: 'AwsSolutions-ELB2', reason: 'Test fixture NLB: access logs need a user-owned bucket.' }]);
      return TrafficRouting.networkLoadBalancer({ listener: nlb.addListener('Prod', { port: 80 }) });
    }, /a network load balancer, which publishes neither; use metricCheck/],
    ['a headless service', () => TrafficRouting.none(), /this service has no load balancer/],
  ])('refuses %s', (_name, routing, message) => {
    const stack = newStack();
    const f = albFixture(stack);
    const analysis = LifecycleHookFunction.analysis(stack, 'Analysis');
    const error = errorOf(() => new BlueGreenEcsService(stack, 'Api', { cluster: f.cluster, taskDefinition: f.taskDefinition, routing: routing(stack, f), hooks: [analysis.toHook()] }));
    expect(error.prop).toBe('analysis');
    expect(error.message).toMatch(message);
  });

  test.each([
    [{ maxErrorRate: 5 }, 'analysis.maxErrorRate', /fraction from 0 to 1/],
    [{ maxErrorRateRatio: 0.5 }, 'analysis.maxErrorRateRatio', /at least 1, got 0.5/],
    [{ maxLatencyRatio: NaN }, 'analysis.maxLatencyRatio', /at least 1, got NaN/],
    [{ minRequests: 0 }, 'analysis.minRequests', /integer from 1/],
    [{ interval: Duration.seconds(90) }, 'analysis.interval', /whole number of minutes/],
    [{ measurements: 10, interval: Duration.minutes(5), timeout: Duration.minutes(30) }, 'analysis.timeout', /30 minutes cannot hold 10 measurements of 5 minutes; give at least 50/],
    [{ timeout: Duration.days(14) }, 'analysis.timeout', /1–20150 minutes/],
    [{ onInconclusive: 'MAYBE' as InconclusiveAction }, 'analysis.onInconclusive', /FAILED, SUCCEEDED or WAIT/],
    [{ stages: [] as LifecycleStage[] }, 'hooks.stages', /needs at least one stage/],
  ])('rejects %j', (options, prop, message) => {
    const make = () => {
      const stack = newStack();
      const f = albFixture(stack);
      const analysis = LifecycleHookFunction.analysis(stack, 'Analysis', options);
      new BlueGreenEcsService(stack, 'Api', {
        cluster: f.cluster,
        taskDefinition: f.taskDefinition,
        routing: TrafficRouting.applicationLoadBalancer({ listener: f.listener }),
        hooks: [analysis.toHook()],
      });
    };
    const error = errorOf(make);
    expect(error.prop).toBe(prop);
    expect(error.message).toMatch(message);
  });
});
