import { CfnOutput, Stack } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as codedeploy from 'aws-cdk-lib/aws-codedeploy';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import { Construct } from 'constructs';
import { CodeDeployToEcsMigrationProps } from './code-deploy-to-ecs-migration-props';
import { DeploymentGroupMapping } from './deployment-group-mapping';
import { newServiceExistingLoadBalancer } from './existing-load-balancer-option';
import { inPlace } from './in-place-option';
import { MigrationContext, MigrationOptionBuilder } from './migration-context';
import { MigrationOptionKind } from './migration-option';
import { MIGRATION_PROP_TYPES, checkOptionTypes } from './migration-prop-types';
import { newServiceNewLoadBalancer } from './new-load-balancer-option';
import { validatePhaseAndOption } from './phase';
import { BlueGreenValidationError } from '../errors';
import { LifecycleHook } from '../hooks/lifecycle-hook';
import { T, checkArg, checkProps } from '../private/prop-types';
import { WeightedListenerRule } from '../routing/weighted-listener-rule';
import { BlueGreenEcsService } from '../service/blue-green-ecs-service';
import { DeploymentStrategyConfig } from '../service/deployment-strategy';
import { operatorBakeHooks } from '../service/operator-bake';

/** Each option in its own file, behind one signature (`MigrationOptionBuilder`). */
const OPTIONS: { readonly [kind in MigrationOptionKind]: MigrationOptionBuilder } = {
  [MigrationOptionKind.IN_PLACE]: inPlace,
  [MigrationOptionKind.NEW_SERVICE_EXISTING_LOAD_BALANCER]: newServiceExistingLoadBalancer,
  [MigrationOptionKind.NEW_SERVICE_NEW_LOAD_BALANCER]: newServiceNewLoadBalancer,
};

/**
 * Moves a service from CodeDeploy blue/green to ECS-native blue/green, one `cdk deploy` per
 * phase (PREPARE, CUTOVER, CLEANUP; ROLLBACK to go back), with one of three options: in place,
 * new service on the existing load balancer, or new service behind a new load balancer and a
 * routing layer. No phase replaces a resource that carries traffic.
 *
 * @example
 * import * as codedeploy from 'aws-cdk-lib/aws-codedeploy';
 * import * as ecs from 'aws-cdk-lib/aws-ecs';
 * import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
 * import { CodeDeployToEcsMigration, MigrationOption, MigrationPhase } from 'cdk-ecs-blue-green';
 *
 * declare const service: ecs.FargateService;   // deploymentController: CODE_DEPLOY
 * declare const deploymentGroup: codedeploy.EcsDeploymentGroup;
 * declare const productionListener: elbv2.ApplicationListener;
 * declare const testListener: elbv2.ApplicationListener;
 * declare const blue: elbv2.ApplicationTargetGroup;      // the one serving production now
 * declare const green: elbv2.ApplicationTargetGroup;
 * new CodeDeployToEcsMigration(this, 'Migration', {
 *   service, deploymentGroup, productionListener, testListener, blueTargetGroup: blue, greenTargetGroup: green,
 *   option: MigrationOption.inPlace(),
 *   phase: MigrationPhase.PREPARE,   // then CUTOVER and CLEANUP, one cdk deploy each
 *   runningTaskDefinitionArn: 'arn:aws:ecs:eu-west-1:111122223333:task-definition/shop:7',
 * });
 */
export class CodeDeployToEcsMigration extends Construct {
  /** The human steps of this phase: what the deploy changes, what to verify, how to go back. */
  public readonly plan: string[];

  /** What the deployment group became. @default - an imported deployment group: nothing mapped */
  public readonly mapping?: DeploymentGroupMapping;

  /** The strategy ECS deploys with (rendered). */
  public readonly strategy: DeploymentStrategyConfig;

  /** Options 2 and 3: the new service. @default - option 1 */
  public readonly newService?: BlueGreenEcsService;

  /** Option 1 from CUTOVER: the weighted production rule on the existing listener. @default - not option 1 or before CUTOVER */
  public readonly productionRule?: WeightedListenerRule;

  /** Option 2: the new production listener. @default - not option 2 */
  public readonly newProductionListener?: elbv2.ApplicationListener;

  /** Option 3: the new load balancer. @default - not option 3 */
  public readonly newLoadBalancer?: elbv2.ApplicationLoadBalancer;

  /** The service being migrated (MigratedEcsService refuses to graduate it while this construct is in the app). @internal */
  public readonly _service: ecs.BaseService;

  /** The phase this synthesis deploys. @internal */
  public readonly _phase: string;

  /** Options 2 and 3: the new service's alarms (it reads the list at synthesis). */
  private readonly newServiceAlarms: cloudwatch.IAlarm[] = [];

