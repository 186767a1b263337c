// What a CodeDeploy ECS deployment group's blue/green settings become on the ECS deployment
// controller: the termination wait as the bake time, the wait before re-routing as a PAUSE hook.
// Both DeploymentGroupMapping (from the template) and the CLI's `plan` (from GetDeploymentGroup)
// decide here.
import { MAX_BAKE_MINUTES } from './ecs-limits';

/** The bake time that takes the place of the group's `terminationWaitTimeInMinutes`. */
export interface MappedBakeTime {
  /** Bake time in minutes: the termination wait, at most ECS's 1440. */
  readonly minutes: number;
  /** Whether the termination wait was longer than ECS allows (and was cut). */
  readonly capped: boolean;
}

/** Maps the termination wait (absent: 0) to the bake time. */
export function mapTerminationWait(terminationWaitTimeInMinutes: number | undefined): MappedBakeTime {
  const wait = terminationWaitTimeInMinutes ?? 0;
  return { minutes: Math.min(wait, MAX_BAKE_MINUTES), capped: wait > MAX_BAKE_MINUTES };
}

/** The group's `deploymentReadyOption`. */
export interface DeploymentReadyOption {
  readonly actionOnTimeout?: string;
  readonly waitTimeInMinutes?: number;
}

/** The PAUSE hook that takes the place of CodeDeploy's wait before re-routing production traffic. */
export interface ApprovalWait {
  /**
   * The stage ECS pauses at: POST_TEST_TRAFFIC_SHIFT, after test traffic reached green and before
   * production traffic moves (and before the PRE_PRODUCTION_TRAFFIC_SHIFT hooks that take
   * BeforeAllowTraffic's place run, as CodeDeploy ran BeforeAllowTraffic only after the wait).
   */
  readonly stage: 'POST_TEST_TRAFFIC_SHIFT';
  /** How long the pause waits for ContinueServiceDeployment. */
  readonly timeoutInMinutes: number;
  /** What ECS does when nobody continued in time: CodeDeploy stopped the deployment. */
  readonly onTimeout: 'ROLLBACK';
}

/**
 * The PAUSE hook for the wait before re-routing, or undefined when traffic is re-routed at once.
 * CodeDeploy waits only with `actionOnTimeout: STOP_DEPLOYMENT`; `waitTimeInMinutes` "applies only
 * to the STOP_DEPLOYMENT option" (CodeDeploy API reference, DeploymentReadyOption), so
 * CONTINUE_DEPLOYMENT re-routes at once whatever the wait says.
 */
export function mapDeploymentReadyOption(option: DeploymentReadyOption | undefined): ApprovalWait | undefined {
  const wait = option?.waitTimeInMinutes ?? 0;
  if (option?.actionOnTimeout !== 'STOP_DEPLOYMENT' || wait <= 0) return undefined;
  return { stage: 'POST_TEST_TRAFFIC_SHIFT', timeoutInMinutes: wait, onTimeout: 'ROLLBACK' };
}
