import { Stack } from 'aws-cdk-lib';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as sns from 'aws-cdk-lib/aws-sns';
import {
  BlueGreenEcsService, DeploymentEventRule, LifecycleHookFunction, LifecycleStage, TrafficRouting, WeightedListenerRule,
} from '../../src';
import { albFixture } from '../support';
import { WRONG, WrongTypeCase, expectWrongType } from '../support/wrong-types';

/**
 * JavaScript callers passing the wrong type to LifecycleHookFunction (its props, its ready-made
 * factories and toHook()), WeightedListenerRule and DeploymentEventRule: each case must be a
 * BlueGreenValidationError naming the prop, never a TypeError.
 */

function each(prop: string, values: ReadonlyArray<readonly [unknown, string]>, build: (v: any) => (stack: Stack) => void,
  path?: string): WrongTypeCase[] {
  return values.map(([value, given]) => ({ prop, given, build: build(value), path }));
}

const code = lambda.Code.fromInline('exports.handler = async () => ({ hookStatus: "SUCCEEDED" })');

const hookFunction = (props: Record<string, unknown>) => (stack: Stack) =>
  new LifecycleHookFunction(stack, 'Hook', { code, ...props } as any);

/** A service with `hook(fn)` as its hook: the toHook() options are checked when the service binds it. */
const serviceWithHook = (toHook: (fn: LifecycleHookFunction) => unknown) => (stack: Stack) => {
  const f = albFixture(stack);
  const fn = new LifecycleHookFunction(stack, 'Hook', { code, defaultStages: [LifecycleStage.POST_SCALE_UP] });
  new BlueGreenEcsService(stack, 'Api', {
    cluster: f.cluster,
    taskDefinition: f.taskDefinition,
    routing: TrafficRouting.applicationLoadBalancer({ listener: f.listener, testListener: f.testListener }),
    hooks: [toHook(fn) as any],
  });
};

/** Ready-made hooks name their errors `<factory>.<option>` on the scope they are created in. */
const readyMade = (make: (stack: Stack) => unknown) => (stack: Stack) => {
  make(stack);
};

const HOOK_FUNCTION_CASES: WrongTypeCase[] = [
  { prop: 'props', given: 'undefined', build: (stack) => new LifecycleHookFunction(stack, 'Hook', undefined as any) },
  ...each('code', [[undefined, 'undefined'], ['exports.handler = ...', 'a string']], (v) => hookFunction({ code: v })),
  ...each('timeout', WRONG.duration, (v) => hookFunction({ timeout: v })),
  ...each('memorySize', WRONG.number, (v) => hookFunction({ memorySize: v })),
  ...each('environment', [['A=1', 'a string']], (v) => hookFunction({ environment: v })),
  ...each('environment.PORT', [[8080, 'a number']], (v) => hookFunction({ environment: { PORT: v } })),
  ...each('vpc', [['vpc-12345678', 'a string']], (v) => hookFunction({ vpc: v })),
  ...each('securityGroups[0]', [['sg-12345678', 'a string']], (v) => hookFunction({ securityGroups: [v] })),
  ...each('defaultStages', [['POST_SCALE_UP', 'a string']], (v) => hookFunction({ defaultStages: v })),
];

const TO_HOOK_CASES: WrongTypeCase[] = [
  ...each('hooks.timeout', WRONG.duration, (v) => serviceWithHook((fn) => fn.toHook({ timeout: v }))),
  ...each('hooks.details', [['{"a":1}', 'a string']], (v) => serviceWithHook((fn) => fn.toHook({ details: v }))),
  ...each('hooks.stages', [['POST_SCALE_UP', 'a string']], (v) => serviceWithHook((fn) => fn.toHook({ stages: v }))),
];

const READY_MADE_CASES: WrongTypeCase[] = [
  ...each('httpSmokeTest.maxLatency', WRONG.duration, (v) => readyMade((s) => LifecycleHookFunction.httpSmokeTest(s, 'Smoke', { maxLatency: v })), 'TestStack'),
  ...each('httpSmokeTest.expectedStatus', [[200, 'a number']], (v) => readyMade((s) => LifecycleHookFunction.httpSmokeTest(s, 'Smoke', { expectedStatus: v })), 'TestStack'),
  ...each('httpSmokeTest.url', [[8080, 'a number']], (v) => readyMade((s) => LifecycleHookFunction.httpSmokeTest(s, 'Smoke', { url: v })), 'TestStack'),
  ...each('approvalGate.timeout', WRONG.duration, (v) => readyMade((s) => LifecycleHookFunction.approvalGate(s, 'Gate', { timeout: v })), 'TestStack'),
  ...each('approvalGate.parameterPrefix', [[1, 'a number']], (v) => readyMade((s) => LifecycleHookFunction.approvalGate(s, 'Gate', { parameterPrefix: v })), 'TestStack'),
  ...each('metricCheck.duration', WRONG.duration, (v) => readyMade((s) => LifecycleHookFunction.metricCheck(s, 'Check', {
    alarms: [], metric: undefined, threshold: 1, duration: v,
  } as any)), 'TestStack'),
  ...each('metricCheck.alarms', [['Errors5xx', 'a string']], (v) => readyMade((s) => LifecycleHookFunction.metricCheck(s, 'Check', { alarms: v })), 'TestStack'),
  ...each('metricCheck', [[undefined, 'undefined options']], (v) => readyMade((s) => LifecycleHookFunction.metricCheck(s, 'Check', v)), 'TestStack'),
  ...each('analysis.interval', WRONG.duration, (v) => readyMade((s) => LifecycleHookFunction.analysis(s, 'Analysis', { interval: v })), 'TestStack'),
  ...each('analysis.maxLatency', WRONG.duration, (v) => readyMade((s) => LifecycleHookFunction.analysis(s, 'Analysis', { maxLatency: v })), 'TestStack'),
  ...each('analysis.timeout', WRONG.duration, (v) => readyMade((s) => LifecycleHookFunction.analysis(s, 'Analysis', { timeout: v })), 'TestStack'),
];

