import { Duration, Stack } from 'aws-cdk-lib';
import * as route53 from 'aws-cdk-lib/aws-route53';
import {
  AppSpec, CodeDeployToEcsMigration, DeploymentGroupMapping, DeploymentStrategy, LifecycleStages,
  LifecycleHook, LifecycleStage, MigratedEcsService, MigrationOption, MigrationPhase, RoutingLayer,
} from '../../src';
import { CodeDeployFixture, codeDeployFixture, codeDeployPathOf } from '../support/codedeploy-fixture';
import { WRONG, WrongTypeCase, expectWrongType } from '../support/wrong-types';

/**
 * JavaScript callers passing the wrong type to CodeDeployToEcsMigration (and its MigrationOption
 * and RoutingLayer factories) and MigratedEcsService: each case must be a BlueGreenValidationError
 * naming the prop, never a TypeError.
 */

function migration(props: (f: CodeDeployFixture, stack: Stack) => Record<string, unknown>): (stack: Stack) => void {
  return (stack) => {
    const f = codeDeployFixture(stack);
    new CodeDeployToEcsMigration(stack, 'Migration', {
      ...codeDeployPathOf(f),
      option: MigrationOption.inPlace(),
      phase: MigrationPhase.PREPARE,
      ...props(f, stack),
    } as any);
  };
}

function migrated(props: (f: CodeDeployFixture) => Record<string, unknown>): (stack: Stack) => void {
  return (stack) => {
    const f = codeDeployFixture(stack);
    stack.node.tryRemoveChild(f.deploymentGroup.node.id);
    new MigratedEcsService(stack, 'Migration', {
      service: f.service,
      productionListener: f.productionListener,
      testListener: f.testListener,
      blueTargetGroup: f.blueTargetGroup,
      greenTargetGroup: f.greenTargetGroup,
      strategy: DeploymentStrategy.canary({ canaryPercent: 10 }),
      ...props(f),
    } as any);
  };
}

const existingLb = (options: Record<string, unknown>) => migration(() => ({
  option: MigrationOption.newServiceExistingLoadBalancer({ temporaryProductionPort: 8080, ...options } as any),
}));

const route53Layer = (options: (stack: Stack) => Record<string, unknown>) => migration((_f, stack) => ({
  option: MigrationOption.newServiceNewLoadBalancer({
    routing: RoutingLayer.route53Weighted({ zone: new route53.PublicHostedZone(stack, 'Zone', { zoneName: 'example.com' }), recordName: 'shop', ...options(stack) } as any),
  }),
}));

function each(prop: string, values: ReadonlyArray<readonly [unknown, string]>, build: (v: any) => (stack: Stack) => void): WrongTypeCase[] {
  return values.map(([value, given]) => ({ prop, given, build: build(value) }));
}

const stages = [LifecycleStage.PRE_PRODUCTION_TRAFFIC_SHIFT];

const MIGRATION_CASES: WrongTypeCase[] = [
  { prop: 'props', given: 'undefined', build: (stack) => new CodeDeployToEcsMigration(stack, 'Migration', undefined as any) },
  ...each('service', [[undefined, 'undefined'], ['web', 'a string']], (v) => migration(() => ({ service: v }))),
  ...each('deploymentGroup', [['MyApp/MyGroup', 'a string']], (v) => migration(() => ({ deploymentGroup: v }))),
  ...each('productionListener', [[undefined, 'undefined'], ...WRONG.construct], (v) => migration(() => ({ productionListener: v }))),
  ...each('testListener', WRONG.construct, (v) => migration(() => ({ testListener: v }))),
  ...each('blueTargetGroup', [['arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/blue/1', 'a string']], (v) => migration(() => ({ blueTargetGroup: v }))),
  ...each('greenTargetGroup', [[undefined, 'undefined']], (v) => migration(() => ({ greenTargetGroup: v }))),
  ...each('strategy', [['CodeDeployDefault.ECSAllAtOnce', 'a string']], (v) => migration(() => ({ strategy: v }))),
  ...each('strategy.bakeTime', WRONG.duration, (v) => migration(() => ({ strategy: DeploymentStrategy.blueGreen({ bakeTime: v }) }))),
  ...each('hooks[0]', [['BeforeAllowTraffic', 'a string']], (v) => migration(() => ({ hooks: [v] }))),
  // Hooks are bound when the service switches to the ECS controller (CUTOVER of option 1).
  ...each('hooks.timeout', WRONG.duration, (v) => migration(() => ({
    phase: MigrationPhase.CUTOVER,
    runningTaskDefinitionArn: 'arn:aws:ecs:us-east-1:123456789012:task-definition/shop-web:42',
    hooks: [LifecycleHook.pause({ stages, timeout: v })],
  }))),
  ...each('alarms[0]', [['Errors5xx', 'a string']], (v) => migration(() => ({ alarms: [v] }))),
  ...each('runningTaskDefinitionArn', [[42, 'a number']], (v) => migration(() => ({ runningTaskDefinitionArn: v }))),
  ...each('rulePriority', WRONG.number, (v) => migration(() => ({ rulePriority: v }))),
  ...each('planOutput', WRONG.boolean, (v) => migration(() => ({ planOutput: v }))),
  ...each('option', [[undefined, 'undefined options']], (v) => migration(() => ({ option: MigrationOption.newServiceExistingLoadBalancer(v) }))),
  ...each('option.temporaryProductionPort', WRONG.number, (v) => existingLb({ temporaryProductionPort: v })),
  ...each('option.temporaryTestPort', WRONG.number, (v) => existingLb({ temporaryTestPort: v })),
  ...each('option.routing', [['route53', 'a string']], (v) => migration(() => ({ option: MigrationOption.newServiceNewLoadBalancer({ routing: v }) }))),
  ...each('option.routing.zone', [['example.com', 'a string']], (v) => route53Layer(() => ({ zone: v }))),
  ...each('option.routing.recordName', [[undefined, 'undefined']], (v) => route53Layer(() => ({ recordName: v }))),
  ...each('option.routing.distribution', [['d111111abcdef8.cloudfront.net', 'a string']],
    (v) => migration(() => ({ option: MigrationOption.newServiceNewLoadBalancer({ routing: RoutingLayer.cloudFrontOrigin({ distribution: v }) }) }))),
];

