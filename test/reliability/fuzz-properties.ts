import { Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { Construct } from 'constructs';
import * as fc from 'fast-check';
import { TemplateBatch, templateProblems } from './fuzz-config';
import { MigrationSpec, buildMigration, migrationProblems, migrationRenderProblems } from './migration-specs';
import { RulesSpec, ServiceSpec, buildRules, buildService, expectedService, rulesProblems, serviceProblems } from './service-specs';
import { StrategySpec, makeStrategy, strategyVerdict } from './strategy-specs';
import { WrongTypeSpec, namesTarget, targetOf } from './wrong-type-specs';
import { BlueGreenValidationError } from '../../src/errors';

/**
 * The properties, one function per construct: each takes a generated prop set and returns whether
 * it was accepted or rejected, or throws an Error starting with BUG (or an unexpected error).
 */

export type Outcome = 'accepted' | 'rejected';

export function describeSpec(spec: unknown): string {
  return fc.stringify(spec);
}

/** The error if it is one of ours, otherwise rethrown as a bug. */
export function validationError(err: unknown, what: string): BlueGreenValidationError {
  if (BlueGreenValidationError.isBlueGreenValidationError(err)) return err;
  const e = err as Error;
  throw new Error(`BUG: ${what} threw ${e?.constructor?.name ?? typeof err} instead of a BlueGreenValidationError: ${e?.message ?? String(err)}` +
    `\n${e?.stack?.split('\n').slice(1, 6).join('\n') ?? ''}`);
}

function expectNamesOneOf(err: BlueGreenValidationError, allowed: string[], what: string): void {
  if (!err.message.includes(`invalid ${err.prop}`)) {
    throw new Error(`BUG: ${what}: the message does not name the prop ${err.prop}: ${err.message}`);
  }
  if (!allowed.includes(err.prop)) {
    throw new Error(`BUG: ${what} was rejected for ${err.prop}, expected ${allowed.length ? `one of ${allowed.join(', ')}` : 'no error'}: ${err.message}`);
  }
}

function synthesize(stack: Stack): any {
  return Template.fromStack(stack).toJSON();
}

/**
 * The shape every construct property shares: synthesize the stack `build` makes; a rejection must
 * be a BlueGreenValidationError naming one of `problems`; an acceptance needs no problems, a
 * template without missing values, and what `checkTemplate` checks. Accepted templates join the
 * cfn-lint batch.
 */
function synthesizeOrReject(what: string, spec: unknown, problems: string[], build: () => Stack,
  checkTemplate: (template: any) => void, batch?: TemplateBatch): Outcome {
  let template: any;
  try {
    template = synthesize(build());
  } catch (err) {
    expectNamesOneOf(validationError(err, what), problems, 'the prop set');
    return 'rejected';
  }
  if (problems.length > 0) {
    throw new Error(`BUG: accepted a prop set that ECS/ELB/CloudFormation would refuse (${problems.join(', ')})`);
  }
  const found = templateProblems(template);
  if (found.length > 0) throw new Error(`BUG: template has missing values:\n  ${found.join('\n  ')}`);
  checkTemplate(template);
  batch?.add(what, template, describeSpec(spec));
  return 'accepted';
}

/** BlueGreenEcsService: synthesizes what the props ask for, or rejects them naming a prop at fault. */
export function serviceProperty(spec: ServiceSpec, batch?: TemplateBatch): Outcome {
  return synthesizeOrReject('BlueGreenEcsService', spec, serviceProblems(spec), () => buildService(spec).stack,
    (template) => checkRendered(template, spec), batch);
}

function checkRendered(template: any, spec: ServiceSpec): void {
  const expected = expectedService(spec);
  const services = Object.values(template.Resources).filter((r: any) => r.Type === 'AWS::ECS::Service') as any[];
  if (services.length !== 1) throw new Error(`BUG: expected 1 ECS service, found ${services.length}`);
  const p = services[0].Properties;
  const dc = p.DeploymentConfiguration;
  const problems: string[] = [];
  // Key order is not meaning: the L2 renders its objects in its own order.
  const same = (what: string, actual: unknown, wanted: unknown) => {
    if (canonical(actual) !== canonical(wanted)) problems.push(`${what}: ${JSON.stringify(actual)}, expected ${JSON.stringify(wanted)}`);
  };
  same('DeploymentController', p.DeploymentController, { Type: 'ECS' });
  same('DesiredCount', p.DesiredCount, expected.desiredCount);
  same('Strategy', dc.Strategy, expected.strategy.strategy);
  same('BakeTimeInMinutes', dc.BakeTimeInMinutes, expected.strategy.bakeTimeInMinutes);
  same('LinearConfiguration', dc.LinearConfiguration, expected.strategy.linearStepPercent === undefined ? undefined
    : { StepPercent: expected.strategy.linearStepPercent, StepBakeTimeInMinutes: expected.strategy.linearStepBakeTimeInMinutes });
  same('CanaryConfiguration', dc.CanaryConfiguration, expected.strategy.canaryPercent === undefined ? undefined
    : { CanaryPercent: expected.strategy.canaryPercent, CanaryBakeTimeInMinutes: expected.strategy.canaryBakeTimeInMinutes });
  same('LifecycleHooks count', (dc.LifecycleHooks ?? []).length, expected.hooks);
  for (const h of dc.LifecycleHooks ?? []) {
    if (!['AWS_LAMBDA', 'PAUSE'].includes(h.TargetType) || !(h.LifecycleStages?.length > 0)) problems.push(`hook ${JSON.stringify(h)}`);
    if (h.TargetType === 'AWS_LAMBDA' && (!h.HookTargetArn || !h.RoleArn)) problems.push(`Lambda hook without target or role: ${JSON.stringify(h)}`);
  }
  if (expected.loadBalanced) {
    const complete = (lb: any) => lb?.ContainerName && lb.ContainerPort > 0 && lb.TargetGroupArn
      && lb.AdvancedConfiguration?.AlternateTargetGroupArn && lb.AdvancedConfiguration.ProductionListenerRule && lb.AdvancedConfiguration.RoleArn;
    if (p.LoadBalancers?.length !== expected.loadBalancers || !p.LoadBalancers.every(complete)) {
      problems.push(`incomplete LoadBalancers (expected ${expected.loadBalancers} entries): ${JSON.stringify(p.LoadBalancers)}`);
    }
  } else if (p.LoadBalancers !== undefined) {
    problems.push(`LoadBalancers without a load balancer: ${JSON.stringify(p.LoadBalancers)}`);
  }
  if (problems.length > 0) throw new Error(`BUG: the template does not render the props:\n  ${problems.join('\n  ')}`);
}

/** WeightedListenerRule: the first rule with a fault is rejected, naming it; otherwise all synthesize. */
export function rulesProperty(spec: RulesSpec, batch?: TemplateBatch): Outcome {
  const problem = rulesProblems(spec);
  let template: any;
  try {
    template = synthesize(buildRules(spec).stack);
  } catch (err) {
    const e = validationError(err, 'WeightedListenerRule');
    if (!problem) throw new Error(`BUG: rejected valid rules: ${e.message}`);
    if (e.constructPath !== `Fuzz/Rule${problem.index}`) throw new Error(`BUG: expected Rule${problem.index} to fail, got: ${e.message}`);
    expectNamesOneOf(e, problem.props, `Rule${problem.index}`);
    return 'rejected';
  }
  if (problem) throw new Error(`BUG: accepted Rule${problem.index}, which ELB would refuse (${problem.props.join(', ')})`);
  const found = templateProblems(template);
  if (found.length > 0) throw new Error(`BUG: template has missing values:\n  ${found.join('\n  ')}`);
  const rules = Object.values(template.Resources).filter((r: any) => r.Type === 'AWS::ElasticLoadBalancingV2::ListenerRule') as any[];
  if (rules.length !== spec.rules.length) throw new Error(`BUG: ${rules.length} listener rules for ${spec.rules.length} WeightedListenerRules`);
  batch?.add('rule', template, describeSpec(spec));
  return 'accepted';
}

/**
 * DeploymentStrategy factories: a factory call the oracle finds invalid throws a plain Error
 * naming the argument (a factory has no construct to name); bind either renders ECS's ranges or
 * throws a BlueGreenValidationError naming the strategy prop; estimatedDuration always answers.
 */
export function strategyProperty({ spec, nlb }: { spec: StrategySpec; nlb: boolean }): Outcome {
  const verdict = strategyVerdict(spec, nlb);
  let strategy;
  try {
    strategy = makeStrategy(spec);
  } catch (err) {
    if (!verdict.factoryError) throw new Error(`BUG: the factory threw for a valid call: ${(err as Error).message}`);
    if (!(err instanceof Error) || err instanceof TypeError || !(err.message.includes('allowed') || err.message.includes('needs'))) {
      throw new Error(`BUG: the factory threw an unhelpful error: ${String(err)}`);
    }
    return 'rejected';
  }
  if (verdict.factoryError) throw new Error(`BUG: the factory accepted an invalid call (${verdict.factoryError})`);
  // estimatedDuration is public and takes no scope: it answers for any strategy it can estimate,
  // and otherwise throws a BlueGreenValidationError naming the option.
  let estimate;
  try {
    estimate = strategy.estimatedDuration(nlb);
  } catch (err) {
    const e = err as Error;
    if (verdict.minutes !== undefined || !BlueGreenValidationError.isBlueGreenValidationError(e)
      || !/^\[DeploymentStrategy\.estimatedDuration\] invalid \w+/.test(e.message)) {
      throw new Error(`BUG: estimatedDuration threw ${e?.constructor?.name}: ${e?.message}`);
    }
  }
  const scope = new Construct(new Stack(), 'Svc');
  let config;
  try {
    config = strategy.bind(scope, { networkLoadBalancer: nlb });
  } catch (err) {
    expectNamesOneOf(validationError(err, 'DeploymentStrategy.bind'), verdict.problems, 'the strategy');
    return 'rejected';
  }
  if (verdict.problems.length > 0) throw new Error(`BUG: bind accepted a strategy ECS would refuse (${verdict.problems.join(', ')})`);
  const wanted = Object.fromEntries(Object.entries(verdict.expected!).filter(([, v]) => v !== undefined));
  const actual = Object.fromEntries(Object.entries(config).filter(([, v]) => v !== undefined));
  if (JSON.stringify(actual) !== JSON.stringify(wanted)) {
    throw new Error(`BUG: bind rendered ${JSON.stringify(config)}, expected ${JSON.stringify(verdict.expected)}`);
  }
  if (estimate?.toMinutes({ integral: false }) !== verdict.minutes) {
    throw new Error(`BUG: estimatedDuration is ${estimate?.toMinutes({ integral: false })} minutes, expected ${verdict.minutes}`);
  }
  return 'accepted';
}

/** CodeDeployToEcsMigration: renders the phase of the option, or rejects the props naming a prop at fault. */
export function migrationProperty(spec: MigrationSpec, batch?: TemplateBatch): Outcome {
  return synthesizeOrReject('CodeDeployToEcsMigration', spec, migrationProblems(spec), () => buildMigration(spec).stack, (template) => {
    const found = migrationRenderProblems(spec, template);
    if (found.length > 0) throw new Error(`BUG: the template does not render the phase:\n  ${found.join('\n  ')}`);
  }, batch);
}

/**
 * Wrong JavaScript types: a valid prop set with one prop of another type (or a required one left
 * out) must be rejected with a BlueGreenValidationError naming that prop, the construct path once.
 * Anything else (a TypeError, an aws-cdk-lib error, acceptance) is a finding.
 */
export function wrongTypeProperty(c: WrongTypeSpec): Outcome {
  const target = targetOf(c);
  const inject = (props: any, stack: Stack) => target.inject(props, c.value, stack);
  const path = c.construct === 'service' ? 'Fuzz/Api' : 'Fuzz/Migration';
  try {
    synthesize(c.construct === 'service' ? buildService(c.spec, inject).stack : buildMigration(c.spec, inject).stack);
  } catch (err) {
    const e = validationError(err, `${c.construct} with ${target.prop} = ${describeSpec(c.value)}`);
    if (e.constructPath !== path || !namesTarget(e.prop, target.prop)) {
      throw new Error(`BUG: ${target.prop} = ${describeSpec(c.value)} was rejected for another prop or construct: ${e.message}`);
    }
    if (e.message.split(path).length - 1 !== 1) throw new Error(`BUG: the path is not printed once: ${e.message}`);
    return 'rejected';
  }
  throw new Error(`BUG: accepted ${target.prop} = ${describeSpec(c.value)} (a ${target.kind} prop)`);
}

/** JSON with object keys sorted, for comparisons where key order does not matter. */
function canonical(value: unknown): string {
  return JSON.stringify(value, (_key, v) => (v && typeof v === 'object' && !Array.isArray(v)
    ? Object.fromEntries(Object.keys(v).sort().map((k) => [k, v[k]])) : v));
}
