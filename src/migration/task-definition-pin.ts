import { Annotations, CustomResource, Lazy, Names, Token } from 'aws-cdk-lib';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import { Construct } from 'constructs';
import { migrationProvider } from './cleanup-precondition';
import { BlueGreenValidationError } from '../errors';

/**
 * Option 1: the task definition the service names once the migration has switched its
 * controller, decided at deploy time by a custom resource of the migration's provider (rules in
 * pin-state.ts). The switch keeps the revision that runs (`runningTaskDefinitionArn`), so the
 * controller change deploys no task definition; the first change of the app's task definition
 * after it is an ordinary ECS blue/green deployment of the new revision; in ROLLBACK the service
 * keeps what it runs. The service's `TaskDefinition` is this resource's `TaskDefinitionArn`.
 *
 * Besides the pin, the resource states what every revision it can name has: the app's task
 * definition's `NetworkMode` and `RequiresCompatibilities` (the running revision is of the service
 * that runs on the same launch type). The handler ignores them. They are for template checks that
 * follow the service's `TaskDefinition` reference to whatever resource it names: aws-cdk-lib's
 * built-in CloudFormation validation (E3054, an error under `cdk init`'s recommended flag
 * `@aws-cdk/core:validateAgainstDefaultRules`) reads both from this resource and, without them,
 * fails a FARGATE service with `RequiresCompatibilities: [''] does not contain items matching
 * 'FARGATE'`. Adding them to an existing stack updates the resource with the same pin properties,
 * so its answer (and the service) does not change (pin-state.ts decides on `TaskDefinitionPin` only).
 * @internal
 */
export class TaskDefinitionPin extends Construct {
  /** The task definition ARN for the service's `TaskDefinition`. */
  public readonly taskDefinitionArn: string;

  constructor(scope: Construct, id: string, props: {
    readonly runningTaskDefinitionArn: string;
    readonly taskDefinition: ecs.TaskDefinition;
    /** ROLLBACK: the service is on CODE_DEPLOY again, its task definition must not change. */
    readonly frozen: boolean;
  }) {
    super(scope, id);
    const provider = migrationProvider(this);
    const cfnTaskDefinition = props.taskDefinition.node.defaultChild as ecs.CfnTaskDefinition;
    const resource = new CustomResource(this, 'Resource', {
      serviceToken: provider.serviceToken,
      resourceType: 'Custom::EcsBlueGreenTaskDefinitionPin',
      properties: {
        TaskDefinitionPin: {
          Running: props.runningTaskDefinitionArn,
          Template: props.taskDefinition.taskDefinitionArn,
          ...(props.frozen ? { Frozen: 'true' } : {}),
        },
        NetworkMode: Lazy.any({ produce: () => cfnTaskDefinition.networkMode }),
        RequiresCompatibilities: Lazy.any({ produce: () => cfnTaskDefinition.requiresCompatibilities }),
      },
    });
    this.taskDefinitionArn = resource.getAttString('TaskDefinitionArn');
  }
}

/** The family of a literal task definition ARN (`.../task-definition/shop:7` → `shop`). */
export function familyOfArn(arn: string): string | undefined {
  if (Token.isUnresolved(arn)) return undefined;
  const m = /:task-definition\/([^:/]+):\d+$/.exec(arn);
  return m?.[1];
}

/**
 * `runningTaskDefinitionArn` is a task definition revision ARN; a family other than the app's
 * task definition's (when the app names its family) is most likely a copy-paste from another
 * service: warned, as a service may run any family.
 */
export function checkRunningTaskDefinition(scope: Construct, arn: string, taskDefinition: ecs.TaskDefinition): void {
  if (Token.isUnresolved(arn)) return;
  const family = familyOfArn(arn);
  if (family === undefined) {
    throw new BlueGreenValidationError(scope, 'runningTaskDefinitionArn',
      `must be a task definition revision ARN (arn:aws:ecs:<region>:<account>:task-definition/<family>:<revision>), got ${JSON.stringify(arn)}; ` +
      'aws ecs describe-services --query services[0].taskDefinition prints it');
  }
  const appFamily = taskDefinition.family;
  // A family the app left to aws-cdk-lib (its unique ID) says nothing about the user's intent.
  const named = !Token.isUnresolved(appFamily) && appFamily !== Names.uniqueId(taskDefinition);
  if (named && appFamily !== family) {
    Annotations.of(scope).addWarningV2('cdk-ecs-blue-green:migration-running-task-definition-family',
      `runningTaskDefinitionArn names family ${family}, the service's task definition ${taskDefinition.node.path} is family ${appFamily}: ` +
      'the switch keeps the revision given, and the first change of the task definition after CUTOVER deploys the app\'s family. Check the ARN (aws ecs describe-services).');
  }
}

/**
 * Option 1 without `runningTaskDefinitionArn`: in PREPARE (so it can be set before the switch)
 * and in the phases that switch. `which` names the deploy that switches the controller.
 */
export function warnNotPinned(scope: Construct, which: string): void {
  Annotations.of(scope).addWarningV2('cdk-ecs-blue-green:migration-task-definition-not-pinned',
    `runningTaskDefinitionArn is not set: switching the controller renders the task definition as an ARN (a family name under CODE_DEPLOY), so ${which} ` +
    'also updates the task definition, and CodeDeploy may run a newer revision than the template\'s. If the update fails, CloudFormation\'s rollback ' +
    'can fail with "Unable to update task definition on services with a CODE_DEPLOY deployment controller". Set runningTaskDefinitionArn to the ' +
    'revision the service runs (aws ecs describe-services --query services[0].taskDefinition).');
}
