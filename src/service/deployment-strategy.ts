import { Duration, Token } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';
import { BlueGreenValidationError } from '../errors';
import { estimatedMinutes } from './strategy-duration';
import { EcsStrategy, PREDEFINED_CONFIGS, predefinedConfig } from '../private/codedeploy/deployment-configs';
import { MAX_BAKE_MINUTES, MAX_HOOK_TIMEOUT_MINUTES } from '../private/codedeploy/ecs-limits';
import { T, checkArg } from '../private/prop-types';
import { tenthPercent, wholeMinutes } from '../private/validate';

/** How ECS moves production traffic from the blue revision to the green one. */
export enum DeploymentStrategyType {
  /** All production traffic moves at once, then the bake time runs. */
  BLUE_GREEN = 'BLUE_GREEN',
  /** Traffic moves in equal steps with a bake time after each step. */
  LINEAR = 'LINEAR',
  /** A small canary share moves first, then the rest after the canary bake time. */
  CANARY = 'CANARY',
}

/** Options of `DeploymentStrategy.blueGreen()`. */
export interface BlueGreenStrategyOptions {
  /**
   * How long ECS keeps the blue revision running after all production traffic moved to green,
   * so that a rollback is instant. 0–1440 minutes, whole minutes.
   * @default Duration.minutes(5)
   */
  readonly bakeTime?: Duration;
  /**
   * Wait the bake time as an operator bake instead of ECS's own bake: a PAUSE lifecycle hook at
   * POST_PRODUCTION_TRAFFIC_SHIFT whose timeout is `bakeTime` and whose timeout action is
   * CONTINUE, with ECS's `BakeTimeInMinutes` at its minimum, 0. An operator can end the bake early
   * (`ecs-blue-green continue`, or the ECS console) or roll back while blue still runs; when nobody
   * acts, the deployment continues after `bakeTime`. `bakeTime` must then be 1–20160 minutes
   * (the PAUSE hook's timeout range), and the whole deployment within CloudFormation's 33 hours.
   * The blue revision is scaled down as soon as the bake ends.
   * @default false - ECS bakes for `bakeTime` and blue is kept for all of it
   */
  readonly operatorBake?: boolean;
}

/** Options of `DeploymentStrategy.linear()`. */
export interface LinearStrategyOptions {
  /**
   * Share of production traffic moved at each step, 3.0–100 in steps of 0.1.
   */
  readonly stepPercent: number;

  /**
   * Wait after each step before the next one, 0–1440 minutes, whole minutes.
   * @default Duration.minutes(1)
   */
  readonly stepBakeTime?: Duration;

  /**
   * How long the blue revision is kept after the last step, 0–1440 minutes.
   * @default Duration.minutes(5)
   */
  readonly bakeTime?: Duration;
  /**
   * Wait the bake time as an operator bake instead of ECS's own bake: a PAUSE lifecycle hook at
   * POST_PRODUCTION_TRAFFIC_SHIFT whose timeout is `bakeTime` and whose timeout action is
   * CONTINUE, with ECS's `BakeTimeInMinutes` at its minimum, 0. An operator can end the bake early
   * (`ecs-blue-green continue`, or the ECS console) or roll back while blue still runs; when nobody
   * acts, the deployment continues after `bakeTime`. `bakeTime` must then be 1–20160 minutes
   * (the PAUSE hook's timeout range), and the whole deployment within CloudFormation's 33 hours.
   * The blue revision is scaled down as soon as the bake ends.
   * @default false - ECS bakes for `bakeTime` and blue is kept for all of it
   */
  readonly operatorBake?: boolean;
}

/** Options of `DeploymentStrategy.canary()`. */
export interface CanaryStrategyOptions {
  /**
   * Share of production traffic the canary receives first, 0.1–100 in steps of 0.1.
   */
  readonly canaryPercent: number;

  /**
   * Wait with the canary share before the rest of the traffic moves, 0–1440 minutes.
   * @default Duration.minutes(5)
   */
  readonly canaryBakeTime?: Duration;