  constructor(scope: Construct, id: string, props: CodeDeployToEcsMigrationProps) {
    super(scope, id);
    checkArg(this, 'props', props, T.required(T.object));
    // First: a typo in the phase must never fall through to a traffic switch.
    validatePhaseAndOption(this, props);
    checkProps(this, '', props, MIGRATION_PROP_TYPES);
    checkOptionTypes(this, props.option);
    this._service = props.service;
    this._phase = props.phase;
    const cfnService = props.service.node.defaultChild as ecs.CfnService;
    const controller = Stack.of(this).resolve(cfnService.deploymentController)?.type;
    if (controller !== 'CODE_DEPLOY') {
      throw new BlueGreenValidationError(this, 'service',
        `must be the service CodeDeploy deploys today (deploymentController CODE_DEPLOY), got ${controller ?? 'ECS (the default)'}; ` +
        'keep the app as it was before the migration and let the phase decide');
    }
    if (props.blueTargetGroup === props.greenTargetGroup) {
      throw new BlueGreenValidationError(this, 'greenTargetGroup', 'must differ from blueTargetGroup');
    }

    const imported = !(props.deploymentGroup.node.defaultChild instanceof codedeploy.CfnDeploymentGroup);
    if (imported && !props.strategy) {
      throw new BlueGreenValidationError(this, 'strategy',
        'is required when deploymentGroup is imported (its deployment configuration is unknown at synth time); ' +
        '`ecs-blue-green plan --codedeploy-app A --deployment-group G` prints the mapped strategy, hooks and alarms');
    }
    this.mapping = imported ? undefined : DeploymentGroupMapping.of(props.deploymentGroup);
    if (this.mapping) this.checkListeners(props, this.mapping);
    const strategy = props.strategy ?? this.mapping!.strategy;
    const hooks: LifecycleHook[] = props.hooks ?? (this.mapping?.approvalHook ? [this.mapping.approvalHook] : []);
    this.strategy = strategy.bind(this);

    const ctx: MigrationContext = {
      scope: this,
      props,
      cfnService,
      mapping: this.mapping,
      strategy,
      strategyConfig: this.strategy,
      hooks: [...hooks, ...operatorBakeHooks(this.strategy)],
      newServiceAlarms: this.newServiceAlarms,
    };
    const built = OPTIONS[props.option.kind](ctx);
    this.plan = built.plan;
    this.productionRule = built.productionRule;
    this.newService = built.newService;
    this.newProductionListener = built.newProductionListener;
    this.newLoadBalancer = built.newLoadBalancer;

    if (props.planOutput) {
      new CfnOutput(this, 'Plan', {
        description: `${props.option.kind} ${props.phase}: steps of this phase`,
        value: this.plan.map((line, i) => `${i + 1}. ${line}`).join(' ').slice(0, 4000),
      });
    }
  }

  /**
   * Options 2 and 3: one more alarm that rolls the new service's deployments back, e.g. on the
   * new load balancer of option 3, which exists only once the migration does
   * (`migration.newLoadBalancer!.metrics.httpCodeElb(...)`).
   * @param alarm the alarm
   */
  public addAlarm(alarm: cloudwatch.IAlarm): void {
    if (!this.newService) {
      throw new BlueGreenValidationError(this, 'addAlarm',
        'is for options 2 and 3 (a new service); option 1 keeps the service and its target groups: pass the alarm in alarms');
    }
    this.newServiceAlarms.push(alarm);
  }

  /**
   * The listeners must be the deployment group's: the migration moves (option 2) or removes
   * (CLEANUP) what the group routes through, and a test listener left out would keep forwarding to
   * a target group CLEANUP deletes.
   */
  private checkListeners(p: CodeDeployToEcsMigrationProps, mapping: DeploymentGroupMapping): void {
    const stack = Stack.of(this);
    const same = (a: string, b: string) => JSON.stringify(stack.resolve(a)) === JSON.stringify(stack.resolve(b));
    if (mapping.productionListenerArns.length > 0 && !mapping.productionListenerArns.some((arn) => same(arn, p.productionListener.listenerArn))) {
      throw new BlueGreenValidationError(this, 'productionListener',
        `must be the deployment group's production listener (ProdTrafficRoute), got ${p.productionListener.node.path}`);
    }
    const groupTest = mapping.testListenerArns[0];
    if (groupTest !== undefined && !p.testListener) {
      throw new BlueGreenValidationError(this, 'testListener',
        'is required: the deployment group routes test traffic through a test listener (TestTrafficRoute); pass it so the migration ' +
        'gives it a weighted test rule (option 1), swaps its port (option 2) or removes it with the old path (CLEANUP)');
    }
    if (p.testListener && groupTest !== undefined && !same(groupTest, p.testListener.listenerArn)) {
      throw new BlueGreenValidationError(this, 'testListener',
        `must be the deployment group's test listener (TestTrafficRoute), got ${p.testListener.node.path}`);
    }
  }
}
