import { Duration } from 'aws-cdk-lib';
import { DeploymentStrategyConfig } from './deployment-strategy';
import { HookTimeoutAction, LifecycleHook, LifecycleStage } from '../hooks/lifecycle-hook';

/**
 * The hook of a strategy's operator bake: a PAUSE hook at POST_PRODUCTION_TRAFFIC_SHIFT whose
 * timeout is the bake time and whose timeout action is CONTINUE, so that the deployment goes on
 * by itself when nobody ends the bake early. Empty without an operator bake.
 *
 * Facts (ECS API reference): DeploymentLifecycleHook allows PAUSE at every stage but
 * TEST_TRAFFIC_SHIFT and PRODUCTION_TRAFFIC_SHIFT; ServiceDeployment `lifecycleStage` lists
 * POST_PRODUCTION_TRAFFIC_SHIFT before BAKE_TIME (blue and green both running) and CLEAN_UP (blue
 * scaled down), so blue still runs while the hook waits and a rollback
 * (StopServiceDeployment, stopType ROLLBACK) moves production traffic back to it.
 */
export function operatorBakeHooks(config: DeploymentStrategyConfig): LifecycleHook[] {
  if (config.operatorBakeMinutes === undefined) return [];
  return [LifecycleHook.pause({
    stages: [LifecycleStage.POST_PRODUCTION_TRAFFIC_SHIFT],
    timeout: Duration.minutes(config.operatorBakeMinutes),
    onTimeout: HookTimeoutAction.CONTINUE,
  })];
}