  /**
   * How long the blue revision is kept after all traffic moved, 0–1440 minutes.
   * @default Duration.minutes(5)
   */
  readonly bakeTime?: Duration;
  /**
   * Wait the bake time as an operator bake instead of ECS's own bake: a PAUSE lifecycle hook at
   * POST_PRODUCTION_TRAFFIC_SHIFT whose timeout is `bakeTime` and whose timeout action is
   * CONTINUE, with ECS's `BakeTimeInMinutes` at its minimum, 0. An operator can end the bake early
   * (`ecs-blue-green continue`, or the ECS console) or roll back while blue still runs; when nobody
   * acts, the deployment continues after `bakeTime`. `bakeTime` must then be 1–20160 minutes
   * (the PAUSE hook's timeout range), and the whole deployment within CloudFormation's 33 hours.
   * The blue revision is scaled down as soon as the bake ends.
   * @default false - ECS bakes for `bakeTime` and blue is kept for all of it
   */
  readonly operatorBake?: boolean;
}

/** Options of `DeploymentStrategy.fromCodeDeployConfig()`. */
export interface CodeDeployConfigMappingOptions {
  /**
   * Bake time of the mapped strategy. CodeDeploy's closest setting is the deployment group's
   * `terminationWaitTime` (how long the original task set is kept).
   * @default Duration.minutes(5)
   */
  readonly bakeTime?: Duration;
}

/** The `DeploymentConfiguration` fields a strategy renders on `AWS::ECS::Service`. */
export interface DeploymentStrategyConfig {
  /** `Strategy`: BLUE_GREEN, LINEAR or CANARY. */
  readonly strategy: string;
  /** `BakeTimeInMinutes`. */
  readonly bakeTimeInMinutes: number;
  /** `LinearConfiguration.StepPercent` (LINEAR only). @default - not LINEAR */
  readonly linearStepPercent?: number;
  /** `LinearConfiguration.StepBakeTimeInMinutes` (LINEAR only). @default - not LINEAR */
  readonly linearStepBakeTimeInMinutes?: number;
  /** `CanaryConfiguration.CanaryPercent` (CANARY only). @default - not CANARY */
  readonly canaryPercent?: number;
  /** `CanaryConfiguration.CanaryBakeTimeInMinutes` (CANARY only). @default - not CANARY */
  readonly canaryBakeTimeInMinutes?: number;
  /**
   * Minutes of the operator bake: the timeout of the PAUSE hook at POST_PRODUCTION_TRAFFIC_SHIFT
   * that the service renders (`bakeTimeInMinutes` is then 0).
   * @default - no operator bake; ECS bakes for `bakeTimeInMinutes`
   */
  readonly operatorBakeMinutes?: number;
}

/** Options of `DeploymentStrategy.bind()`. */
export interface DeploymentStrategyBindOptions {
  /**
   * Whether the service is behind a Network Load Balancer: ECS adds about 10 minutes to each
   * traffic-shift stage there, which counts against CloudFormation's 33-hour limit.
   * @default false
   */
  readonly networkLoadBalancer?: boolean;

  /**
   * Whether the service routes through VPC Lattice: ECS waits about 3 minutes at POST_SCALE_UP
   * and about 90 seconds after each weight change there, which counts against the 33-hour limit.
   * @default false
   */
  readonly vpcLattice?: boolean;
}

/** CloudFormation rejects LINEAR/CANARY deployments whose computed duration exceeds 33 hours. */
const MAX_DEPLOYMENT_MINUTES = 33 * 60;
const DEFAULT_BAKE_TIME = Duration.minutes(5);
/** JavaScript callers' option types shared by the three strategies. */
const BAKE_OPTION_TYPES = { operatorBake: T.boolean };
/** Names the static methods report in errors (they have no construct to name). */
const FROM_TRAFFIC_ROUTING = 'DeploymentStrategy.fromCodeDeployTrafficRouting';
const ESTIMATED_DURATION = 'DeploymentStrategy.estimatedDuration';

/**
 * How ECS shifts production traffic during a deployment: all at once (blue/green), in linear
 * steps, or canary first. Options are validated against ECS's ranges when a construct binds
 * the strategy, so the error names the construct that uses it.
 *
 * @example
 * import { Duration } from 'aws-cdk-lib';
 * import { DeploymentStrategy } from 'cdk-ecs-blue-green';
 *
 * const canary = DeploymentStrategy.canary({ canaryPercent: 10, canaryBakeTime: Duration.minutes(10) });
 * const linear = DeploymentStrategy.linear({ stepPercent: 25, stepBakeTime: Duration.minutes(5) });
 */
