import { Duration } from 'aws-cdk-lib';
import * as fc from 'fast-check';
import { DeploymentStrategy } from '../../src';

/**
 * Generated descriptions ("specs") of DeploymentStrategy factory calls, the factory call they
 * stand for, and an independent oracle of what ECS accepts: the ranges of the ECS
 * `DeploymentConfiguration` schema and the 33-hour limit of CloudFormation.
 */

/** A Duration as plain data (printable, shrinkable). */
export interface DurationSpec {
  readonly unit: 'seconds' | 'minutes' | 'hours';
  readonly amount: number;
}

export type StrategySpec =
  | { readonly type: 'blueGreen'; readonly bake?: DurationSpec }
  | { readonly type: 'linear'; readonly percent: number; readonly stepBake?: DurationSpec; readonly bake?: DurationSpec }
  | { readonly type: 'canary'; readonly percent: number; readonly stepBake?: DurationSpec; readonly bake?: DurationSpec }
  | { readonly type: 'codeDeploy'; readonly name: string; readonly bake?: DurationSpec }
  | {
    readonly type: 'codeDeployRouting';
    readonly routing: string;
    readonly percent?: number;
    readonly interval?: DurationSpec;
    readonly bake?: DurationSpec;
  };

export const CODEDEPLOY_CONFIGS = [
  'ECSAllAtOnce', 'ECSLinear10PercentEvery1Minutes', 'ECSLinear10PercentEvery3Minutes', 'ECSCanary10Percent5Minutes', 'ECSCanary10Percent15Minutes',
];

/** `valid`, or with `bad`, mostly `valid` and sometimes `invalid`. */
export function mix<T>(valid: fc.Arbitrary<T>, invalid: fc.Arbitrary<T>, bad: boolean, invalidWeight = 1): fc.Arbitrary<T> {
  return bad ? fc.oneof({ weight: 5, arbitrary: valid }, { weight: invalidWeight, arbitrary: invalid }) : valid;
}

/** undefined or a value. */
export function maybe<T>(arb: fc.Arbitrary<T>): fc.Arbitrary<T | undefined> {
  return fc.option(arb, { nil: undefined, freq: 3 });
}

/** Durations of whole minutes within [min, max], or (with `bad`) outside or fractional. */
export function durationArb(minMinutes: number, maxMinutes: number, bad: boolean): fc.Arbitrary<DurationSpec> {
  const valid = fc.oneof(
    fc.integer({ min: minMinutes, max: maxMinutes }).map((amount): DurationSpec => ({ unit: 'minutes', amount })),
    fc.integer({ min: Math.ceil(minMinutes / 60), max: Math.floor(maxMinutes / 60) }).map((amount): DurationSpec => ({ unit: 'hours', amount })),
    fc.integer({ min: minMinutes, max: Math.min(maxMinutes, 30) }).map((m): DurationSpec => ({ unit: 'seconds', amount: m * 60 })),
  );
  const invalid = fc.oneof(
    fc.constantFrom(maxMinutes + 1, 1.5, NaN, Infinity, ...(minMinutes > 0 ? [minMinutes - 1] : []))
      .map((amount): DurationSpec => ({ unit: 'minutes', amount })),
    fc.integer({ min: 1, max: 59 }).map((s): DurationSpec => ({ unit: 'seconds', amount: 60 + s })),
  );
  return mix(valid, invalid, bad);
}

export function toDuration(d: DurationSpec): Duration {
  return Duration[d.unit](d.amount);
}

/** Whole minutes of a duration within [min, max], or undefined when it is not. */
export function wholeMinutesOf(d: DurationSpec, min: number, max: number): number | undefined {
  const seconds = d.amount * { seconds: 1, minutes: 60, hours: 3600 }[d.unit];
  if (!Number.isFinite(seconds) || seconds % 60 !== 0) return undefined;
  const minutes = seconds / 60;
  return minutes >= min && minutes <= max ? minutes : undefined;
}

/** Percentages in [min, max] in steps of 0.1, or (with `bad`) outside the range or finer. */
export function percentArb(min: number, max: number, bad: boolean): fc.Arbitrary<number> {
  const valid = fc.integer({ min: Math.round(min * 10), max: Math.round(max * 10) }).map((t) => t / 10);
  const invalid = fc.oneof(
    fc.constantFrom(0, -5, Math.round((min - 0.1) * 10) / 10, max + 0.1, 1000, NaN, Infinity, -Infinity),
    fc.integer({ min: Math.round(min * 100), max: max * 100 }).map((x) => x / 100).filter((x) => !isTenth(x)),
  );
  return mix(valid, invalid, bad);
}

