import { Duration, Stack } from 'aws-cdk-lib';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import * as fc from 'fast-check';
import { MigrationSpec, migrationArb, migrationProblems } from './migration-specs';
import { ServiceSpec, serviceArb, serviceProblems } from './service-specs';
import { DeploymentStrategy, LifecycleHook, LifecycleStage, TrafficRouting } from '../../src';

/**
 * Wrong JavaScript types for the fuzz: a valid generated prop set (service or migration) with one
 * prop replaced by a value of another type, as a JavaScript caller (no type checking) could pass
 * it. The only acceptable outcome is a BlueGreenValidationError naming that prop (or a part of
 * it: `hooks[0]`, `container.containerPort`); a TypeError, an aws-cdk-lib error or a template is a
 * finding.
 *
 * The kinds of the props are written here, from the props interfaces' TypeScript types, not read
 * from the library's own type tables: the oracle does not share the code it checks.
 */

export type Kind = 'string' | 'number' | 'boolean' | 'duration' | 'construct' | 'object' | 'list' | 'map' | 'instance';

/** Values of every JavaScript type (each shrinks to a simple one). */
const ANY_VALUE: fc.Arbitrary<unknown> = fc.oneof(
  fc.integer({ min: -5, max: 100_000 }),
  fc.double({ noNaN: true }),
  fc.string({ maxLength: 12 }),
  fc.constantFrom('5 minutes', 'CANARY', 'arn:aws:elasticloadbalancing:us-east-1:111122223333:listener/app/x/1/2', 'true', '80'),
  fc.boolean(),
  fc.constant(null),
  fc.constantFrom({}, { name: 'x' }, { toSeconds: 5 }, { node: 'x' }),
  fc.array(fc.oneof(fc.integer(), fc.string({ maxLength: 4 })), { maxLength: 2 }),
  fc.constant(Duration.minutes(5)),
  fc.constant(() => 1),
);

function isKind(kind: Kind, v: unknown): boolean {
  const object = typeof v === 'object' && v !== null && !Array.isArray(v);
  switch (kind) {
    case 'string': return typeof v === 'string';
    case 'number': return typeof v === 'number';
    case 'boolean': return typeof v === 'boolean';
    // A Duration of any copy of aws-cdk-lib, a construct (node), one of the library's classes:
    // none of the generated values is one, except a Duration for 'duration'.
    case 'duration': return v instanceof Duration;
    case 'construct': case 'instance': return false;
    // Plain objects are of the type (their fields are checked by other targets).
    case 'object': case 'map': return object && Object.getPrototypeOf(v) === Object.prototype;
    case 'list': return Array.isArray(v) && v.length === 0;
  }
}

/** A value that is not of `kind` (null included: TypeScript's optional props are undefined, never null). */
export function wrongValueArb(kind: Kind): fc.Arbitrary<unknown> {
  return ANY_VALUE.filter((v) => !isKind(kind, v));
}

/** A prop of a construct and how a wrong value gets into it. */
export interface WrongTypeTarget {
  /** The prop path the error must name (or a part of it). */
  readonly prop: string;
  readonly kind: Kind;
  /** Whether the prop is required (then `undefined` is wrong too). */
  readonly required?: boolean;
  /** Replaces the prop in the constructor's props (made by the valid spec) with `value`. */
  readonly inject: (props: any, value: unknown, stack: Stack) => any;
}

const top = (prop: string, kind: Kind, required = false): WrongTypeTarget =>
  ({ prop, kind, required, inject: (props, value) => ({ ...props, [prop]: value }) });

const stages = [LifecycleStage.POST_TEST_TRAFFIC_SHIFT];

/** An application listener of the stack (the generated ALB routing's), or a new ALB's. */
function listenerOf(stack: Stack, props: any): elbv2.IApplicationListener {
  const found = stack.node.findAll().find((c): c is elbv2.ApplicationListener => c instanceof elbv2.ApplicationListener);
  if (found) return found;
  const alb = new elbv2.ApplicationLoadBalancer(stack, 'WrongTypeAlb', { vpc: props.cluster.vpc });
  return alb.addListener('Http', { port: 80, defaultAction: elbv2.ListenerAction.fixedResponse(404) });
}

const albOption = (prop: string, kind: Kind, required = false): WrongTypeTarget => ({
  prop: `routing.${prop}`,
  kind,
  required,
  inject: (props, value, stack) => ({
    ...props,
    routing: TrafficRouting.applicationLoadBalancer({ listener: listenerOf(stack, props), [prop]: value } as any),
  }),
});

const strategyOption = (prop: string, make: (v: any) => DeploymentStrategy): WrongTypeTarget =>
  ({ prop: `strategy.${prop}`, kind: prop.endsWith('Percent') ? 'number' : 'duration', inject: (props, value) => ({ ...props, strategy: make(value) }) });

const hookOption = (prop: string, kind: Kind, make: (v: any) => LifecycleHook): WrongTypeTarget =>
  ({ prop: `hooks.${prop}`, kind, inject: (props, value) => ({ ...props, hooks: [make(value)] }) });

