import { Duration, Stack } from 'aws-cdk-lib';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import * as servicediscovery from 'aws-cdk-lib/aws-servicediscovery';
import {
  BlueGreenEcsService, BlueGreenEcsServiceProps, DeploymentStrategy, LifecycleHook, LifecycleStage, TrafficRouting,
} from '../../src';
import { AlbFixture, albFixture } from '../support';
import { WRONG, WrongTypeCase, expectWrongType } from '../support/wrong-types';

/**
 * JavaScript callers passing the wrong type to BlueGreenEcsService, its routings and its
 * strategies: each case must be a BlueGreenValidationError naming the prop (not a TypeError such
 * as `value.toSeconds is not a function`, nor an aws-cdk-lib error).
 */

type Props = Partial<Record<keyof BlueGreenEcsServiceProps, unknown>>;

function service(props: (f: AlbFixture, stack: Stack) => Props): (stack: Stack) => void {
  return (stack) => {
    const f = albFixture(stack);
    new BlueGreenEcsService(stack, 'Api', {
      cluster: f.cluster,
      taskDefinition: f.taskDefinition,
      routing: TrafficRouting.applicationLoadBalancer({ listener: f.listener }),
      ...props(f, stack),
    } as any);
  };
}

const alb = (options: (f: AlbFixture) => Record<string, unknown>) =>
  service((f) => ({ routing: TrafficRouting.applicationLoadBalancer({ listener: f.listener, ...options(f) } as any) }));

const nlb = (options: (listener: elbv2.NetworkListener) => Record<string, unknown>) => service((f, stack) => {
  const lb = new elbv2.NetworkLoadBalancer(stack, 'Nlb', { vpc: f.vpc });
  return { routing: TrafficRouting.networkLoadBalancer({ listener: lb.addListener('Prod', { port: 80 }), ...options(lb.addListener('Test', { port: 81 })) } as any) };
});

const serviceConnect = (options: Record<string, unknown>) => service((f) => {
  f.cluster.addDefaultCloudMapNamespace({ name: 'internal.local', useForServiceConnect: true, type: servicediscovery.NamespaceType.HTTP });
  return { routing: TrafficRouting.serviceConnect({ portMappingName: 'web', ...options } as any) };
});

const lattice = (options: Record<string, unknown>) => service(() => ({ routing: TrafficRouting.vpcLattice(options as any) }));

const strategy = (s: () => DeploymentStrategy) => service(() => ({ strategy: s() }));
const hook = (h: () => LifecycleHook) => service(() => ({ hooks: [h()] }));
const stages = [LifecycleStage.POST_TEST_TRAFFIC_SHIFT];

function each(prop: string, values: ReadonlyArray<readonly [unknown, string]>, build: (v: any) => (stack: Stack) => void): WrongTypeCase[] {
  return values.map(([value, given]) => ({ prop, given, build: build(value) }));
}