export function isTenth(v: number): boolean {
  return Number.isFinite(v) && Math.abs(Math.round(v * 10) - v * 10) < 1e-9;
}

/**
 * Strategy specs. With `factoryErrors`, also unknown CodeDeploy names and traffic routings with
 * missing arguments (which the factories themselves reject). `maxStepBake` keeps valid specs
 * mostly below the 33-hour limit.
 */
export function strategyArb(bad: boolean, factoryErrors = false, maxStepBake = 60): fc.Arbitrary<StrategySpec> {
  const bake = maybe(durationArb(0, 1440, bad));
  const stepBake = maybe(durationArb(0, bad ? 1440 : maxStepBake, bad));
  const codeDeployNames = fc.constantFrom(...CODEDEPLOY_CONFIGS, ...CODEDEPLOY_CONFIGS.map((n) => `CodeDeployDefault.${n}`));
  return fc.oneof(
    fc.record({ type: fc.constant('blueGreen' as const), bake }, { requiredKeys: ['type'] }),
    fc.record({ type: fc.constant('linear' as const), percent: percentArb(3, 100, bad), stepBake, bake }, { requiredKeys: ['type', 'percent'] }),
    fc.record({ type: fc.constant('canary' as const), percent: percentArb(0.1, 100, bad), stepBake, bake }, { requiredKeys: ['type', 'percent'] }),
    fc.record({
      type: fc.constant('codeDeploy' as const),
      name: factoryErrors ? mix(codeDeployNames, fc.constantFrom('ECSFast', 'CodeDeployDefault.AllAtOnce', '', 'constructor', '__proto__'), true) : codeDeployNames,
      bake,
    }, { requiredKeys: ['type', 'name'] }),
    fc.record({
      type: fc.constant('codeDeployRouting' as const),
      routing: factoryErrors
        ? mix(fc.constantFrom('AllAtOnce', 'TimeBasedCanary', 'TimeBasedLinear'), fc.constantFrom('Linear', 'allatonce', ''), true)
        : fc.constantFrom('AllAtOnce', 'TimeBasedCanary', 'TimeBasedLinear'),
      percent: percentArb(3, 100, bad),
      interval: durationArb(0, bad ? 1440 : maxStepBake, bad),
      bake,
    }, { requiredKeys: factoryErrors ? ['type', 'routing'] : ['type', 'routing', 'percent', 'interval'] }),
  );
}

/** Calls the factory the spec describes. */
export function makeStrategy(s: StrategySpec): DeploymentStrategy {
  const bakeTime = s.bake && toDuration(s.bake);
  switch (s.type) {
    case 'blueGreen':
      return DeploymentStrategy.blueGreen({ bakeTime });
    case 'linear':
      return DeploymentStrategy.linear({ stepPercent: s.percent, stepBakeTime: s.stepBake && toDuration(s.stepBake), bakeTime });
    case 'canary':
      return DeploymentStrategy.canary({ canaryPercent: s.percent, canaryBakeTime: s.stepBake && toDuration(s.stepBake), bakeTime });
    case 'codeDeploy':
      return DeploymentStrategy.fromCodeDeployConfig(s.name, { bakeTime });
    case 'codeDeployRouting':
      return DeploymentStrategy.fromCodeDeployTrafficRouting(s.routing, s.percent, s.interval && toDuration(s.interval), { bakeTime });
  }
}

/** The DeploymentConfiguration an accepted strategy renders. */
export interface ExpectedStrategy {
  readonly strategy: 'BLUE_GREEN' | 'LINEAR' | 'CANARY';
  readonly bakeTimeInMinutes: number;
  readonly linearStepPercent?: number;
  readonly linearStepBakeTimeInMinutes?: number;
  readonly canaryPercent?: number;
  readonly canaryBakeTimeInMinutes?: number;
}

/** Oracle: what the factory throws (its message must contain `factoryError`), or what bind rejects or renders. */
export interface StrategyVerdict {
  /** A text the factory's error must contain, when the factory itself must throw. */
  readonly factoryError?: string;
  /** Props bind may name when it rejects the strategy (empty: it must accept). */
  readonly problems: string[];
  readonly expected?: ExpectedStrategy;
  /** Rough duration in minutes (for estimatedDuration). */
  readonly minutes?: number;
}

const MAX_DEPLOYMENT_MINUTES = 33 * 60;

