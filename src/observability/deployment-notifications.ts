import * as events from 'aws-cdk-lib/aws-events';
import { DeploymentEvent } from './deployment-event';

/** Where a service's deployment notifications go and which events they cover (`BlueGreenEcsServiceProps.notifications`). */
export interface DeploymentNotifications {
  /**
   * Receives one text message per event: an SNS topic (`new targets.SnsTopic(topic)`), a chat
   * webhook through an API destination (`new targets.ApiDestination(destination)`), a Lambda
   * (`new targets.LambdaFunction(fn)`), or any other EventBridge target. The message replaces any
   * input the target was given.
   */
  readonly target: events.IRuleTarget;

  /**
   * The events to notify of. One EventBridge rule per kind of message is created: deployment state
   * changes (STARTED, COMPLETED, FAILED), ROLLBACK_TRIGGERED, failed or timed-out hooks
   * (HOOK_FAILED, HOOK_TIMED_OUT) and PAUSE_AWAITING_ACTION.
   * @default DeploymentEvent.all(): 4 rules
   */
  readonly events?: DeploymentEvent[];
}
