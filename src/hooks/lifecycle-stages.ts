import { LifecycleStage } from './lifecycle-hook';
import { BlueGreenValidationError } from '../errors';
import { hookEvents, stageOfHookEvent } from '../private/codedeploy/hook-events';

/** Helpers for lifecycle stages. */
export class LifecycleStages {
  /**
   * The ECS lifecycle stage that takes the place of a CodeDeploy AppSpec hook event:
   * BeforeInstall → PRE_SCALE_UP, AfterInstall → POST_SCALE_UP, AfterAllowTestTraffic →
   * POST_TEST_TRAFFIC_SHIFT, BeforeAllowTraffic → PRE_PRODUCTION_TRAFFIC_SHIFT, AfterAllowTraffic →
   * POST_PRODUCTION_TRAFFIC_SHIFT.
   *
   * `BeforeAllowTraffic` becomes PRE_PRODUCTION_TRAFFIC_SHIFT because both run once, before
   * production traffic moves; PRODUCTION_TRAFFIC_SHIFT runs at every traffic step and again on
   * rollback. A hook that must run during the shift takes
   * `LifecycleStage.PRODUCTION_TRAFFIC_SHIFT` directly (and must be idempotent).
   *
   * @param name the AppSpec hook event name
   * @throws BlueGreenValidationError if the name is not one of the five ECS AppSpec hook events
   */
  public static fromCodeDeployEvent(name: string): LifecycleStage {
    const stage = stageOfHookEvent(name);
    if (stage === undefined) {
      throw new BlueGreenValidationError('LifecycleStages.fromCodeDeployEvent', 'name',
        `'${name}' is not a CodeDeploy ECS hook event; allowed: ${hookEvents().join(', ')}`);
    }
    return LifecycleStage[stage];
  }

  /** Every CodeDeploy ECS hook event name, in deployment order. */
  public static codeDeployEvents(): string[] {
    return hookEvents();
  }

  private constructor() {}
}
