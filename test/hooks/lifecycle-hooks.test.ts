import { Duration, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import {
  BlueGreenEcsService, HookTimeoutAction, LifecycleHook, LifecycleHookFunction, LifecycleStage, LifecycleStages, TrafficRouting,
} from '../../src';
import { albFixture, checkStack, fargateTask, newStack } from '../support';
import { errorOf } from '../support/errors';
import { hookDetailsOf } from '../support/hook-details';

function hooksOf(template: Template, logicalId?: string): any[] {
  const services = template.findResources('AWS::ECS::Service');
  const id = logicalId ?? Object.keys(services)[0];
  return (services[id] as any).Properties.DeploymentConfiguration.LifecycleHooks;
}

function serviceWith(stack: Stack, hooks: LifecycleHook[], id = 'Api', f = albFixture(stack)) {
  return new BlueGreenEcsService(stack, id, {
    cluster: f.cluster,
    taskDefinition: id === 'Api' ? f.taskDefinition : fargateTask(stack, `${id}Task`),
    routing: TrafficRouting.applicationLoadBalancer({ listener: f.listener, testListener: f.testListener, priority: id === 'Api' ? 50000 : 100 }),
    hooks,
  });
}


describe('LifecycleStages', () => {
  test.each([
    ['BeforeInstall', 'PRE_SCALE_UP'],
    ['AfterInstall', 'POST_SCALE_UP'],
    ['AfterAllowTestTraffic', 'POST_TEST_TRAFFIC_SHIFT'],
    // CodeDeploy ran it once before the shift; PRODUCTION_TRAFFIC_SHIFT may run many times and on rollback.
    ['BeforeAllowTraffic', 'PRE_PRODUCTION_TRAFFIC_SHIFT'],
    ['AfterAllowTraffic', 'POST_PRODUCTION_TRAFFIC_SHIFT'],
  ])('maps %s to %s', (event, stage) => {
    expect(LifecycleStages.fromCodeDeployEvent(event)).toBe(stage);
  });

  test('rejects unknown events with the allowed names', () => {
    expect(() => LifecycleStages.fromCodeDeployEvent('ApplicationStart')).toThrow(
      /'ApplicationStart' is not a CodeDeploy ECS hook event; allowed: BeforeInstall, AfterInstall, AfterAllowTestTraffic, BeforeAllowTraffic, AfterAllowTraffic/);
    expect(() => LifecycleStages.fromCodeDeployEvent('constructor')).toThrow(/not a CodeDeploy ECS hook event/);
  });

  test('LifecycleStage lists the 8 stages of the CloudFormation schema', () => {
    expect(Object.values(LifecycleStage)).toEqual([
      'RECONCILE_SERVICE', 'PRE_SCALE_UP', 'POST_SCALE_UP', 'TEST_TRAFFIC_SHIFT', 'POST_TEST_TRAFFIC_SHIFT',
      'PRE_PRODUCTION_TRAFFIC_SHIFT', 'PRODUCTION_TRAFFIC_SHIFT', 'POST_PRODUCTION_TRAFFIC_SHIFT',
    ]);
  });
});

describe('LifecycleHook.lambda / pause', () => {
  test('a Lambda hook renders target, shared invoke role, details and timeout', () => {
    const stack = newStack();
    const fn = new LifecycleHookFunction(stack, 'Check', { code: lambda.Code.fromInline('exports.handler=async()=>({hookStatus:"SUCCEEDED"})') });
    serviceWith(stack, [LifecycleHook.lambda(fn.function, {
      stages: [LifecycleStage.POST_SCALE_UP, LifecycleStage.POST_TEST_TRAFFIC_SHIFT],
      details: { env: 'prod', retries: 3 },
      timeout: Duration.minutes(30),
      onTimeout: HookTimeoutAction.CONTINUE,
    })]);
    const template = checkStack(stack, { nag: true });
    const [hook] = hooksOf(template);
    expect(hook).toEqual({
      HookTargetArn: { 'Fn::GetAtt': [stack.getLogicalId(fn.function.node.defaultChild as lambda.CfnFunction), 'Arn'] },
      RoleArn: { 'Fn::GetAtt': [expect.stringMatching(/^EcsBlueGreenHookInvokeRole/), 'Arn'] },
      LifecycleStages: ['POST_SCALE_UP', 'POST_TEST_TRAFFIC_SHIFT'],
      // A JSON string, as in the deploy-verified aws-cdk integ template (not an object).
      HookDetails: '{"env":"prod","retries":3}',
      TargetType: 'AWS_LAMBDA',
      TimeoutConfiguration: { TimeoutInMinutes: 30, Action: 'CONTINUE' },
    });
    template.hasResourceProperties('AWS::Lambda::Function', { Runtime: 'nodejs22.x', Architectures: ['arm64'] });
    template.hasResourceProperties('AWS::Logs::LogGroup', { RetentionInDays: 30 });
  });

  // `lambda` is a Python keyword (jsii names it `lambda_` there): `function` is the same hook under
  // a name every language keeps.
  test('LifecycleHook.function renders exactly what LifecycleHook.lambda renders', () => {
    const render = (make: (fn: lambda.IFunction) => LifecycleHook) => {
      const stack = newStack();
      const fn = new LifecycleHookFunction(stack, 'Check', { code: lambda.Code.fromInline('exports.handler=async()=>({hookStatus:"SUCCEEDED"})') });
      serviceWith(stack, [make(fn.function)]);
      return Template.fromStack(stack).toJSON();
    };
    const options = { stages: [LifecycleStage.POST_SCALE_UP], details: { env: 'prod' }, timeout: Duration.minutes(30) };
    const viaFunction = render((fn) => LifecycleHook.function(fn, options));
    expect(hooksOf(Template.fromJSON(viaFunction))[0]).toMatchObject({ TargetType: 'AWS_LAMBDA', HookDetails: '{"env":"prod"}' });
    expect(viaFunction).toEqual(render((fn) => LifecycleHook.lambda(fn, options)));
  });

  test('one invoke role per stack, invoking exactly the hook functions, each once', () => {
    const stack = newStack();
    const f = albFixture(stack);
    const a = new LifecycleHookFunction(stack, 'A', { code: lambda.Code.fromInline('x'), defaultStages: [LifecycleStage.POST_SCALE_UP] });
    const b = new LifecycleHookFunction(stack, 'B', { code: lambda.Code.fromInline('x'), defaultStages: [LifecycleStage.POST_SCALE_UP] });
    serviceWith(stack, [a.toHook(), b.toHook()], 'Api', f);
    serviceWith(stack, [a.toHook({ stages: [LifecycleStage.PRE_SCALE_UP] })], 'Other', f);
    const template = checkStack(stack);
    const roles = template.findResources('AWS::IAM::Role', {
      Properties: { Description: 'Lets ECS invoke the lifecycle hook functions of this stack during deployments' },
    });
    expect(Object.keys(roles)).toHaveLength(1);
    const [roleId] = Object.keys(roles);
    const policy = Object.values(template.findResources('AWS::IAM::Policy', { Properties: { Roles: [{ Ref: roleId }] } }))[0] as any;
    // Each function with its versions and aliases (arn, arn:*), as the deploy-verified aws-cdk template grants.
    const arnAndQualified = (fn: lambda.Function) => {
      const arn = { 'Fn::GetAtt': [stack.getLogicalId(fn.node.defaultChild as any), 'Arn'] };
      return [arn, { 'Fn::Join': ['', [arn, ':*']] }];
    };
    expect(policy.Properties.PolicyDocument.Statement).toEqual([
      { Action: 'lambda:InvokeFunction', Effect: 'Allow', Resource: arnAndQualified(a.function) },
      { Action: 'lambda:InvokeFunction', Effect: 'Allow', Resource: arnAndQualified(b.function) },
    ]);
  });

  test('a pause hook has no target, role or details', () => {
    const stack = newStack();
    serviceWith(stack, [LifecycleHook.pause({
      stages: [LifecycleStage.POST_TEST_TRAFFIC_SHIFT], timeout: Duration.days(14), onTimeout: HookTimeoutAction.CONTINUE,
    })]);
    const [hook] = hooksOf(checkStack(stack));
    expect(hook).toEqual({
      LifecycleStages: ['POST_TEST_TRAFFIC_SHIFT'],
      TargetType: 'PAUSE',
      TimeoutConfiguration: { TimeoutInMinutes: 20160, Action: 'CONTINUE' },
    });
  });

  test.each([
    ['no stages', () => LifecycleHook.pause({ stages: [] }), 'hooks.stages', /needs at least one stage; allowed: RECONCILE_SERVICE/],
    ['a duplicate stage', () => LifecycleHook.pause({ stages: [LifecycleStage.POST_SCALE_UP, LifecycleStage.POST_SCALE_UP] }),
      'hooks.stages', /lists POST_SCALE_UP twice/],
    ['an unknown stage', () => LifecycleHook.pause({ stages: ['BEFORE_LUNCH' as LifecycleStage] }), 'hooks.stages', /'BEFORE_LUNCH' is not a lifecycle stage/],
    ['a timeout over 14 days', () => LifecycleHook.pause({ stages: [LifecycleStage.POST_SCALE_UP], timeout: Duration.minutes(20161) }), 'hooks.timeout', /1–20160 minutes/],
    ['a timeout in seconds', () => LifecycleHook.pause({ stages: [LifecycleStage.POST_SCALE_UP], timeout: Duration.seconds(30) }), 'hooks.timeout', /whole number of minutes/],
    ['circular details', () => {
      const details: any = {};
      details.self = details;
      return LifecycleHook.lambda(lambda.Function.fromFunctionArn(newStack('X'), 'F', 'arn:aws:lambda:us-east-1:123456789012:function:f'),
        { stages: [LifecycleStage.POST_SCALE_UP], details });
    }, 'hooks.details', /must be JSON-serializable/],
    ['oversized details', () => LifecycleHook.lambda(lambda.Function.fromFunctionArn(newStack('Y'), 'F', 'arn:aws:lambda:us-east-1:123456789012:function:f'),
      { stages: [LifecycleStage.POST_SCALE_UP], details: { blob: 'x'.repeat(9000) } }), 'hooks.details', /at most 8192/],
  ])('rejects %s, naming the service', (_name, make, prop, message) => {
    const stack = newStack();
    const error = errorOf(() => serviceWith(stack, [make()]));
    expect(error.prop).toBe(prop);
    expect(error.constructPath).toBe('TestStack/Api');
    expect(error.message).toMatch(message);
  });
});

describe('ready-made hooks', () => {
  test('httpSmokeTest defaults to POST_TEST_TRAFFIC_SHIFT and the service\'s test endpoint', () => {
    const stack = newStack();
    const f = albFixture(stack, { internetFacing: false });
    const smoke = LifecycleHookFunction.httpSmokeTest(stack, 'Smoke', { path: '/health', requests: 20, maxLatency: Duration.millis(500), vpc: f.vpc });
    serviceWith(stack, [smoke.toHook()], 'Api', f);
    const template = checkStack(stack, { nag: true });
    const [hook] = hooksOf(template);
    expect(hook.LifecycleStages).toEqual(['POST_TEST_TRAFFIC_SHIFT']);
    expect(hook.HookDetails).toEqual({ 'Fn::Join': ['', expect.any(Array)] });
    expect(hookDetailsOf(hook.HookDetails)).toEqual({
      path: '/health',
      requests: 20,
      maxLatencyMs: 500,
      url: { 'Fn::Join': ['', ['http://', { 'Fn::GetAtt': [expect.any(String), 'DNSName'] }, ':9000']] },
    });
  });

  test('httpSmokeTest sends the test header when test traffic is header-based', () => {
    const stack = newStack();
    const f = albFixture(stack);
    const smoke = LifecycleHookFunction.httpSmokeTest(stack, 'Smoke');
    new BlueGreenEcsService(stack, 'Api', {
      cluster: f.cluster,
      taskDefinition: f.taskDefinition,
      routing: TrafficRouting.applicationLoadBalancer({ listener: f.listener, testHeader: { name: 'X-Test-Traffic', value: 'true' } }),
      hooks: [smoke.toHook()],
    });
    const [hook] = hooksOf(checkStack(stack));
    const details = hookDetailsOf(hook.HookDetails);
    expect(details).toMatchObject({ headerName: 'X-Test-Traffic', headerValue: 'true', requests: 10 });
    expect(details.url['Fn::Join'][1][2]).toBe(':80');
  });

  test('approvalGate waits before production traffic, reads only its parameters, backstops with an ECS timeout', () => {
    const stack = newStack();
    const gate = LifecycleHookFunction.approvalGate(stack, 'Gate', { timeout: Duration.hours(2), onTimeout: HookTimeoutAction.CONTINUE });
    serviceWith(stack, [gate.toHook()]);
    const template = checkStack(stack, { nag: true });
    const [hook] = hooksOf(template);
    expect(hook.LifecycleStages).toEqual(['PRE_PRODUCTION_TRAFFIC_SHIFT']);
    expect(hook.HookDetails).toBe('{"parameterPrefix":"/ecs-blue-green/approvals","timeoutMinutes":120,"onTimeout":"CONTINUE"}');
    expect(hook.TimeoutConfiguration).toEqual({ TimeoutInMinutes: 130, Action: 'CONTINUE' });
    template.hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: {
        Statement: [
          { Action: ['logs:CreateLogStream', 'logs:PutLogEvents'], Effect: 'Allow', Resource: { 'Fn::GetAtt': [Match.anyValue(), 'Arn'] } },
          {
            Action: 'ssm:GetParameter',
            Effect: 'Allow',
            Resource: { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':ssm:', { Ref: 'AWS::Region' }, ':', { Ref: 'AWS::AccountId' }, ':parameter/ecs-blue-green/approvals/*']] },
          },
        ],
      },
    });
  });

  test('metricCheck scopes DescribeAlarms to its alarms', () => {
    const stack = newStack();
    const alarm = new cloudwatch.Alarm(stack, 'Errors', { metric: new cloudwatch.Metric({ namespace: 'App', metricName: 'Errors' }), threshold: 1, evaluationPeriods: 1 });
    const check = LifecycleHookFunction.metricCheck(stack, 'Check', { alarms: [alarm], duration: Duration.minutes(15) });
    serviceWith(stack, [check.toHook()]);
    const template = checkStack(stack, { nag: true });
    const [hook] = hooksOf(template);
    expect(hook.LifecycleStages).toEqual(['POST_PRODUCTION_TRAFFIC_SHIFT']);
    expect(hook.HookDetails).toEqual({ 'Fn::Join': ['', ['{"alarmNames":["', { Ref: stack.getLogicalId(alarm.node.defaultChild as any) }, '"],"comparison":"GreaterThanThreshold","windowMinutes":15}']] });
    expect(hookDetailsOf(hook.HookDetails)).toEqual({ alarmNames: [{ Ref: stack.getLogicalId(alarm.node.defaultChild as any) }], comparison: 'GreaterThanThreshold', windowMinutes: 15 });
    expect(hook.TimeoutConfiguration).toEqual({ TimeoutInMinutes: 30, Action: 'ROLLBACK' });
    const statements = (Object.values(template.findResources('AWS::IAM::Policy')) as any[]).flatMap((p) => p.Properties.PolicyDocument.Statement);
    expect(statements.find((s) => s.Action === 'cloudwatch:DescribeAlarms').Resource).toEqual({ 'Fn::GetAtt': [stack.getLogicalId(alarm.node.defaultChild as any), 'Arn'] });
    expect(statements.some((s) => s.Action === 'cloudwatch:GetMetricData')).toBe(false);
  });

  test('metricCheck reads composite or imported alarms with DescribeAlarms on * (CloudWatch returns composite alarms only then)', () => {
    const stack = newStack();
    const metricAlarm = new cloudwatch.Alarm(stack, 'Errors', { metric: new cloudwatch.Metric({ namespace: 'App', metricName: 'Errors' }), threshold: 1, evaluationPeriods: 1 });
    const composite = new cloudwatch.CompositeAlarm(stack, 'Health', { alarmRule: cloudwatch.AlarmRule.fromAlarm(metricAlarm, cloudwatch.AlarmState.ALARM) });
    const imported = cloudwatch.Alarm.fromAlarmName(stack, 'Imported', 'team-latency');
    const check = LifecycleHookFunction.metricCheck(stack, 'Check', { alarms: [metricAlarm, composite, imported] });
    serviceWith(stack, [check.toHook()]);
    const template = checkStack(stack, { nag: true });
    expect(hookDetailsOf(hooksOf(template)[0].HookDetails).alarmNames).toEqual([
      { Ref: stack.getLogicalId(metricAlarm.node.defaultChild as any) }, { Ref: stack.getLogicalId(composite.node.defaultChild as any) }, 'team-latency',
    ]);
    const policy = Object.values(template.findResources('AWS::IAM::Policy')).find((p: any) =>
      p.Properties.PolicyDocument.Statement.some((st: any) => st.Action === 'cloudwatch:DescribeAlarms')) as any;
    expect(policy.Properties.PolicyDocument.Statement.find((st: any) => st.Action === 'cloudwatch:DescribeAlarms').Resource).toBe('*');
    expect(policy.Metadata.cdk_nag.rules_to_suppress).toEqual([expect.objectContaining({
      id: 'AwsSolutions-IAM5', applies_to: ['Resource::*'], reason: expect.stringMatching(/DescribeAlarms returns composite alarms only when allowed on \*/),
    })]);
  });

  test('approvalGate allows 1–20150 minutes: Duration.days(14) is refused, naming the 10-minute backstop margin', () => {
    const error = errorOf(() => LifecycleHookFunction.approvalGate(newStack(), 'G', { timeout: Duration.days(14) }));
    expect(error.prop).toBe('approvalGate.timeout');
    expect(error.message).toMatch(/must be 1–20150 minutes, got 20160/);
    const stack = newStack();
    const gate = LifecycleHookFunction.approvalGate(stack, 'Gate', { timeout: Duration.minutes(20150) });
    serviceWith(stack, [gate.toHook()]);
    expect(hooksOf(checkStack(stack))[0].TimeoutConfiguration).toEqual({ TimeoutInMinutes: 20160, Action: 'ROLLBACK' });
  });

  test.each([
    ['metricCheck with more than 100 alarms', (s: Stack) => LifecycleHookFunction.metricCheck(s, 'M', {
      alarms: Array.from({ length: 101 }, (_, i) => cloudwatch.Alarm.fromAlarmName(s, `A${i}`, `a${i}`)),
    }), 'metricCheck.alarms'],
    ['httpSmokeTest with a host header that is not a host name', (s: Stack) => LifecycleHookFunction.httpSmokeTest(s, 'H', { hostHeader: 'https://x' }), 'httpSmokeTest.hostHeader'],
    ['metricCheck without alarms or metric', (s: Stack) => LifecycleHookFunction.metricCheck(s, 'M', {}), 'metricCheck.alarms'],
    ['metricCheck with a metric but no threshold', (s: Stack) => LifecycleHookFunction.metricCheck(s, 'M', { metric: new cloudwatch.Metric({ namespace: 'A', metricName: 'B' }) }), 'metricCheck.threshold'],
    ['httpSmokeTest with a bad regular expression', (s: Stack) => LifecycleHookFunction.httpSmokeTest(s, 'H', { bodyPattern: '(' }), 'httpSmokeTest.bodyPattern'],
    ['httpSmokeTest with 0 requests', (s: Stack) => LifecycleHookFunction.httpSmokeTest(s, 'H', { requests: 0 }), 'httpSmokeTest.requests'],
    ['httpSmokeTest with a non-HTTP url', (s: Stack) => LifecycleHookFunction.httpSmokeTest(s, 'H', { url: 'ftp://x' }), 'httpSmokeTest.url'],
    ['approvalGate with a relative prefix', (s: Stack) => LifecycleHookFunction.approvalGate(s, 'G', { parameterPrefix: 'approvals' }), 'approvalGate.parameterPrefix'],
  ])('rejects %s', (_name, make, prop) => {
    expect(errorOf(() => make(newStack())).prop).toBe(prop);
  });

  test('a function without default stages needs stages in toHook()', () => {
    const stack = newStack();
    const fn = new LifecycleHookFunction(stack, 'Fn', { code: lambda.Code.fromInline('x') });
    expect(errorOf(() => serviceWith(stack, [fn.toHook()])).message).toMatch(/has no default stages: pass stages to toHook\(\)/);
  });
});
