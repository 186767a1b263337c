import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as events from 'aws-cdk-lib/aws-events';
import { Construct } from 'constructs';
import { EcsDetailType, NotificationKind } from './ecs-events';

/** The operator CLI's program name (src/cli/command.ts PROGRAM; constructs do not import the CLI). */
const CLI = 'ecs-blue-green';

/** What one notification rule watches and where its message goes. @internal */
export interface NotificationRuleProps {
  /** The service whose events the rule matches (by its ARN); its and its cluster's names go into the message. */
  readonly service: ecs.IBaseService;
  /** `detail.eventName` values to match; empty: every event of the kind's detail-type. */
  readonly eventNames: string[];
  /** Receives the rendered message (SNS topic, Lambda, API destination, ...). */
  readonly target: events.IRuleTarget;
  /** @default - a description naming the kind of events */
  readonly description?: string;
}

/**
 * An EventBridge rule on one service's ECS events of one kind, delivering a message a person can
 * read (an input transformer) to `target`. The migration's CodeDeploy trigger mapping uses it
 * through `DeploymentEventRule`.
 *
 * Event shapes (ECS Developer Guide):
 *  - "Amazon ECS service deployment state change events": `resources` = [service ARN];
 *    detail {eventType, eventName, deploymentId, updatedAt, reason}.
 *  - "Amazon ECS service action events": `resources` = [service ARN]; detail {eventType, eventName,
 *    clusterArn, createdAt, ...}. SERVICE_DEPLOYMENT_FAILED has no documented example, so its message
 *    uses only eventName and the envelope's time.
 *  - "Amazon ECS service deployment hook state change events" (detail-type `ECS Hook State Change`):
 *    `resources` = [service deployment ARN], so the rule filters on `detail.serviceArn`; detail
 *    {eventType, eventName, hookId, hookType, expiresAt, lifecycleStage, clusterArn, serviceArn,
 *    serviceDeploymentArn, updatedAt}. The guide's only example is HOOK_AWAITING_ACTION; the
 *    HOOK_FAILED and HOOK_TIMED_OUT messages read the same fields of the same detail-type.
 * @internal
 */
export function notificationRule(scope: Construct, id: string, kind: NotificationKind, props: NotificationRuleProps): events.Rule {
  return new events.Rule(scope, id, notificationRuleProps(kind, props));
}

/** The pattern, description and message-carrying target of a notification rule. @internal */
export function notificationRuleProps(kind: NotificationKind, props: NotificationRuleProps): events.RuleProps {
  const serviceArn = props.service.serviceArn;
  const names = [...new Set(props.eventNames)].sort();
  const eventName = names.length > 0 ? { eventName: names } : {};
  const pattern: events.EventPattern = kind === NotificationKind.DEPLOYMENT || kind === NotificationKind.SERVICE_ACTION
    ? {
      source: ['aws.ecs'],
      detailType: [kind === NotificationKind.DEPLOYMENT ? EcsDetailType.DEPLOYMENT_STATE_CHANGE : EcsDetailType.SERVICE_ACTION],
      resources: [serviceArn],
      detail: names.length > 0 ? eventName : undefined,
    }
    : { source: ['aws.ecs'], detailType: [EcsDetailType.HOOK_STATE_CHANGE], detail: { serviceArn: [serviceArn], ...eventName } };
  const message = messageOf(kind, props.service);
  const target: events.IRuleTarget = {
    // The message replaces whatever input the target would send: every target gets the same text.
    bind: (rule, targetId) => ({ ...props.target.bind(rule, targetId), input: message }),
  };
  return {
    description: props.description ?? DESCRIPTIONS[kind],
    eventPattern: pattern,
    targets: [target],
  };
}

const DESCRIPTIONS: Record<NotificationKind, string> = {
  [NotificationKind.DEPLOYMENT]: 'ECS deployment state changes of the service',
  [NotificationKind.SERVICE_ACTION]: 'ECS deployment failures (rollback alarm or circuit breaker) of the service',
  [NotificationKind.HOOK]: 'Failed and timed-out lifecycle hooks of the service',
  [NotificationKind.PAUSE]: 'PAUSE hooks of the service awaiting action',
};

function messageOf(kind: NotificationKind, service: ecs.IBaseService): events.RuleTargetInput {
  const f = (path: string) => events.EventField.fromPath(path);
  const svc = service.serviceName;
  const cluster = service.cluster.clusterName;
  const who = `ECS service ${svc} (cluster ${cluster})`;
  switch (kind) {
    case NotificationKind.DEPLOYMENT:
      return events.RuleTargetInput.fromText(
        `${who}: ${f('$.detail.eventName')} at ${f('$.time')}. ${f('$.detail.reason')} (deployment ${f('$.detail.deploymentId')})`);
    case NotificationKind.SERVICE_ACTION:
      return events.RuleTargetInput.fromText(
        `${who}: ${f('$.detail.eventName')} at ${f('$.time')}: a rollback alarm went into ALARM or the deployment circuit breaker ` +
        'tripped. ECS rolls the service back to its last completed deployment.');
    case NotificationKind.HOOK:
      return events.RuleTargetInput.fromText(
        `${who}: lifecycle hook ${f('$.detail.hookId')} (${f('$.detail.hookType')}) at ${f('$.detail.lifecycleStage')}: ` +
        `${f('$.detail.eventName')} at ${f('$.time')}. After HOOK_FAILED ECS rolls the deployment back; after HOOK_TIMED_OUT it takes ` +
        `the hook's timeout action (ROLLBACK unless set to CONTINUE). Deployment: ${f('$.detail.serviceDeploymentArn')}`);
    case NotificationKind.PAUSE: {
      const hook = f('$.detail.hookId');
      const deployment = f('$.detail.serviceDeploymentArn');
      const aws = `aws ecs continue-service-deployment --service-deployment-arn ${deployment} --hook-id ${hook} --action`;
      return events.RuleTargetInput.fromText([
        `${who} is paused at ${f('$.detail.lifecycleStage')}: PAUSE hook ${hook} awaits action until ${f('$.detail.expiresAt')}, ` +
        "then ECS takes the hook's timeout action.",
        `Continue:  ${CLI} continue ${cluster} ${svc} --hook-id ${hook} --deployment ${deployment}`,
        `       or: ${aws} CONTINUE`,
        `Roll back: ${CLI} rollback ${cluster} ${svc} --deployment ${deployment}`,
        `       or: ${aws} ROLLBACK`,
      ].join('\n'));
    }
  }
}
