import { Token } from 'aws-cdk-lib';
import type { DeploymentStrategyConfig } from './deployment-strategy';

// How long a strategy's traffic shifts and bakes take, for CloudFormation's 33-hour limit.

/** Extra time ECS spends on each traffic shift behind an NLB. */
const NLB_SHIFT_MINUTES = 10;
/**
 * VPC Lattice (ECS developer guide, "VPC Lattice resources for blue/green, linear, and canary
 * deployments"): ECS waits about 3 minutes at POST_SCALE_UP, and about 90 seconds after each weight
 * change (test traffic shift, each production step, and the reconcile stage).
 */
const LATTICE_SCALE_UP_MINUTES = 3;
const LATTICE_WEIGHT_CHANGE_MINUTES = 1.5;
/** Time of shifts and bakes, in minutes; undefined when a value is a token. */
export function estimatedMinutes(config: DeploymentStrategyConfig, nlb: boolean, lattice = false): number | undefined {
  const minutes = shiftAndBakeMinutes(config, nlb ? NLB_SHIFT_MINUTES : 0);
  if (minutes === undefined || !lattice) return minutes;
  // Production weight changes, plus the test traffic shift and the reconcile stage (upper bound).
  const weightChanges = productionShifts(config) + 2;
  return Math.ceil(minutes + LATTICE_SCALE_UP_MINUTES + weightChanges * LATTICE_WEIGHT_CHANGE_MINUTES);
}

function productionShifts(config: DeploymentStrategyConfig): number {
  switch (config.strategy) {
    case 'LINEAR': return Math.ceil(100 / config.linearStepPercent!);
    case 'CANARY': return 2;
    default: return 1;
  }
}

function shiftAndBakeMinutes(config: DeploymentStrategyConfig, shift: number): number | undefined {
  // The operator bake waits where ECS's bake would (after the last shift), for up to its timeout.
  const bake = config.bakeTimeInMinutes + (config.operatorBakeMinutes ?? 0);
  const values = [config.bakeTimeInMinutes, config.operatorBakeMinutes, config.linearStepPercent, config.linearStepBakeTimeInMinutes,
    config.canaryPercent, config.canaryBakeTimeInMinutes];
  if (values.some((v) => v !== undefined && Token.isUnresolved(v))) return undefined;
  switch (config.strategy) {
    case 'LINEAR': {
      const steps = Math.ceil(100 / config.linearStepPercent!);
      // Each step shifts, then bakes; the last step is followed by the final bake time instead.
      return steps * shift + (steps - 1) * config.linearStepBakeTimeInMinutes! + bake;
    }
    case 'CANARY':
      return 2 * shift + config.canaryBakeTimeInMinutes! + bake;
    default:
      return shift + bake;
  }
}
