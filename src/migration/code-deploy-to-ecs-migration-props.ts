import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as codedeploy from 'aws-cdk-lib/aws-codedeploy';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import { MigrationOption, MigrationPhase } from './migration-option';
import { LifecycleHook } from '../hooks/lifecycle-hook';
import { DeploymentStrategy } from '../service/deployment-strategy';

/** Props of `CodeDeployToEcsMigration`. */
export interface CodeDeployToEcsMigrationProps {
  /** The service deployed by CodeDeploy today (deployment controller CODE_DEPLOY). */
  readonly service: ecs.BaseService;

  /**
   * Its CodeDeploy deployment group. Defined in this app, its configuration, alarms, approval
   * wait, termination wait and SNS triggers are mapped (see `DeploymentGroupMapping`) and CLEANUP
   * removes it with its application and role. Imported (`fromEcsDeploymentGroupAttributes`), its
   * settings are unknown at synth time: pass `strategy` (and `alarms`, `hooks`; `ecs-blue-green
   * plan` prints them), and delete it yourself after CLEANUP.
   */
  readonly deploymentGroup: codedeploy.IEcsDeploymentGroup;

  /** The production listener of the deployment group. */
  readonly productionListener: elbv2.ApplicationListener;

  /**
   * The test listener of the deployment group.
   * @default - no test traffic
   */
  readonly testListener?: elbv2.ApplicationListener;

  /**
   * The target group that serves production traffic now. CodeDeploy alternates the two target
   * groups (`aws elbv2 describe-listeners` shows the live one). Option 1 reads it at deploy time:
   * CUTOVER and ROLLBACK fail before traffic moves, naming the live target group, when it is not
   * where the phase would send production.
   */
  readonly blueTargetGroup: elbv2.ApplicationTargetGroup;

  /** The other target group of the deployment group. */
  readonly greenTargetGroup: elbv2.ApplicationTargetGroup;

  /** Which migration. */
  readonly option: MigrationOption;

  /** Which deploy of the migration this synthesis is. */
  readonly phase: MigrationPhase;

  /**
   * How ECS shifts traffic.
   * @default - mapped from the deployment group's configuration and termination wait time
   */
  readonly strategy?: DeploymentStrategy;

  /**
   * Lifecycle hooks (map the AppSpec's hooks with `LifecycleStages.fromCodeDeployEvent`).
   * @default - the approval wait of the deployment group as a PAUSE hook, if it has one
   */
  readonly hooks?: LifecycleHook[];

  /**
   * Alarms that roll a deployment back.
   * @default - the deployment group's alarms
   */
  readonly alarms?: cloudwatch.IAlarm[];

  /**
   * Option 1: ARN of the task definition revision the service runs now (CodeDeploy may have
   * deployed a newer one than the template's; `aws ecs describe-services --query
   * 'services[0].taskDefinition'`). The controller switch then deploys no new task definition.
   * @default - the template's task definition, with a warning
   */
  readonly runningTaskDefinitionArn?: string;

  /**
   * Option 1: priority of the weighted production (and test) rule on the existing listeners.
   * @default 50000 - evaluated after every other rule
   */
  readonly rulePriority?: number;

  /**
   * Option 3: percentage of traffic the CUTOVER deploy sends to the new load balancer (deploy
   * CUTOVER several times to shift in steps, e.g. 10, then 50, then 100).
   * @default 100
   */
  readonly cutoverPercent?: number;

  /**
   * Add a CfnOutput with the phase's plan.
   * @default false
   */
  readonly planOutput?: boolean;
}