const CASES: WrongTypeCase[] = [
  { prop: 'props', given: 'undefined', build: (stack) => new BlueGreenEcsService(stack, 'Api', undefined as any) },
  ...each('cluster', [[undefined, 'undefined'], ['my-cluster', 'a string']], (v) => service(() => ({ cluster: v }))),
  ...each('taskDefinition', [['arn:aws:ecs:us-east-1:123456789012:task-definition/web:1', 'a string']], (v) => service(() => ({ taskDefinition: v }))),
  ...each('routing', [[undefined, 'undefined'], ['alb', 'a string'], [{}, 'an object']], (v) => service(() => ({ routing: v }))),
  ...each('additionalRouting.Internal', [['alb', 'a string']], (v) => service(() => ({ additionalRouting: { Internal: v } }))),
  ...each('strategy', [['CANARY', 'a string'], [{ type: 'CANARY' }, 'an object']], (v) => service(() => ({ strategy: v }))),
  ...each('hooks', [['POST_SCALE_UP', 'a string']], (v) => service(() => ({ hooks: v }))),
  ...each('hooks[0]', [[{ stages }, 'an object']], (v) => service(() => ({ hooks: [v] }))),
  ...each('alarms[0]', [['arn:aws:cloudwatch:us-east-1:123456789012:alarm:x', 'a string']], (v) => service(() => ({ alarms: [v] }))),
  ...each('defaultAlarms', WRONG.boolean, (v) => service(() => ({ defaultAlarms: v }))),
  ...each('circuitBreaker', WRONG.boolean, (v) => service(() => ({ circuitBreaker: v }))),
  ...each('circuitBreakerThreshold', [[5, 'a number']], (v) => service(() => ({ circuitBreakerThreshold: v }))),
  ...each('container', [['web', 'a string']], (v) => service(() => ({ container: v }))),
  ...each('container.containerName', [[80, 'a number']], (v) => service(() => ({ container: { containerName: v } }))),
  ...each('container.containerPort', [['80', 'a string']], (v) => service(() => ({ container: { containerName: 'web', containerPort: v } }))),
  ...each('desiredCount', WRONG.number, (v) => service(() => ({ desiredCount: v }))),
  ...each('minHealthyPercent', WRONG.number, (v) => service(() => ({ minHealthyPercent: v }))),
  ...each('maxHealthyPercent', WRONG.number, (v) => service(() => ({ maxHealthyPercent: v }))),
  ...each('capacityProviderStrategies', [['FARGATE_SPOT', 'a string']], (v) => service(() => ({ capacityProviderStrategies: v }))),
  ...each('vpcSubnets', [['private', 'a string']], (v) => service(() => ({ vpcSubnets: v }))),
  ...each('securityGroups[0]', [['sg-12345678', 'a string']], (v) => service(() => ({ securityGroups: [v] }))),
  ...each('assignPublicIp', WRONG.boolean, (v) => service(() => ({ assignPublicIp: v }))),
  ...each('serviceName', WRONG.string, (v) => service(() => ({ serviceName: v }))),
  ...each('healthCheckGracePeriod', WRONG.duration, (v) => service(() => ({ healthCheckGracePeriod: v }))),
  ...each('enableExecuteCommand', WRONG.boolean, (v) => service(() => ({ enableExecuteCommand: v }))),
  ...each('propagateTags', [['service', 'a string']], (v) => service(() => ({ propagateTags: v }))),
  ...each('placementStrategies[0]', [['spread', 'a string']], (v) => service(() => ({ placementStrategies: [v] }))),
  ...each('volumeConfigurations[0]', [[{ name: 'data' }, 'an object']], (v) => service(() => ({ volumeConfigurations: [v] }))),
  ...each('outputs', WRONG.boolean, (v) => service(() => ({ outputs: v }))),
  ...each('notifications', [['arn:aws:sns:us-east-1:123456789012:topic', 'a string']], (v) => service(() => ({ notifications: v }))),
  ...each('dashboard', WRONG.boolean, (v) => service(() => ({ dashboard: v }))),

  // TrafficRouting factories' options, named routing.<option>.
  ...each('routing', [[undefined, 'undefined options']], (v) => service(() => ({ routing: TrafficRouting.applicationLoadBalancer(v) }))),
  ...each('routing.listener', [[undefined, 'undefined'], ...WRONG.construct], (v) => service(() => ({ routing: TrafficRouting.applicationLoadBalancer({ listener: v }) }))),
  ...each('routing.testListener', WRONG.construct, (v) => alb(() => ({ testListener: v }))),
  ...each('routing.testHeader', [['X-Test', 'a string']], (v) => alb(() => ({ testHeader: v }))),
  ...each('routing.testHeader.value', [[true, 'a boolean']], (v) => alb(() => ({ testHeader: { name: 'X-Test', value: v } }))),
  ...each('routing.conditions[0]', [['/api/*', 'a string']], (v) => alb(() => ({ conditions: [v] }))),
  ...each('routing.priority', WRONG.number, (v) => alb(() => ({ priority: v }))),
  ...each('routing.healthCheck', [['/health', 'a string']], (v) => alb(() => ({ healthCheck: v }))),
  ...each('routing.deregistrationDelay', WRONG.duration, (v) => alb(() => ({ deregistrationDelay: v }))),
  ...each('routing.preserveLiveWeights', WRONG.boolean, (v) => alb(() => ({ preserveLiveWeights: v }))),
  ...each('routing', [[undefined, 'undefined options']], (v) => service(() => ({ routing: TrafficRouting.networkLoadBalancer(v) }))),
  ...each('routing.testListener', [['listener', 'a string']], (v) => nlb(() => ({ testListener: v }))),
  ...each('routing.deregistrationDelay', WRONG.duration, (v) => nlb(() => ({ deregistrationDelay: v }))),
  ...each('routing.portMappingName', [[80, 'a number']], (v) => serviceConnect({ portMappingName: v })),
  ...each('routing.port', WRONG.number, (v) => serviceConnect({ port: v })),
  ...each('routing.additionalServices[0].perRequestTimeout', WRONG.duration,
    (v) => serviceConnect({ additionalServices: [{ portMappingName: 'web', perRequestTimeout: v }] })),
  ...each('routing.conditions[0]', [['/api', 'a string']], (v) => lattice({ conditions: [v] })),
  ...each('routing.listenerPort', WRONG.number, (v) => lattice({ listenerPort: v })),

  // DeploymentStrategy: stored by the factory, checked when the service binds it.
  ...each('strategy.bakeTime', WRONG.duration, (v) => strategy(() => DeploymentStrategy.blueGreen({ bakeTime: v }))),
  ...each('strategy.stepPercent', WRONG.number, (v) => strategy(() => DeploymentStrategy.linear({ stepPercent: v }))),
  ...each('strategy.stepBakeTime', WRONG.duration, (v) => strategy(() => DeploymentStrategy.linear({ stepPercent: 10, stepBakeTime: v }))),
  ...each('strategy.canaryBakeTime', WRONG.duration, (v) => strategy(() => DeploymentStrategy.canary({ canaryPercent: 10, canaryBakeTime: v }))),
  // null is no default (only undefined is): found by the wrong-type fuzz (FUZZ_SEED=7).
  ...each('strategy.canaryBakeTime', [[null, 'null']], (v) => strategy(() => DeploymentStrategy.canary({ canaryPercent: 10, canaryBakeTime: v }))),
  ...each('strategy.canaryPercent', [[undefined, 'undefined']], (v) => strategy(() => DeploymentStrategy.canary({ canaryPercent: v }))),
  ...each('strategy.bakeTime', WRONG.duration, (v) => strategy(() => DeploymentStrategy.fromCodeDeployConfig('CodeDeployDefault.ECSAllAtOnce', { bakeTime: v }))),
  ...each('strategy.canaryBakeTime', WRONG.duration, (v) => strategy(() => DeploymentStrategy.fromCodeDeployTrafficRouting('TimeBasedCanary', 10, v))),

  // LifecycleHook: checked when the service binds it.
  ...each('hooks.timeout', WRONG.duration, (v) => hook(() => LifecycleHook.pause({ stages, timeout: v }))),
  ...each('hooks.stages', [['POST_SCALE_UP', 'a string']], (v) => hook(() => LifecycleHook.pause({ stages: v }))),
  ...each('hooks', [[undefined, 'undefined options']], (v) => hook(() => LifecycleHook.pause(v))),
  ...each('hooks.fn', [['arn:aws:lambda:us-east-1:123456789012:function:hook', 'a string']], (v) => hook(() => LifecycleHook.lambda(v, { stages }))),
];