/** Normalizes the CodeDeploy forms to the three ECS strategies, as the documentation describes them. */
function normalize(s: StrategySpec): { type: 'BLUE_GREEN' | 'LINEAR' | 'CANARY'; percent?: number; stepBake?: DurationSpec; bake?: DurationSpec }
| { error: string } {
  switch (s.type) {
    case 'blueGreen':
      return { type: 'BLUE_GREEN', bake: s.bake };
    case 'linear':
      return { type: 'LINEAR', percent: s.percent, stepBake: s.stepBake ?? { unit: 'minutes', amount: 1 }, bake: s.bake };
    case 'canary':
      return { type: 'CANARY', percent: s.percent, stepBake: s.stepBake ?? { unit: 'minutes', amount: 5 }, bake: s.bake };
    case 'codeDeploy': {
      const short = s.name.startsWith('CodeDeployDefault.') ? s.name.slice('CodeDeployDefault.'.length) : s.name;
      const minutes = (amount: number): DurationSpec => ({ unit: 'minutes', amount });
      switch (short) {
        case 'ECSAllAtOnce': return { type: 'BLUE_GREEN', bake: s.bake };
        case 'ECSLinear10PercentEvery1Minutes': return { type: 'LINEAR', percent: 10, stepBake: minutes(1), bake: s.bake };
        case 'ECSLinear10PercentEvery3Minutes': return { type: 'LINEAR', percent: 10, stepBake: minutes(3), bake: s.bake };
        case 'ECSCanary10Percent5Minutes': return { type: 'CANARY', percent: 10, stepBake: minutes(5), bake: s.bake };
        case 'ECSCanary10Percent15Minutes': return { type: 'CANARY', percent: 10, stepBake: minutes(15), bake: s.bake };
        default: return { error: `'${s.name}' is not a predefined CodeDeploy ECS deployment configuration` };
      }
    }
    case 'codeDeployRouting':
      if (s.routing === 'AllAtOnce') return { type: 'BLUE_GREEN', bake: s.bake };
      if (s.routing !== 'TimeBasedCanary' && s.routing !== 'TimeBasedLinear') return { error: `unknown traffic routing type '${s.routing}'` };
      if (s.percent === undefined || s.interval === undefined) return { error: `${s.routing} needs percentage and interval` };
      return { type: s.routing === 'TimeBasedCanary' ? 'CANARY' : 'LINEAR', percent: s.percent, stepBake: s.interval, bake: s.bake };
  }
}

/** Oracle for a strategy spec bound to a service (behind an NLB or not). */
export function strategyVerdict(s: StrategySpec, nlb: boolean): StrategyVerdict {
  const n = normalize(s);
  if ('error' in n) return { factoryError: n.error, problems: [] };
  const problems: string[] = [];
  const bake = wholeMinutesOf(n.bake ?? { unit: 'minutes', amount: 5 }, 0, 1440);
  if (bake === undefined) problems.push('strategy.bakeTime');
  const [percentProp, stepProp, min] = n.type === 'LINEAR'
    ? ['strategy.stepPercent', 'strategy.stepBakeTime', 3]
    : ['strategy.canaryPercent', 'strategy.canaryBakeTime', 0.1];
  const percentOk = n.percent !== undefined && isTenth(n.percent) && n.percent >= min && n.percent <= 100;
  const step = n.stepBake && wholeMinutesOf(n.stepBake, 0, 1440);
  if (n.type !== 'BLUE_GREEN') {
    if (!percentOk) problems.push(percentProp);
    if (step === undefined) problems.push(stepProp);
  }
  if (problems.length > 0) return { problems };
  const shift = nlb ? 10 : 0;
  let expected: ExpectedStrategy;
  let minutes: number;
  if (n.type === 'LINEAR') {
    const steps = Math.ceil(100 / n.percent!);
    minutes = steps * shift + (steps - 1) * step! + bake!;
    expected = { strategy: 'LINEAR', bakeTimeInMinutes: bake!, linearStepPercent: Math.round(n.percent! * 10) / 10, linearStepBakeTimeInMinutes: step };
  } else if (n.type === 'CANARY') {
    minutes = 2 * shift + step! + bake!;
    expected = { strategy: 'CANARY', bakeTimeInMinutes: bake!, canaryPercent: Math.round(n.percent! * 10) / 10, canaryBakeTimeInMinutes: step };
  } else {
    minutes = shift + bake!;
    expected = { strategy: 'BLUE_GREEN', bakeTimeInMinutes: bake! };
  }
  if (minutes > MAX_DEPLOYMENT_MINUTES) return { problems: ['strategy'], minutes };
  return { problems: [], expected, minutes };
}