export class DeploymentStrategy {
  /**
   * All traffic moves to green at once; blue is kept for `bakeTime` for instant rollback.
   */
  public static blueGreen(options: BlueGreenStrategyOptions = {}): DeploymentStrategy {
    checkArg('DeploymentStrategy.blueGreen', 'options', options, T.props('an object', BAKE_OPTION_TYPES));
    return new DeploymentStrategy(DeploymentStrategyType.BLUE_GREEN, orDefault(options.bakeTime, DEFAULT_BAKE_TIME), undefined, options.operatorBake);
  }

  /**
   * Traffic moves in steps of `stepPercent`, waiting `stepBakeTime` after each.
   */
  public static linear(options: LinearStrategyOptions): DeploymentStrategy {
    checkArg('DeploymentStrategy.linear', 'options', options, T.required(T.props('an object with stepPercent', BAKE_OPTION_TYPES)));
    return new DeploymentStrategy(DeploymentStrategyType.LINEAR, orDefault(options.bakeTime, DEFAULT_BAKE_TIME), {
      percent: options.stepPercent,
      bakeTime: orDefault(options.stepBakeTime, Duration.minutes(1)),
    }, options.operatorBake);
  }

  /**
   * `canaryPercent` of traffic moves first; the rest follows after `canaryBakeTime`.
   */
  public static canary(options: CanaryStrategyOptions): DeploymentStrategy {
    checkArg('DeploymentStrategy.canary', 'options', options, T.required(T.props('an object with canaryPercent', BAKE_OPTION_TYPES)));
    return new DeploymentStrategy(DeploymentStrategyType.CANARY, orDefault(options.bakeTime, DEFAULT_BAKE_TIME), {
      percent: options.canaryPercent,
      bakeTime: orDefault(options.canaryBakeTime, Duration.minutes(5)),
    }, options.operatorBake);
  }

  /**
   * The ECS strategy equivalent to a CodeDeploy ECS deployment configuration: one of the five
   * predefined `CodeDeployDefault.ECS*` names (with or without the `CodeDeployDefault.` prefix).
   * Custom configurations are mapped with `fromCodeDeployTrafficRouting()`.
   *
   * @param name e.g. `CodeDeployDefault.ECSCanary10Percent5Minutes`
   * @throws BlueGreenValidationError if the name is not a predefined CodeDeploy ECS configuration
   */
  public static fromCodeDeployConfig(name: string, options: CodeDeployConfigMappingOptions = {}): DeploymentStrategy {
    checkArg('DeploymentStrategy.fromCodeDeployConfig', 'name', name, T.required(T.string));
    checkArg('DeploymentStrategy.fromCodeDeployConfig', 'options', options, T.object);
    const config = predefinedConfig(name);
    if (!config) {
      const allowed = Object.keys(PREDEFINED_CONFIGS).join(', ');
      throw new BlueGreenValidationError('DeploymentStrategy.fromCodeDeployConfig', 'name',
        `'${name}' is not a predefined CodeDeploy ECS deployment configuration; ` +
        `allowed: ${allowed}. For a custom configuration use DeploymentStrategy.fromCodeDeployTrafficRouting().`);
    }
    return strategyOf(config, options.bakeTime);
  }