describe('BlueGreenEcsService: wrong JS types are reported naming the prop', () => {
  test.each(CASES.map((c) => [c.prop, c.given, c] as const))('fails when %s is %s', (_prop, _given, c) => {
    expectWrongType(c, 'Api');
  });
});

/** Factories that use their arguments at once name themselves (they have no construct yet). */
describe('DeploymentStrategy factories: wrong JS types', () => {
  test.each([
    ['DeploymentStrategy.linear', 'options', () => DeploymentStrategy.linear(undefined as any)],
    ['DeploymentStrategy.canary', 'options', () => DeploymentStrategy.canary('10' as any)],
    ['DeploymentStrategy.blueGreen', 'options', () => DeploymentStrategy.blueGreen(null as any)],
    ['DeploymentStrategy.fromCodeDeployConfig', 'name', () => DeploymentStrategy.fromCodeDeployConfig(5 as any)],
    ['DeploymentStrategy.fromCodeDeployTrafficRouting', 'type', () => DeploymentStrategy.fromCodeDeployTrafficRouting(undefined as any)],
    ['DeploymentStrategy.estimatedDuration', 'bakeTime', () => DeploymentStrategy.blueGreen({ bakeTime: 60 as any }).estimatedDuration()],
    ['DeploymentStrategy.estimatedDuration', 'canaryBakeTime',
      () => DeploymentStrategy.canary({ canaryPercent: 10, canaryBakeTime: '5m' as any, bakeTime: Duration.minutes(1) }).estimatedDuration()],
  ])('%s fails naming %s', (path, prop, call) => {
    expectWrongType({ prop, given: '', build: () => call(), path }, '');
  });
});