/** The props of BlueGreenEcsService and of the factories it takes. */
export const SERVICE_TARGETS: WrongTypeTarget[] = [
  top('cluster', 'construct', true), top('taskDefinition', 'construct', true), top('routing', 'instance', true),
  top('additionalRouting', 'map'), top('strategy', 'instance'), top('hooks', 'list'), top('alarms', 'list'),
  top('defaultAlarms', 'boolean'), top('circuitBreaker', 'boolean'), top('circuitBreakerThreshold', 'instance'),
  top('circuitBreakerResetOnHealthyTask', 'boolean'), top('container', 'object'), top('desiredCount', 'number'),
  top('minHealthyPercent', 'number'), top('maxHealthyPercent', 'number'), top('capacityProviderStrategies', 'list'),
  top('vpcSubnets', 'object'), top('securityGroups', 'list'), top('assignPublicIp', 'boolean'), top('serviceName', 'string'),
  top('platformVersion', 'string'), top('healthCheckGracePeriod', 'duration'), top('enableExecuteCommand', 'boolean'),
  top('propagateTags', 'string'), top('enableECSManagedTags', 'boolean'), top('placementConstraints', 'list'),
  top('placementStrategies', 'list'), top('volumeConfigurations', 'list'),
  top('availabilityZoneRebalancing', 'string'), top('outputs', 'boolean'), top('notifications', 'object'), top('dashboard', 'boolean'),
  { prop: 'container.containerPort', kind: 'number', inject: (p, v) => ({ ...p, container: { containerName: 'main', ...p.container, containerPort: v } }) },
  { prop: 'container.containerName', kind: 'string', inject: (p, v) => ({ ...p, container: { containerName: v } }) },
  { prop: 'hooks[0]', kind: 'instance', inject: (p, v) => ({ ...p, hooks: [v] }) },
  { prop: 'alarms[0]', kind: 'construct', inject: (p, v) => ({ ...p, alarms: [v] }) },
  { prop: 'additionalRouting.Internal', kind: 'instance', inject: (p, v) => ({ ...p, additionalRouting: { Internal: v } }) },
  albOption('listener', 'construct', true), albOption('testListener', 'construct'), albOption('testHeader', 'object'),
  albOption('conditions', 'list'), albOption('priority', 'number'), albOption('testPriority', 'number'), albOption('healthCheck', 'object'),
  albOption('targetProtocol', 'string'), albOption('deregistrationDelay', 'duration'), albOption('preserveLiveWeights', 'boolean'),
  strategyOption('bakeTime', (v) => DeploymentStrategy.blueGreen({ bakeTime: v })),
  strategyOption('stepPercent', (v) => DeploymentStrategy.linear({ stepPercent: v })),
  strategyOption('stepBakeTime', (v) => DeploymentStrategy.linear({ stepPercent: 10, stepBakeTime: v })),
  strategyOption('canaryPercent', (v) => DeploymentStrategy.canary({ canaryPercent: v })),
  strategyOption('canaryBakeTime', (v) => DeploymentStrategy.canary({ canaryPercent: 10, canaryBakeTime: v })),
  hookOption('timeout', 'duration', (v) => LifecycleHook.pause({ stages, timeout: v })),
  hookOption('onTimeout', 'string', (v) => LifecycleHook.pause({ stages, timeout: Duration.minutes(5), onTimeout: v })),
  hookOption('stages', 'list', (v) => LifecycleHook.pause({ stages: v })),
];

/** The props of CodeDeployToEcsMigration (phase and option excepted: they have value checks of their own). */
export const MIGRATION_TARGETS: WrongTypeTarget[] = [
  top('service', 'construct', true), top('deploymentGroup', 'construct', true), top('productionListener', 'construct', true),
  top('testListener', 'construct'), top('blueTargetGroup', 'construct', true), top('greenTargetGroup', 'construct', true),
  top('strategy', 'instance'), top('hooks', 'list'), top('alarms', 'list'), top('runningTaskDefinitionArn', 'string'),
  top('rulePriority', 'number'), top('cutoverPercent', 'number'), top('planOutput', 'boolean'),
  strategyOption('bakeTime', (v) => DeploymentStrategy.blueGreen({ bakeTime: v })),
];

/** One wrong-type case: the valid spec it starts from, the prop, the value. */
export type WrongTypeSpec =
  | { readonly construct: 'service'; readonly spec: ServiceSpec; readonly target: number; readonly value: unknown }
  | { readonly construct: 'migration'; readonly spec: MigrationSpec; readonly target: number; readonly value: unknown };

function caseArb<S>(construct: 'service' | 'migration', specs: fc.Arbitrary<S>, targets: WrongTypeTarget[]): fc.Arbitrary<WrongTypeSpec> {
  return fc.integer({ min: 0, max: targets.length - 1 }).chain((target) => {
    const t = targets[target];
    const value = t.required ? fc.oneof(fc.constant(undefined), wrongValueArb(t.kind)) : wrongValueArb(t.kind);
    return fc.record({ construct: fc.constant(construct), spec: specs, target: fc.constant(target), value }) as fc.Arbitrary<WrongTypeSpec>;
  });
}

/** Wrong-type cases over valid service and migration prop sets. */
export function wrongTypeArb(): fc.Arbitrary<WrongTypeSpec> {
  return fc.oneof(
    // Prop sets the oracle finds valid, so that the wrong type is the only fault.
    { weight: 3, arbitrary: caseArb('service', serviceArb(false).filter((s) => serviceProblems(s).length === 0), SERVICE_TARGETS) },
    { weight: 1, arbitrary: caseArb('migration', migrationArb(true).filter((s) => migrationProblems(s).length === 0), MIGRATION_TARGETS) },
  );
}

/** The target a case replaces. */
export function targetOf(c: WrongTypeSpec): WrongTypeTarget {
  return (c.construct === 'service' ? SERVICE_TARGETS : MIGRATION_TARGETS)[c.target];
}

/** Whether `named` (the prop an error names) is the target prop or a part of it. */
export function namesTarget(named: string, prop: string): boolean {
  return named === prop || named.startsWith(`${prop}.`) || named.startsWith(`${prop}[`);
}