  /**
   * The ECS strategy equivalent to a custom CodeDeploy ECS deployment configuration, given its
   * traffic routing: `TimeBasedCanary` (percent, interval), `TimeBasedLinear` (percent, interval)
   * or `AllAtOnce`.
   *
   * @param type 'AllAtOnce', 'TimeBasedCanary' or 'TimeBasedLinear'
   * @param percentage CodeDeploy's canary/linear percentage (ignored for AllAtOnce)
   * @param interval CodeDeploy's interval between shifts (ignored for AllAtOnce)
   */
  public static fromCodeDeployTrafficRouting(type: string, percentage?: number, interval?: Duration,
    options: CodeDeployConfigMappingOptions = {}): DeploymentStrategy {
    checkArg(FROM_TRAFFIC_ROUTING, 'type', type, T.required(T.string));
    checkArg(FROM_TRAFFIC_ROUTING, 'options', options, T.object);
    switch (type) {
      case 'AllAtOnce':
        return DeploymentStrategy.blueGreen({ bakeTime: options.bakeTime });
      case 'TimeBasedCanary':
        if (percentage === undefined || interval === undefined) {
          throw new BlueGreenValidationError(FROM_TRAFFIC_ROUTING, 'percentage', 'TimeBasedCanary needs percentage and interval');
        }
        return DeploymentStrategy.canary({ canaryPercent: percentage, canaryBakeTime: interval, bakeTime: options.bakeTime });
      case 'TimeBasedLinear':
        if (percentage === undefined || interval === undefined) {
          throw new BlueGreenValidationError(FROM_TRAFFIC_ROUTING, 'percentage', 'TimeBasedLinear needs percentage and interval');
        }
        return DeploymentStrategy.linear({ stepPercent: percentage, stepBakeTime: interval, bakeTime: options.bakeTime });
      default:
        throw new BlueGreenValidationError(FROM_TRAFFIC_ROUTING, 'type',
          `unknown traffic routing type '${type}'; allowed: AllAtOnce, TimeBasedCanary, TimeBasedLinear`);
    }
  }

  /** BLUE_GREEN, LINEAR or CANARY. */
  public readonly type: DeploymentStrategyType;

  /** How long blue is kept after all traffic moved. */
  public readonly bakeTime: Duration;

  /** LINEAR: share moved per step; CANARY: the canary share. @default - BLUE_GREEN has none */
  public readonly percent?: number;

  /** LINEAR: wait after each step; CANARY: wait with the canary share. @default - BLUE_GREEN has none */
  public readonly stepBakeTime?: Duration;

  /**
   * Whether the bake is an operator bake (a PAUSE hook that continues on timeout) instead of
   * ECS's own bake.
   */
  public readonly operatorBake: boolean;

  private constructor(type: DeploymentStrategyType, bakeTime: Duration, shift?: { percent: number; bakeTime: Duration }, operatorBake?: boolean) {
    this.type = type;
    this.operatorBake = operatorBake === true;
    this.bakeTime = bakeTime;
    this.percent = shift?.percent;
    this.stepBakeTime = shift?.bakeTime;
  }

  /**
   * Validates the options against ECS's ranges and returns the `DeploymentConfiguration` fields.
   *
   * @param scope the construct that uses the strategy (named in errors)
   */
  public bind(scope: IConstruct, options: DeploymentStrategyBindOptions = {}): DeploymentStrategyConfig {
    // An operator bake waits in a PAUSE hook (timeout 1–20160 minutes) while ECS bakes 0 minutes.
    const operatorBakeMinutes = this.operatorBake
      ? wholeMinutes(scope, 'strategy.bakeTime', this.bakeTime, 1, MAX_HOOK_TIMEOUT_MINUTES)
      : undefined;
    const bake = operatorBakeMinutes !== undefined ? 0 : wholeMinutes(scope, 'strategy.bakeTime', this.bakeTime, 0, MAX_BAKE_MINUTES);
    let config: DeploymentStrategyConfig;
    switch (this.type) {
      case DeploymentStrategyType.LINEAR:
        config = {
          strategy: this.type,
          bakeTimeInMinutes: bake,
          linearStepPercent: tenthPercent(scope, 'strategy.stepPercent', this.percent!, 3, 100),
          linearStepBakeTimeInMinutes: wholeMinutes(scope, 'strategy.stepBakeTime', this.stepBakeTime!, 0, MAX_BAKE_MINUTES),
        };
        break;
      case DeploymentStrategyType.CANARY:
        config = {
          strategy: this.type,
          bakeTimeInMinutes: bake,
          canaryPercent: tenthPercent(scope, 'strategy.canaryPercent', this.percent!, 0.1, 100),
          canaryBakeTimeInMinutes: wholeMinutes(scope, 'strategy.canaryBakeTime', this.stepBakeTime!, 0, MAX_BAKE_MINUTES),
        };
        break;
      default:
        config = { strategy: this.type, bakeTimeInMinutes: bake };
    }
    if (operatorBakeMinutes !== undefined) config = { ...config, operatorBakeMinutes };
    const total = estimatedMinutes(config, options.networkLoadBalancer ?? false, options.vpcLattice ?? false);
    if (total !== undefined && total > MAX_DEPLOYMENT_MINUTES) {
      const extras = [
        ...(options.networkLoadBalancer ? [', plus ~10 minutes per traffic shift behind an NLB'] : []),
        ...(options.vpcLattice ? [', plus ~3 minutes at POST_SCALE_UP and ~90 s per weight change with VPC Lattice'] : []),
      ].join('');
      throw new BlueGreenValidationError(scope, 'strategy',
        `the deployment would take about ${total} minutes (bake times and traffic steps${extras}); ` +
        `CloudFormation allows at most ${MAX_DEPLOYMENT_MINUTES} minutes (33 hours). Use larger steps or shorter bake times.`);
    }
    return config;
  }

