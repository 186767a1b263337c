import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as events from 'aws-cdk-lib/aws-events';
import { Construct } from 'constructs';
import { DeploymentEvent } from './deployment-event';
import { NotificationKind } from './ecs-events';
import { notificationRuleProps } from './notification-rule';
import { BlueGreenValidationError } from '../errors';
import { PropTable, T, checkProps } from '../private/prop-types';

/** The `detail.eventName` values of `ECS Deployment State Change` events, as `DeploymentEvent` names them. */
const DEPLOYMENT_EVENT_NAMES = DeploymentEvent.all().filter((e) => e._kind === NotificationKind.DEPLOYMENT).map((e) => e.eventName);

/** The runtime types of `DeploymentEventRuleProps`, for JavaScript callers. */
const EVENT_RULE_PROP_TYPES: PropTable = {
  service: T.required(T.construct('the ecs.IBaseService whose deployments are reported')),
  target: T.required(T.shape('an EventBridge rule target (e.g. new targets.SnsTopic(topic))', ['bind'])),
  eventNames: T.list(T.string),
  description: T.string,
};

/** Properties of a `DeploymentEventRule`. */
export interface DeploymentEventRuleProps {
  /** The service whose deployment events the rule matches (by its ARN). */
  readonly service: ecs.IBaseService;

  /** Receives the message (an SNS topic, a Lambda function, an API destination, ...). */
  readonly target: events.IRuleTarget;

  /**
   * `ECS Deployment State Change` event names to match: `SERVICE_DEPLOYMENT_IN_PROGRESS`,
   * `SERVICE_DEPLOYMENT_COMPLETED`, `SERVICE_DEPLOYMENT_FAILED`.
   * @default - every deployment state change of the service
   */
  readonly eventNames?: string[];

  /**
   * The rule's description.
   * @default 'ECS deployment state changes of the service'
   */
  readonly description?: string;
}

/**
 * An EventBridge rule on one service's `ECS Deployment State Change` events that sends the target
 * a message a person can read (input transformer): `ECS service <name> (cluster <name>):
 * <eventName> at <time>. <reason> (deployment <deploymentId>)`.
 *
 * This is the rule a CodeDeploy SNS trigger becomes in `CodeDeployToEcsMigration` (`Notify<i>`)
 * and in `MigratedEcsService`'s `notifications`; after graduating to `BlueGreenEcsService`, create
 * it under the same ID and scope with the same event names and description and it stays in place.
 */
export class DeploymentEventRule extends events.Rule {
  constructor(scope: Construct, id: string, props: DeploymentEventRuleProps) {
    // The rule does not exist before super(): errors name the path it will have.
    checkProps(scope.node.path ? `${scope.node.path}/${id}` : id, '', props, EVENT_RULE_PROP_TYPES);
    const eventNames = props.eventNames ?? [];
    eventNames.forEach((name, i) => {
      if (!DEPLOYMENT_EVENT_NAMES.includes(name)) {
        throw new BlueGreenValidationError(scope, `eventNames[${i}]`,
          `must be one of ${DEPLOYMENT_EVENT_NAMES.join(', ')} (the ECS Deployment State Change event names), got ${JSON.stringify(name)}`);
      }
    });
    super(scope, id, notificationRuleProps(NotificationKind.DEPLOYMENT, {
      service: props.service,
      target: props.target,
      eventNames,
      description: props.description,
    }));
  }
}