function rule(props: (f: ReturnType<typeof albFixture>, stack: Stack) => Record<string, unknown>) {
  return (stack: Stack) => {
    const f = albFixture(stack);
    const tg = (id: string) => new elbv2.ApplicationTargetGroup(stack, id, { vpc: f.vpc, port: 80, targetType: elbv2.TargetType.IP });
    new WeightedListenerRule(stack, 'Rule', { listener: f.listener, blueTargetGroup: tg('Blue'), greenTargetGroup: tg('Green'), ...props(f, stack) } as any);
  };
}

const RULE_CASES: WrongTypeCase[] = [
  { prop: 'props', given: 'undefined', build: (stack) => new WeightedListenerRule(stack, 'Rule', undefined as any) },
  ...each('listener', [[undefined, 'undefined'], ...WRONG.construct], (v) => rule(() => ({ listener: v }))),
  ...each('blueTargetGroup', [['arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/blue/1', 'a string']], (v) => rule(() => ({ blueTargetGroup: v }))),
  ...each('greenTargetGroup', [[undefined, 'undefined']], (v) => rule(() => ({ greenTargetGroup: v }))),
  ...each('priority', WRONG.number, (v) => rule(() => ({ priority: v }))),
  ...each('conditions', [['/api/*', 'a string']], (v) => rule(() => ({ conditions: v }))),
  ...each('conditions[0]', [['/api/*', 'a string']], (v) => rule(() => ({ conditions: [v] }))),
  ...each('stickinessDurationSeconds', WRONG.number, (v) => rule(() => ({ stickinessDurationSeconds: v }))),
  ...each('preserveLiveWeights', WRONG.boolean, (v) => rule(() => ({ preserveLiveWeights: v }))),
  ...each('cluster', [['my-cluster', 'a string']], (v) => rule(() => ({ cluster: v }))),
];

function eventRule(props: (stack: Stack) => Record<string, unknown>) {
  return (stack: Stack) => {
    const f = albFixture(stack);
    const service = new ecs.FargateService(stack, 'Svc', { cluster: f.cluster, taskDefinition: f.taskDefinition });
    const topic = new sns.Topic(stack, 'Topic');
    new DeploymentEventRule(stack, 'Events', { service, target: new targets.SnsTopic(topic), ...props(stack) } as any);
  };
}

const EVENT_RULE_CASES: WrongTypeCase[] = [
  ...each('service', [[undefined, 'undefined'], ['web', 'a string']], (v) => eventRule(() => ({ service: v }))),
  ...each('target', [['arn:aws:sns:us-east-1:123456789012:t', 'a string']], (v) => eventRule(() => ({ target: v }))),
  ...each('eventNames', [['SERVICE_DEPLOYMENT_FAILED', 'a string']], (v) => eventRule(() => ({ eventNames: v }))),
  ...each('eventNames[0]', [[1, 'a number']], (v) => eventRule(() => ({ eventNames: [v] }))),
  ...each('description', WRONG.string, (v) => eventRule(() => ({ description: v }))),
];

describe('LifecycleHookFunction: wrong JS types are reported naming the prop', () => {
  test.each(HOOK_FUNCTION_CASES.map((c) => [c.prop, c.given, c] as const))('fails when %s is %s', (_p, _g, c) => { expectWrongType(c, 'Hook'); });
  test.each(TO_HOOK_CASES.map((c) => [c.prop, c.given, c] as const))('toHook(): fails when %s is %s', (_p, _g, c) => { expectWrongType(c, 'Api'); });
  test.each(READY_MADE_CASES.map((c) => [c.prop, c.given, c] as const))('ready-made: fails when %s is %s', (_p, _g, c) => { expectWrongType(c, ''); });
});

describe('WeightedListenerRule: wrong JS types are reported naming the prop', () => {
  test.each(RULE_CASES.map((c) => [c.prop, c.given, c] as const))('fails when %s is %s', (_p, _g, c) => { expectWrongType(c, 'Rule'); });
});

describe('DeploymentEventRule: wrong JS types are reported naming the prop', () => {
  test.each(EVENT_RULE_CASES.map((c) => [c.prop, c.given, c] as const))('fails when %s is %s', (_p, _g, c) => { expectWrongType(c, 'Events'); });
});
