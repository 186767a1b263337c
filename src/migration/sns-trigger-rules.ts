import { Annotations, Stack } from 'aws-cdk-lib';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as sns from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';
import { DeploymentGroupMapping } from './deployment-group-mapping';
import { DeploymentEventRule } from '../observability/deployment-event-rule';

/**
 * The deployment group's SNS triggers as EventBridge rules on the service's deployment events
 * (`Topic<i>` and `Notify<i>` under the migration). The one place the migration maps triggers;
 * `MigratedEcsService` renders the same rules from its `notifications` prop.
 * @internal
 */
export function snsTriggerRules(scope: Construct, mapping: DeploymentGroupMapping | undefined, service: ecs.BaseService): void {
  const stack = Stack.of(scope);
  (mapping?.triggers ?? []).forEach((trigger, i) => {
    const wanted = JSON.stringify(stack.resolve(trigger.topicArn));
    const topic = stack.node.findAll().find((c): c is sns.Topic => c instanceof sns.Topic && JSON.stringify(stack.resolve(c.topicArn)) === wanted)
      ?? sns.Topic.fromTopicArn(scope, `Topic${i}`, trigger.topicArn);
    if (!(topic instanceof sns.Topic)) {
      Annotations.of(scope).addWarningV2('cdk-ecs-blue-green:migration-imported-topic',
        `trigger ${trigger.name}: the topic is not defined in this app, so its policy cannot be extended; allow events.amazonaws.com to publish to it`);
    }
    new DeploymentEventRule(scope, `Notify${i}`, {
      service,
      eventNames: trigger.ecsEventNames,
      target: new targets.SnsTopic(topic),
      description: `ECS deployment events of the service (was CodeDeploy trigger ${trigger.name})`,
    });
  });
}
