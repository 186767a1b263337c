// Default deployment alarms: one metric-math alarm per load balancer on the service's own blue and
// green target groups, wired into the deployment's alarm rollback after the user's alarms, with no
// reference from the alarm to the service (no dependency cycle).
import { Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import { NagSuppressions } from 'cdk-nag';
import { BlueGreenEcsService, TrafficRouting } from '../../src';
import { albFixture, checkStack, newStack } from '../support';

const id = (stack: Stack, c: { node: { defaultChild?: unknown } }) => stack.getLogicalId(c.node.defaultChild as any);

function dimensionsOf(alarm: any, metricId: string): Record<string, unknown> {
  const metric = alarm.Properties.Metrics.find((m: any) => m.Id === metricId);
  return Object.fromEntries(metric.MetricStat.Metric.Dimensions.map((d: any) => [d.Name, d.Value]));
}

function serviceOf(template: Template): any {
  return Object.values(template.findResources('AWS::ECS::Service'))[0];
}

describe('default deployment alarms', () => {
  test('ALB: 5xx count and rate, and unhealthy hosts, of both target groups in one alarm that rolls deployments back', () => {
    const stack = newStack();
    const f = albFixture(stack);
    const service = new BlueGreenEcsService(stack, 'Api', {
      cluster: f.cluster,
      taskDefinition: f.taskDefinition,
      routing: TrafficRouting.applicationLoadBalancer({ listener: f.listener, testListener: f.testListener }),
    });
    const template = checkStack(stack, { nag: true });
    const alarms = template.findResources('AWS::CloudWatch::Alarm');
    expect(Object.keys(alarms)).toEqual([id(stack, service.defaultAlarms[0])]);
    const alarm = Object.values(alarms)[0] as any;
    expect(alarm.Properties).toMatchObject({
      ComparisonOperator: 'GreaterThanOrEqualToThreshold', Threshold: 1, EvaluationPeriods: 2, DatapointsToAlarm: 2, TreatMissingData: 'notBreaching',
    });
    expect(alarm.Properties.Metrics[0]).toEqual({
      Id: 'expr_1',
      Expression: 'IF((FILL(e0, 0) >= 10 AND FILL(e0, 0) >= 0.05 * FILL(r0, 0)) OR FILL(u0, 0) >= 1 OR ' +
        '(FILL(e1, 0) >= 10 AND FILL(e1, 0) >= 0.05 * FILL(r1, 0)) OR FILL(u1, 0) >= 1, 1, 0)',
      Label: 'target group failing (1) or not (0)',
      ReturnData: true,
    });
    const stats = Object.fromEntries(alarm.Properties.Metrics.slice(1).map((m: any) =>
      [m.Id, `${m.MetricStat.Metric.Namespace}/${m.MetricStat.Metric.MetricName} ${m.MetricStat.Stat} ${m.MetricStat.Period}`]));
    expect(stats).toEqual({
      e0: 'AWS/ApplicationELB/HTTPCode_Target_5XX_Count Sum 60',
      r0: 'AWS/ApplicationELB/RequestCount Sum 60',
      u0: 'AWS/ApplicationELB/UnHealthyHostCount Maximum 60',
      e1: 'AWS/ApplicationELB/HTTPCode_Target_5XX_Count Sum 60',
      r1: 'AWS/ApplicationELB/RequestCount Sum 60',
      u1: 'AWS/ApplicationELB/UnHealthyHostCount Maximum 60',
    });
    const lb = { 'Fn::GetAtt': [id(stack, f.alb), 'LoadBalancerFullName'] };
    for (const [metric, tg] of [['e0', service.blueTargetGroup!], ['u1', service.greenTargetGroup!]] as const) {
      expect(dimensionsOf(alarm, metric)).toEqual({ LoadBalancer: lb, TargetGroup: { 'Fn::GetAtt': [id(stack, tg), 'TargetGroupFullName'] } });
    }
    expect(serviceOf(template).Properties.DeploymentConfiguration.Alarms).toEqual({
      AlarmNames: [{ Ref: id(stack, service.defaultAlarms[0]) }], Enable: true, Rollback: true,
    });
  });

  test('the alarm does not reference the service (the service references it: no cycle)', () => {
    const stack = newStack();
    const f = albFixture(stack);
    const service = new BlueGreenEcsService(stack, 'Api', {
      cluster: f.cluster, taskDefinition: f.taskDefinition, routing: TrafficRouting.applicationLoadBalancer({ listener: f.listener, testHeader: { name: 'X-Green', value: '1' } }),
    });
    const template = checkStack(stack);
    const alarm = template.toJSON().Resources[id(stack, service.defaultAlarms[0])];
    expect(JSON.stringify(alarm)).not.toContain(id(stack, service.service));
    expect(alarm.DependsOn).toBeUndefined();
  });

  test('the user\'s alarms come first; defaultAlarms: false leaves only them, or none enabled', () => {
    const stack = newStack();
    const f = albFixture(stack);
    const mine = new cloudwatch.Alarm(stack, 'Latency', { metric: new cloudwatch.Metric({ namespace: 'App', metricName: 'Latency' }), threshold: 1, evaluationPeriods: 1 });
    const both = new BlueGreenEcsService(stack, 'Api', {
      cluster: f.cluster,
      taskDefinition: f.taskDefinition,
      alarms: [mine],
      routing: TrafficRouting.applicationLoadBalancer({ listener: f.listener, testListener: f.testListener, priority: 10 }),
    });
    const onlyMine = new BlueGreenEcsService(stack, 'Web', {
      cluster: f.cluster,
      taskDefinition: f.taskDefinition,
      alarms: [mine],
      defaultAlarms: false,
      routing: TrafficRouting.applicationLoadBalancer({ listener: f.listener, testListener: f.testListener, priority: 20 }),
    });
    const none = new BlueGreenEcsService(stack, 'Off', {
      cluster: f.cluster,
      taskDefinition: f.taskDefinition,
      defaultAlarms: false,
      routing: TrafficRouting.applicationLoadBalancer({ listener: f.listener, testListener: f.testListener, priority: 30 }),
    });
    const template = checkStack(stack);
    const alarmsOf = (s: BlueGreenEcsService) => template.toJSON().Resources[id(stack, s.service)].Properties.DeploymentConfiguration.Alarms;
    expect(alarmsOf(both).AlarmNames).toEqual([{ Ref: id(stack, mine) }, { Ref: id(stack, both.defaultAlarms[0]) }]);
    expect(alarmsOf(onlyMine)).toEqual({ AlarmNames: [{ Ref: id(stack, mine) }], Enable: true, Rollback: true });
    // aws-cdk-lib's own default (flag @aws-cdk/aws-ecs:removeDefaultDeploymentAlarm off): disabled, no names.
    expect(alarmsOf(none) ?? { AlarmNames: [], Enable: false }).toMatchObject({ AlarmNames: [], Enable: false });
    expect(onlyMine.defaultAlarms).toEqual([]);
    template.resourceCountIs('AWS::CloudWatch::Alarm', 2);
  });

  test('NLB: unhealthy hosts of both target groups (an NLB has no HTTP status metrics)', () => {
    const stack = newStack();
    const f = albFixture(stack);
    const nlb = new elbv2.NetworkLoadBalancer(stack, 'Nlb', { vpc: f.vpc });
    NagSuppressions.addResourceSuppressions(nlb, [{ id: 'AwsSolutions-ELB2', reason: 'Test fixture NLB: access logs need a user-owned bucket.' }]);
    const service = new BlueGreenEcsService(stack, 'Tcp', {
      cluster: f.cluster, taskDefinition: f.taskDefinition, routing: TrafficRouting.networkLoadBalancer({ listener: nlb.addListener('Prod', { port: 80 }) }),
    });
    const template = checkStack(stack, { nag: true });
    const alarm = template.toJSON().Resources[id(stack, service.defaultAlarms[0])];
    expect(alarm.Properties.Metrics.map((m: any) => m.Expression ?? `${m.MetricStat.Metric.Namespace}/${m.MetricStat.Metric.MetricName} ${m.MetricStat.Stat}`)).toEqual([
      'IF(FILL(u0, 0) >= 1 OR FILL(u1, 0) >= 1, 1, 0)', 'AWS/NetworkELB/UnHealthyHostCount Maximum', 'AWS/NetworkELB/UnHealthyHostCount Maximum',
    ]);
    expect(dimensionsOf(alarm, 'u0').LoadBalancer).toEqual({ 'Fn::GetAtt': [id(stack, nlb), 'LoadBalancerFullName'] });
  });

  test('an imported listener: the load balancer\'s name comes from the listener ARN', () => {
    const stack = newStack();
    const f = albFixture(stack);
    const imported = elbv2.ApplicationListener.fromApplicationListenerAttributes(stack, 'Imported', {
      listenerArn: 'arn:aws:elasticloadbalancing:us-east-1:123456789012:listener/app/shared/50dc6c495c0c9188/f2f7dc8efc522ab2',
      securityGroup: f.alb.connections.securityGroups[0],
    });
    const service = new BlueGreenEcsService(stack, 'Api', {
      cluster: f.cluster, taskDefinition: f.taskDefinition, routing: TrafficRouting.applicationLoadBalancer({ listener: imported }),
    });
    const alarm = checkStack(stack).toJSON().Resources[id(stack, service.defaultAlarms[0])];
    expect(dimensionsOf(alarm, 'r0').LoadBalancer).toBe('app/shared/50dc6c495c0c9188');
  });

  test('Service Connect and headless services get no default alarm', () => {
    const stack = newStack();
    const f = albFixture(stack);
    f.cluster.addDefaultCloudMapNamespace({ name: 'internal' });
    const sc = new BlueGreenEcsService(stack, 'Mesh', { cluster: f.cluster, taskDefinition: f.taskDefinition, routing: TrafficRouting.serviceConnect({ portMappingName: 'web' }) });
    const worker = new BlueGreenEcsService(stack, 'Worker', { cluster: f.cluster, taskDefinition: f.taskDefinition, routing: TrafficRouting.none() });
    const template = checkStack(stack);
    template.resourceCountIs('AWS::CloudWatch::Alarm', 0);
    expect([sc.defaultAlarms, worker.defaultAlarms]).toEqual([[], []]);
    for (const s of [sc, worker]) {
      expect(template.toJSON().Resources[id(stack, s.service)].Properties.DeploymentConfiguration.Alarms ?? { AlarmNames: [], Enable: false })
        .toMatchObject({ AlarmNames: [], Enable: false });
    }
  });
});
