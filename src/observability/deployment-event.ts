import { EcsDetailType, NotificationKind } from './ecs-events';

/**
 * An ECS event a team can be notified of (`BlueGreenEcsServiceProps.notifications`). Each member
 * names the documented EventBridge detail-type and `detail.eventName` it matches.
 */
export class DeploymentEvent {
  /**
   * A deployment started (`ECS Deployment State Change` SERVICE_DEPLOYMENT_IN_PROGRESS). ECS sends
   * it for new deployments and for rollbacks; the message's reason says which (a circuit-breaker
   * rollback reads "ECS deployment circuit breaker: rolling back to ...").
   */
  public static readonly STARTED = new DeploymentEvent(NotificationKind.DEPLOYMENT, EcsDetailType.DEPLOYMENT_STATE_CHANGE, 'SERVICE_DEPLOYMENT_IN_PROGRESS');

  /** A deployment (or a rollback) reached steady state (`ECS Deployment State Change` SERVICE_DEPLOYMENT_COMPLETED). */
  public static readonly COMPLETED = new DeploymentEvent(NotificationKind.DEPLOYMENT, EcsDetailType.DEPLOYMENT_STATE_CHANGE, 'SERVICE_DEPLOYMENT_COMPLETED');

  /**
   * The deployment circuit breaker failed the deployment (`ECS Deployment State Change`
   * SERVICE_DEPLOYMENT_FAILED; ECS documents it for services with the circuit breaker on).
   */
  public static readonly FAILED = new DeploymentEvent(NotificationKind.DEPLOYMENT, EcsDetailType.DEPLOYMENT_STATE_CHANGE, 'SERVICE_DEPLOYMENT_FAILED');

  /**
   * A rollback alarm went into ALARM or the circuit breaker detected a failure (`ECS Service Action`
   * SERVICE_DEPLOYMENT_FAILED, which ECS documents for both causes; the deployment state change
   * event is documented for the circuit breaker only). The service rolls back.
   */
  public static readonly ROLLBACK_TRIGGERED = new DeploymentEvent(NotificationKind.SERVICE_ACTION, EcsDetailType.SERVICE_ACTION, 'SERVICE_DEPLOYMENT_FAILED');

  /** A lifecycle hook failed (`ECS Hook State Change` HOOK_FAILED; for a PAUSE hook: someone chose ROLLBACK). ECS rolls back. */
  public static readonly HOOK_FAILED = new DeploymentEvent(NotificationKind.HOOK, EcsDetailType.HOOK_STATE_CHANGE, 'HOOK_FAILED');

  /** A lifecycle hook timed out (`ECS Hook State Change` HOOK_TIMED_OUT); ECS takes the hook's timeout action. */
  public static readonly HOOK_TIMED_OUT = new DeploymentEvent(NotificationKind.HOOK, EcsDetailType.HOOK_STATE_CHANGE, 'HOOK_TIMED_OUT');

  /**
   * A PAUSE hook waits for someone to continue or roll back (`ECS Hook State Change`
   * HOOK_AWAITING_ACTION). The message carries the hook ID, its expiry and the
   * `ecs-blue-green continue` and `aws ecs continue-service-deployment` commands.
   */
  public static readonly PAUSE_AWAITING_ACTION = new DeploymentEvent(NotificationKind.PAUSE, EcsDetailType.HOOK_STATE_CHANGE, 'HOOK_AWAITING_ACTION');

  /** Every event above: the default of `notifications.events`. */
  public static all(): DeploymentEvent[] {
    return [DeploymentEvent.STARTED, DeploymentEvent.COMPLETED, DeploymentEvent.FAILED, DeploymentEvent.ROLLBACK_TRIGGERED,
      DeploymentEvent.HOOK_FAILED, DeploymentEvent.HOOK_TIMED_OUT, DeploymentEvent.PAUSE_AWAITING_ACTION];
  }

  /** The failures and the waits, without the STARTED and COMPLETED events of every deployment. */
  public static needingAttention(): DeploymentEvent[] {
    return [DeploymentEvent.FAILED, DeploymentEvent.ROLLBACK_TRIGGERED, DeploymentEvent.HOOK_FAILED,
      DeploymentEvent.HOOK_TIMED_OUT, DeploymentEvent.PAUSE_AWAITING_ACTION];
  }

  private constructor(
    /** @internal */ public readonly _kind: NotificationKind,
    /** The EventBridge detail-type of the event. */ public readonly detailType: string,
    /** The event's `detail.eventName`. */ public readonly eventName: string,
  ) {}
}
