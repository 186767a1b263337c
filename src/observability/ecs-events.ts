/**
 * The EventBridge detail-types of the ECS events a notification can follow, as the ECS Developer
 * Guide names them ("Amazon ECS service deployment state change events", "Amazon ECS service
 * action events", "Amazon ECS service deployment hook state change events").
 * @internal
 */
export enum EcsDetailType {
  /** Deployment started, completed or failed; `resources` holds the service ARN. */
  DEPLOYMENT_STATE_CHANGE = 'ECS Deployment State Change',
  /** Service actions; `resources` holds the service ARN. */
  SERVICE_ACTION = 'ECS Service Action',
  /** Lifecycle hook state; `resources` holds the service deployment ARN, `detail.serviceArn` the service. */
  HOOK_STATE_CHANGE = 'ECS Hook State Change',
}

/**
 * Which message a notification renders; one EventBridge rule per kind and service (one rule has one
 * input transformer).
 * @internal
 */
export enum NotificationKind {
  /** `ECS Deployment State Change`: the deployment's reason text. */
  DEPLOYMENT = 'Deployment',
  /** `ECS Service Action` SERVICE_DEPLOYMENT_FAILED: an alarm or the circuit breaker failed the deployment. */
  SERVICE_ACTION = 'ServiceAction',
  /** `ECS Hook State Change` of a failed or timed-out hook. */
  HOOK = 'Hook',
  /** `ECS Hook State Change` HOOK_AWAITING_ACTION: a PAUSE hook waits, with the commands that continue it. */
  PAUSE = 'Pause',
}
