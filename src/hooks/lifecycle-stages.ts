import { LifecycleStage } from './lifecycle-hook';
import { BlueGreenValidationError } from '../errors';

/** CodeDeploy AppSpec hook events and the ECS lifecycle stage each becomes. */
const CODEDEPLOY_EVENTS: Record<string, LifecycleStage> = {
  BeforeInstall: LifecycleStage.PRE_SCALE_UP,
  AfterInstall: LifecycleStage.POST_SCALE_UP,
  AfterAllowTestTraffic: LifecycleStage.POST_TEST_TRAFFIC_SHIFT,
  // CodeDeploy ran BeforeAllowTraffic once, before production traffic moved: that is
  // PRE_PRODUCTION_TRAFFIC_SHIFT. PRODUCTION_TRAFFIC_SHIFT runs at every traffic step and again on rollback.
  BeforeAllowTraffic: LifecycleStage.PRE_PRODUCTION_TRAFFIC_SHIFT,
  AfterAllowTraffic: LifecycleStage.POST_PRODUCTION_TRAFFIC_SHIFT,
};

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
    const stage = Object.prototype.hasOwnProperty.call(CODEDEPLOY_EVENTS, name) ? CODEDEPLOY_EVENTS[name] : undefined;
    if (stage === undefined) {
      throw new BlueGreenValidationError('LifecycleStages.fromCodeDeployEvent', 'name',
        `'${name}' is not a CodeDeploy ECS hook event; allowed: ${Object.keys(CODEDEPLOY_EVENTS).join(', ')}`);
    }
    return stage;
  }

  /** Every CodeDeploy ECS hook event name, in deployment order. */
  public static codeDeployEvents(): string[] {
    return Object.keys(CODEDEPLOY_EVENTS);
  }

  private constructor() {}
}
