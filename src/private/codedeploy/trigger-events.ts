// CodeDeploy deployment group triggers (SNS) and the ECS service deployment events
// (EventBridge "ECS Deployment State Change", detail.eventName) that take their place.

/** CodeDeploy trigger events and the ECS deployment events that match them. */
export const TRIGGER_EVENTS: Readonly<Record<string, readonly string[]>> = {
  DeploymentStart: ['SERVICE_DEPLOYMENT_IN_PROGRESS'],
  DeploymentSuccess: ['SERVICE_DEPLOYMENT_COMPLETED'],
  DeploymentFailure: ['SERVICE_DEPLOYMENT_FAILED'],
  DeploymentStop: ['SERVICE_DEPLOYMENT_FAILED'],
  DeploymentRollback: ['SERVICE_DEPLOYMENT_FAILED'],
  DeploymentReady: ['SERVICE_DEPLOYMENT_IN_PROGRESS'],
};

/** What a trigger's events become. */
export interface MappedTriggerEvents {
  /** The ECS deployment events matching the trigger's events, sorted, without repeats. */
  readonly ecsEvents: string[];
  /** The trigger's events with no ECS deployment event (instance events), in the trigger's order. */
  readonly unmapped: string[];
}

/** Maps a trigger's CodeDeploy events to ECS deployment events. */
export function mapTriggerEvents(events: readonly string[]): MappedTriggerEvents {
  const known = (e: string) => Object.prototype.hasOwnProperty.call(TRIGGER_EVENTS, e);
  return {
    ecsEvents: [...new Set(events.filter(known).flatMap((e) => TRIGGER_EVENTS[e]))].sort(),
    unmapped: events.filter((e) => !known(e)),
  };
}