const MIGRATED_CASES: WrongTypeCase[] = [
  { prop: 'props', given: 'undefined', build: (stack) => new MigratedEcsService(stack, 'Migration', undefined as any) },
  ...each('service', [[undefined, 'undefined']], (v) => migrated(() => ({ service: v }))),
  ...each('productionListener', [[undefined, 'undefined'], ...WRONG.construct], (v) => migrated(() => ({ productionListener: v }))),
  ...each('blueTargetGroup', [[undefined, 'undefined']], (v) => migrated(() => ({ blueTargetGroup: v }))),
  ...each('strategy', [[undefined, 'undefined'], ['CANARY', 'a string']], (v) => migrated(() => ({ strategy: v }))),
  ...each('strategy.canaryBakeTime', WRONG.duration,
    (v) => migrated(() => ({ strategy: DeploymentStrategy.canary({ canaryPercent: 10, canaryBakeTime: v }) }))),
  ...each('rulePriority', WRONG.number, (v) => migrated(() => ({ rulePriority: v }))),
  ...each('notifications[0]', [['arn:aws:sns:us-east-1:123456789012:t', 'a string']], (v) => migrated(() => ({ notifications: [v] }))),
  ...each('notifications[0].topic', [['arn:aws:sns:us-east-1:123456789012:t', 'a string']], (v) => migrated(() => ({ notifications: [{ topic: v }] }))),
  ...each('hooks.timeout', WRONG.duration, (v) => migrated(() => ({ hooks: [LifecycleHook.pause({ stages, timeout: v })] }))),
];

describe('CodeDeployToEcsMigration: wrong JS types are reported naming the prop', () => {
  test.each(MIGRATION_CASES.map((c) => [c.prop, c.given, c] as const))('fails when %s is %s', (_prop, _given, c) => {
    expectWrongType(c, 'Migration');
  });
});

describe('MigratedEcsService: wrong JS types are reported naming the prop', () => {
  test.each(MIGRATED_CASES.map((c) => [c.prop, c.given, c] as const))('fails when %s is %s', (_prop, _given, c) => {
    expectWrongType(c, 'Migration');
  });
});

/** Static factories and AppSpec name themselves (no construct yet) and the argument. */
describe('migration factories: wrong JS types', () => {
  const APP_SPEC = 'version: 0.0\nResources:\n  - TargetService:\n      Type: AWS::ECS::Service\n      Properties:\n' +
    '        TaskDefinition: arn:aws:ecs:us-east-1:123456789012:task-definition/web:1\n' +
    '        LoadBalancerInfo:\n          ContainerName: web\n          ContainerPort: 80\nHooks:\n  - BeforeAllowTraffic: check\n';
  test.each<[string, string, () => unknown]>([
    ['DeploymentGroupMapping.of', 'deploymentGroup', () => DeploymentGroupMapping.of('MyApp/MyGroup' as any)],
    ['DeploymentGroupMapping.of', 'deploymentGroup', () => DeploymentGroupMapping.of(undefined as any)],
    ['LifecycleStages.fromCodeDeployEvent', 'name', () => LifecycleStages.fromCodeDeployEvent(5 as any)],
    ['AppSpec', 'text', () => AppSpec.parse(Buffer.from(APP_SPEC) as any)],
    ['AppSpec.toLifecycleHooks', 'scope', () => AppSpec.parse(APP_SPEC).toLifecycleHooks('stack' as any)],
    ['AppSpec.toLifecycleHooks', 'options.idPrefix', () => AppSpec.parse(APP_SPEC).toLifecycleHooks(new Stack(), { idPrefix: 1 } as any)],
  ])('%s fails naming %s', (path, prop, call) => {
    expectWrongType({ prop, given: '', build: () => call(), path }, '');
  });

  test('AppSpec.toLifecycleHooks fails naming options.timeout', () => {
    expectWrongType({
      prop: 'options.timeout',
      given: 'a number',
      path: 'AppSpec.toLifecycleHooks',
      build: () => AppSpec.parse(APP_SPEC).toLifecycleHooks(new Stack(), { timeout: 30 as any }),
    }, '');
  });
});

test('a valid Duration from another copy of aws-cdk-lib passes the type check (duck-typed, not instanceof)', () => {
  // What a second copy's Duration looks like to this one: the same methods, another class.
  const real = Duration.minutes(3);
  const foreign = Object.create({
    toSeconds: (o?: any) => real.toSeconds(o),
    toMinutes: (o?: any) => real.toMinutes(o),
    toMilliseconds: (o?: any) => real.toMilliseconds(o),
    toHumanString: () => real.toHumanString(),
  });
  expect(DeploymentStrategy.blueGreen({ bakeTime: foreign }).bind(new Stack()).bakeTimeInMinutes).toBe(3);
});
