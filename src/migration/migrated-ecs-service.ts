import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as sns from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';
import { loadBalancerEntry, switchToEcsController, weightedRules } from './ecs-controller-switch';
import { checkGraduation } from './graduation-check';
import { MIGRATED_SERVICE_PROP_TYPES } from './migration-prop-types';
import { LifecycleHook } from '../hooks/lifecycle-hook';
import { DeploymentEventRule } from '../observability/deployment-event-rule';
import { checkProps } from '../private/prop-types';
import { integerInRange } from '../private/validate';
import { WeightedListenerRule } from '../routing/weighted-listener-rule';
import { DeploymentStrategy } from '../service/deployment-strategy';
import { operatorBakeHooks } from '../service/operator-bake';

/**
 * Where a migrated service's deployment events go (what a CodeDeploy trigger became). The rule
 * sends a readable message (service, cluster, event name, time, reason, deployment ID) through an
 * input transformer, the same text as `BlueGreenEcsService` notifications.
 */
export interface DeploymentEventNotification {
  /** The topic that receives the events. */
  readonly topic: sns.ITopic;

  /**
   * ECS deployment event names to send (`SERVICE_DEPLOYMENT_COMPLETED`, ...).
   * @default - every `ECS Deployment State Change` event of the service
   */
  readonly eventNames?: string[];

  /**
   * Description of the EventBridge rule (the migration's was `ECS deployment events of the
   * service (was CodeDeploy trigger <name>)`: give it to leave the rule untouched).
   * @default 'ECS deployment events of the service'
   */
  readonly description?: string;
}

/** Props of `MigratedEcsService`. */
export interface MigratedEcsServiceProps {
  /**
   * The service the in-place migration moved to the ECS controller. Its code may still say
   * `deploymentController: CODE_DEPLOY` or say ECS: this construct renders ECS either way.
   */
  readonly service: ecs.BaseService;

  /** The production listener (the migration's `productionListener`). */
  readonly productionListener: elbv2.IApplicationListener;

  /**
   * The test listener (the migration's `testListener`).
   * @default - no test rule
   */
  readonly testListener?: elbv2.IApplicationListener;

  /** The migration's `blueTargetGroup` (a name only: ECS keeps the live weights). */
  readonly blueTargetGroup: elbv2.IApplicationTargetGroup;

  /** The migration's `greenTargetGroup`. */
  readonly greenTargetGroup: elbv2.IApplicationTargetGroup;

  /** How ECS shifts traffic (the migration's `strategy`, or what `migration.strategy` rendered). */
  readonly strategy: DeploymentStrategy;

  /**
   * Lifecycle hooks.
   * @default - none
   */
  readonly hooks?: LifecycleHook[];

  /**
   * Alarms that roll a deployment back.
   * @default - none
   */
  readonly alarms?: cloudwatch.IAlarm[];

  /**
   * The migration's `rulePriority`.
   * @default 50000
   */
  readonly rulePriority?: number;

  /**
   * Deployment event notifications (the migration's EventBridge rules for the deployment group's
   * SNS triggers, kept in place when given in the same order).
   * @default - none
   */
  readonly notifications?: DeploymentEventNotification[];
}

/**
 * The end of an in-place migration (option 1): after CLEANUP, replace `CodeDeployToEcsMigration`
 * with this construct, under the same ID in the same scope (usually `'Migration'`), and delete
 * the deployment group from the app. It renders on the existing service what CLEANUP rendered
 * (ECS controller, strategy, circuit breaker with rollback, alarms, hooks, the weighted rules
 * and infrastructure role at the same logical IDs, so nothing is replaced and the rules keep
 * the weights ECS left), names the app's task definition revision, and drops what only the
 * migration needed (its checks and task definition pin).
 *
 * It refuses to be created while the app still holds the CodeDeploy deployment group of the
 * service, or the migration itself: deploy CLEANUP first.
 *
 * Graduate after at least one release since CUTOVER (or when the app's task definition is the
 * revision that runs): until then the migration's pin may name the revision CodeDeploy ran,
 * and graduating deploys the app's revision instead.
 */
export class MigratedEcsService extends Construct {
  /** The weighted production rule. */
  public readonly productionRule: WeightedListenerRule;

  /** The weighted test rule. @default - no test listener */
  public readonly testRule?: WeightedListenerRule;

  constructor(scope: Construct, id: string, props: MigratedEcsServiceProps) {
    super(scope, id);
    checkProps(this, '', props, MIGRATED_SERVICE_PROP_TYPES);
    // First: graduating before CLEANUP would skip the migration's checks.
    checkGraduation(this, props.service);
    const cfnService = props.service.node.defaultChild as ecs.CfnService;
    const entry = loadBalancerEntry(this, cfnService, 'keep service.attachToApplicationTargetGroup(blueTargetGroup) as in the migration');
    const priority = integerInRange(this, 'rulePriority', props.rulePriority ?? WeightedListenerRule.DEFAULT_PRIORITY, 1, 50000);
    const strategy = props.strategy.bind(this);

    // Same construct IDs as the migration's, hence the same logical IDs and live-weights keys.
    const rules = weightedRules(this, props, priority);
    this.productionRule = rules.production;
    this.testRule = rules.test;
    // Under CODE_DEPLOY aws-cdk-lib names the family; on ECS the revision of the app.
    cfnService.taskDefinition = props.service.taskDefinition.taskDefinitionArn;
    const alarms = props.alarms ?? [];
    switchToEcsController(this, props, {
      entry,
      rules,
      strategy,
      alarms: { names: alarms.map((a) => a.alarmName), rollback: true },
      hooks: [...props.hooks ?? [], ...operatorBakeHooks(strategy)],
    });
    (props.notifications ?? []).forEach((n, i) => new DeploymentEventRule(this, `Notify${i}`, {
      service: props.service,
      eventNames: n.eventNames ?? [],
      target: new targets.SnsTopic(n.topic),
      description: n.description ?? 'ECS deployment events of the service',
    }));
  }
}