  /**
   * Rough upper bound of the time ECS spends shifting and baking, in minutes.
   * @param networkLoadBalancer whether the service is behind an NLB
   * @param vpcLattice whether the service routes through VPC Lattice
   * @throws if a duration is not finite or the traffic percentage is not a positive number
   */
  public estimatedDuration(networkLoadBalancer?: boolean, vpcLattice?: boolean): Duration {
    // An estimate, so durations need not be whole minutes here (bind() checks that); values that
    // cannot be estimated at all are reported with the option they came from.
    const minutes = (option: string, d: Duration): number => {
      checkArg(ESTIMATED_DURATION, option, d, T.required(T.duration));
      const m = d.toMinutes({ integral: false });
      if (!Token.isUnresolved(m) && !Number.isFinite(m)) {
        throw new BlueGreenValidationError(ESTIMATED_DURATION, option, `must be a finite duration, got ${d.toSeconds({ integral: false })} seconds`);
      }
      return m;
    };
    if (this.percent !== undefined && !Token.isUnresolved(this.percent) && !(Number.isFinite(this.percent) && this.percent > 0)) {
      throw new BlueGreenValidationError(ESTIMATED_DURATION, this.type === DeploymentStrategyType.LINEAR ? 'stepPercent' : 'canaryPercent',
        `the traffic percentage must be a positive number, got ${this.percent}`);
    }
    const step = this.stepBakeTime && minutes(this.type === DeploymentStrategyType.LINEAR ? 'stepBakeTime' : 'canaryBakeTime', this.stepBakeTime);
    const config: DeploymentStrategyConfig = {
      strategy: this.type,
      bakeTimeInMinutes: minutes('bakeTime', this.bakeTime),
      linearStepPercent: this.type === DeploymentStrategyType.LINEAR ? this.percent : undefined,
      linearStepBakeTimeInMinutes: this.type === DeploymentStrategyType.LINEAR ? step : undefined,
      canaryPercent: this.type === DeploymentStrategyType.CANARY ? this.percent : undefined,
      canaryBakeTimeInMinutes: this.type === DeploymentStrategyType.CANARY ? step : undefined,
    };
    return Duration.minutes(estimatedMinutes(config, networkLoadBalancer ?? false, vpcLattice ?? false) ?? 0);
  }
}

/**
 * An option's value, or the default when it is left out. Only `undefined` takes the default: a
 * JavaScript caller's `null` (or any other wrong type) is kept, so that bind() reports it naming
 * the option, as the constructs do.
 */
function orDefault(value: Duration | undefined, fallback: Duration): Duration {
  return value === undefined ? fallback : value;
}

/** The strategy of a CodeDeploy configuration's ECS settings (minutes). */
function strategyOf(s: EcsStrategy, bakeTime: Duration | undefined): DeploymentStrategy {
  const minutes = (m: number | undefined) => (m === undefined ? undefined : Duration.minutes(m));
  switch (s.strategy) {
    case 'LINEAR':
      return DeploymentStrategy.linear({ stepPercent: s.stepPercent!, stepBakeTime: minutes(s.stepBakeTimeInMinutes), bakeTime });
    case 'CANARY':
      return DeploymentStrategy.canary({ canaryPercent: s.canaryPercent!, canaryBakeTime: minutes(s.canaryBakeTimeInMinutes), bakeTime });
    default:
      return DeploymentStrategy.blueGreen({ bakeTime });
  }
}
