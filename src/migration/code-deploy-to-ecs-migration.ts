import { Annotations, CfnOutput, Stack } from 'aws-cdk-lib';
import * as cloudfront from 'aws-cdk-lib/aws-cloudfront';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as codedeploy from 'aws-cdk-lib/aws-codedeploy';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as route53 from 'aws-cdk-lib/aws-route53';
import * as route53Targets from 'aws-cdk-lib/aws-route53-targets';
import * as sns from 'aws-cdk-lib/aws-sns';
import { Construct, IConstruct } from 'constructs';
import { mapAlarmsToNewPath, PathPair, warnOldPathAlarms } from './alarm-mapping';
import { apiGatewayPhase } from './api-gateway-routing';
import { CleanupPrecondition } from './cleanup-precondition';
import { DeploymentGroupMapping } from './deployment-group-mapping';
import { attachedTo, checkForeignRules, listenerSettings } from './listener-copy';
import { LiveTargetGroupCheck } from './live-target-group';
import {
  CloudFrontOriginRoutingOptions, MigrationOption, MigrationOptionKind, MigrationPhase, Route53WeightedRoutingOptions, RoutingLayerKind,
} from './migration-option';
import { validatePhaseAndOption } from './phase';
import { checkRunningTaskDefinition, TaskDefinitionPin, warnNotPinned } from './task-definition-pin';
import { BlueGreenValidationError } from '../errors';
import { waitForHookRole } from '../hooks/hook-role-dependency';
import { LifecycleHook } from '../hooks/lifecycle-hook';
import { renderLifecycleHooks } from '../hooks/render';
import { exemptFromNag } from '../private/nag';
import { removeFromApp } from '../private/remove';
import { integerInRange } from '../private/validate';
import { WeightedListenerRule } from '../routing/weighted-listener-rule';
import { BlueGreenEcsService } from '../service/blue-green-ecs-service';
import { DeploymentStrategy, DeploymentStrategyConfig } from '../service/deployment-strategy';
import { infrastructureRoleFor } from '../service/infrastructure-role';
import { renderLoadBalancer, renderStrategy } from '../service/render';
import { TrafficRouting } from '../service/traffic-routing';

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

/** A record name as Route 53 stores it: relative names are completed with the zone's name. */
function fullyQualified(recordName: string, zoneName: string): string {
  const name = recordName.replace(/\.$/, '');
  const zone = zoneName.replace(/\.$/, '');
  return name === zone || name.endsWith(`.${zone}`) ? name : `${name}.${zone}`;
}

/** The cluster, name and ARN of a service, for the CLEANUP check. */
function serviceRef(service: ecs.BaseService) {
  return { cluster: service.cluster.clusterName, serviceName: service.serviceName, serviceArn: service.serviceArn };
}

/**
 * Moves a service from CodeDeploy blue/green to ECS-native blue/green, one `cdk deploy` per
 * phase (PREPARE, CUTOVER, CLEANUP; ROLLBACK to go back), with one of three options: in place,
 * new service on the existing load balancer, or new service behind a new load balancer and a
 * routing layer. No phase replaces a resource that carries traffic.
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

  private readonly props: CodeDeployToEcsMigrationProps;
  private readonly cfnService: ecs.CfnService;
  private readonly hooks: LifecycleHook[];
  /** Options 2 and 3: the new service's alarms (it reads the list at synthesis). */
  private readonly newServiceAlarms: cloudwatch.IAlarm[] = [];
  /** Options 2 and 3: the app's alarms on the old path, copied onto the new one; CLEANUP deletes them. */
  private oldPathAlarms: IConstruct[] = [];
  private alarmNotes: string[] = [];

  constructor(scope: Construct, id: string, props: CodeDeployToEcsMigrationProps) {
    super(scope, id);
    // First: a typo in the phase must never fall through to a traffic switch.
    validatePhaseAndOption(this, props);
    this.props = props;
    this.cfnService = props.service.node.defaultChild as ecs.CfnService;
    const controller = Stack.of(this).resolve(this.cfnService.deploymentController)?.type;
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
    if (this.mapping) this.checkListeners(this.mapping);
    const strategy = props.strategy ?? this.mapping!.strategy;
    this.hooks = props.hooks ?? (this.mapping?.approvalHook ? [this.mapping.approvalHook] : []);
    this.strategy = strategy.bind(this);

    switch (props.option.kind) {
      case MigrationOptionKind.IN_PLACE: {
        const r = this.inPlace();
        this.productionRule = r.rule;
        this.plan = r.plan;
        break;
      }
      case MigrationOptionKind.NEW_SERVICE_EXISTING_LOAD_BALANCER: {
        const r = this.newServiceExistingLoadBalancer(strategy);
        this.newService = r.service;
        this.newProductionListener = r.listener;
        this.plan = r.plan;
        break;
      }
      default: {
        const r = this.newServiceNewLoadBalancer(strategy);
        this.newService = r.service;
        this.newLoadBalancer = r.loadBalancer;
        this.plan = r.plan;
      }
    }

    this.plan.push(...this.alarmNotes);
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

  // ---------------------------------------------------------------------------------------------
  // Option 1: in place
  // ---------------------------------------------------------------------------------------------

  private inPlace(): { plan: string[]; rule?: WeightedListenerRule } {
    const p = this.props;
    const phase = p.phase;
    const pinned = p.runningTaskDefinitionArn;
    if (pinned !== undefined) checkRunningTaskDefinition(this, pinned, p.service.taskDefinition);
    if (pinned !== undefined && phase !== MigrationPhase.PREPARE) {
      // Neither switch sends a task definition; releases after CUTOVER do (task-definition-pin.ts).
      this.cfnService.taskDefinition = new TaskDefinitionPin(this, 'TaskDefinitionPin', {
        runningTaskDefinitionArn: pinned, taskDefinition: p.service.taskDefinition, frozen: phase === MigrationPhase.ROLLBACK,
      }).taskDefinitionArn;
    }
    if (phase === MigrationPhase.PREPARE) {
      if (pinned === undefined) warnNotPinned(this, 'the CUTOVER deploy');
      return {
        plan: [
          'This deploy changes nothing: it checks the mapping at synth time (see the warnings of cdk synth).',
          'Make sure no CodeDeploy deployment is in progress and pause the pipelines that start them (aws deploy list-deployments --include-only-statuses InProgress Ready).',
          `Confirm that ${p.blueTargetGroup.node.path} serves production now: aws elbv2 describe-listeners --listener-arns <production listener ARN> shows it in the default action.`,
          'Record the task definition the service runs (aws ecs describe-services --query services[0].taskDefinition) and set runningTaskDefinitionArn to it.',
          'Next: deploy CUTOVER.',
        ],
      };
    }
    const priority = integerInRange(this, 'rulePriority', p.rulePriority ?? WeightedListenerRule.DEFAULT_PRIORITY, 1, 50000);
    if (phase === MigrationPhase.ROLLBACK) {
      // Before the service switches back: production must fall back to the live target group.
      p.service.node.addDependency(new LiveTargetGroupCheck(this, 'LiveTargetGroupCheck', {
        phase: 'ROLLBACK', listener: p.productionListener, blueTargetGroup: p.blueTargetGroup, greenTargetGroup: p.greenTargetGroup, rulePriority: priority,
      }));
      return {
        plan: [
          'This deploy puts the service back on the CODE_DEPLOY controller and deletes the weighted rules: traffic falls back to the listeners\' default actions, as before the migration.',
          'A check runs first: the deploy fails before anything moves unless the target group the weighted rule sends production to (ECS deployments flip it) is the one the production listener\'s default action forwards to; the error names both.',
          ...(pinned ? [] : ['runningTaskDefinitionArn is not set: the task definition reference changes with the controller, which ECS may reject ("Unable to update task definition on services with a CODE_DEPLOY deployment controller").']),
          'Verify: aws ecs describe-services shows deploymentController CODE_DEPLOY; the production URL answers from the original tasks.',
        ],
      };
    }

    // CUTOVER and CLEANUP: the switch.
    const production = new WeightedListenerRule(this, 'ProductionRule', {
      listener: p.productionListener, blueTargetGroup: p.blueTargetGroup, greenTargetGroup: p.greenTargetGroup, priority, cluster: p.service.cluster,
    });
    const test = p.testListener ? new WeightedListenerRule(this, 'TestRule', {
      listener: p.testListener, blueTargetGroup: p.blueTargetGroup, greenTargetGroup: p.greenTargetGroup, priority, cluster: p.service.cluster,
    }) : undefined;
    if (phase === MigrationPhase.CUTOVER) {
      // Before the weighted rules exist (blue 1 / green 0): blue must be the live target group.
      const live = new LiveTargetGroupCheck(this, 'LiveTargetGroupCheck', {
        phase: 'CUTOVER', listener: p.productionListener, blueTargetGroup: p.blueTargetGroup, greenTargetGroup: p.greenTargetGroup,
      });
      production.node.addDependency(live);
      test?.node.addDependency(live);
    }
    const role = infrastructureRoleFor(this, {
      targetGroupArns: [p.blueTargetGroup.targetGroupArn, p.greenTargetGroup.targetGroupArn],
      listenerRuleArns: [production.ruleArn, ...(test ? [test.ruleArn] : [])],
      listenerArns: [p.productionListener.listenerArn, ...(p.testListener ? [p.testListener.listenerArn] : [])],
    });
    const lb = this.existingLoadBalancerEntry();
    renderLoadBalancer(this.cfnService, {
      containerName: lb.containerName,
      containerPort: lb.containerPort,
      blueTargetGroupArn: p.blueTargetGroup.targetGroupArn,
      greenTargetGroupArn: p.greenTargetGroup.targetGroupArn,
      productionListenerRule: production.ruleArn,
      testListenerRule: test?.ruleArn,
      roleArn: role.roleArn,
    });
    this.cfnService.addPropertyOverride('DeploymentController.Type', 'ECS');
    renderStrategy(this.cfnService, this.strategy);
    this.cfnService.addPropertyOverride('DeploymentConfiguration.DeploymentCircuitBreaker', { Enable: true, Rollback: true });
    const alarmNames = p.alarms ? p.alarms.map((a) => a.alarmName) : this.mapping?.alarmNames ?? [];
    if (alarmNames.length > 0) {
      this.cfnService.addPropertyOverride('DeploymentConfiguration.Alarms', {
        AlarmNames: alarmNames, Enable: true, Rollback: p.alarms ? true : this.mapping?.rollbackOnAlarm ?? true,
      });
    }
    const hookConfigs = this.hooks.map((h) => h.bind(this, {}));
    if (hookConfigs.length > 0) {
      this.cfnService.addPropertyOverride('DeploymentConfiguration.LifecycleHooks', renderLifecycleHooks(this, hookConfigs));
    }
    for (const h of hookConfigs) if (h.invokeRole) waitForHookRole(this.cfnService, this, h.invokeRole);
    // ECS checks the role and the rules when the controller switches.
    p.service.node.addDependency(role, production, ...(test ? [test] : []));
    this.notifications(p.service);
    if (pinned === undefined) {
      // Under CODE_DEPLOY aws-cdk-lib names the family, which would never change again: the app's revision, so releases deploy.
      this.cfnService.taskDefinition = p.service.taskDefinition.taskDefinitionArn;
      warnNotPinned(this, 'this deploy');
    }

    if (phase === MigrationPhase.CLEANUP) {
      new CleanupPrecondition(this, 'CleanupPrecondition', {
        service: { ...serviceRef(p.service), clusterWide: true },
        rule: {
          listenerArn: p.productionListener.listenerArn,
          ruleArn: production.ruleArn,
          targetGroupArns: [p.blueTargetGroup.targetGroupArn, p.greenTargetGroup.targetGroupArn],
        },
      });
      removeFromApp(this, 'phase', this.codeDeployResources());
      return {
        rule: production,
        plan: [
          'This deploy deletes the CodeDeploy deployment group, its application and its service role; the service stays on the ECS controller.',
          'A check runs first: the deploy fails, and CloudFormation rolls it back deleting nothing, unless the service is on the ECS controller with running tasks and the production rule forwards only to the blue and green target groups.',
          'Before: confirm a successful ECS deployment (aws ecs list-service-deployments) and that the production rule forwards to the live target group.',
          'Verify: aws deploy list-deployment-groups no longer lists the group.',
          'Rollback after CLEANUP means recreating the deployment group: revert the app to its pre-migration code and deploy ROLLBACK.',
          'Then graduate: replace this construct with MigratedEcsService under the same ID and delete the deployment group\'s code (README, "After CLEANUP: graduate"), ' +
            'after at least one release since CUTOVER so that the service runs the app\'s own task definition revision.',
        ],
      };
    }
    return {
      rule: production,
      plan: [
        `This deploy adds a weighted rule (blue ${p.blueTargetGroup.node.path} 1 / green 0, priority ${priority}) to the production` +
        `${p.testListener ? ' and test listeners' : ' listener'}, and switches the service to the ECS controller with ${this.strategy.strategy} ` +
        `(bake ${this.strategy.bakeTimeInMinutes} min), the circuit breaker, ${alarmNames.length} alarm(s) and ${hookConfigs.length} hook(s).`,
        'A check runs first: the deploy fails before the rules exist unless the production listener forwards to blueTargetGroup (CodeDeploy alternates the two; the error names the live one).',
        'No new tasks start; ECS takes over the running ones. In place, the first ECS deployment shifts traffic with no parallel setup tested first: rehearse in a staging account.',
        ...(pinned ? [`The service keeps the revision it runs (${pinned}); the first change of the app's task definition after this deploy is an ordinary ECS blue/green deployment of the app's revision. ` +
          'If CodeDeploy ran a revision registered outside this app, bring the app\'s task definition up to date before that release.'] : []),
        'Verify: aws ecs describe-services shows deploymentController ECS and the strategy; aws elbv2 describe-rules shows the weighted rule; the production URL answers.',
        'Then run one ECS deployment (a new task definition revision) and watch it: ecs-blue-green wait <cluster> <service>.',
        'Rollback: deploy ROLLBACK (controller back to CODE_DEPLOY, rules removed). Next: deploy CLEANUP once satisfied.',
      ],
    };
  }

  /**
   * The listeners must be the deployment group's: the migration moves (option 2) or removes
   * (CLEANUP) what the group routes through, and a test listener left out would keep forwarding to
   * a target group CLEANUP deletes.
   */
  private checkListeners(mapping: DeploymentGroupMapping): void {
    const stack = Stack.of(this);
    const same = (a: string, b: string) => JSON.stringify(stack.resolve(a)) === JSON.stringify(stack.resolve(b));
    const p = this.props;
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

  /** The container and port of the service's load balancer entry as the app defines it. */
  private existingLoadBalancerEntry(): { containerName: string; containerPort: number } {
    const entries = Stack.of(this).resolve(this.cfnService.loadBalancers) ?? [];
    const entry = entries[0];
    if (!entry?.containerName || entry.containerPort === undefined) {
      throw new BlueGreenValidationError(this, 'service',
        'has no load balancer entry (ContainerName/ContainerPort); attach it to blueTargetGroup as CodeDeploy requires');
    }
    return { containerName: entry.containerName, containerPort: entry.containerPort };
  }

  // ---------------------------------------------------------------------------------------------
  // Option 2: new service, existing load balancer
  // ---------------------------------------------------------------------------------------------

  private newServiceExistingLoadBalancer(strategy: DeploymentStrategy) {
    const p = this.props;
    const o = p.option.existingLoadBalancer!;
    const tempProd = integerInRange(this, 'option.temporaryProductionPort', o.temporaryProductionPort, 1, 65535);
    const oldProd = p.productionListener.node.defaultChild as elbv2.CfnListener;
    const oldTest = p.testListener?.node.defaultChild as elbv2.CfnListener | undefined;
    // A port left to its default (temporaryProductionPort + n) is named with its default in errors.
    const checkedPort = (name: string, value: number | undefined, offset: number) => value !== undefined
      ? integerInRange(this, `option.${name}`, value, 1, 65535)
      : integerInRange(this, `option.${name}`, tempProd + offset, 1, 65535, `(its default, temporaryProductionPort + ${offset}); set it or lower temporaryProductionPort`);
    const parkProd = checkedPort('parkingProductionPort', o.parkingProductionPort, 2);
    const tempTest = oldTest ? checkedPort('temporaryTestPort', o.temporaryTestPort, 1) : 0;
    const parkTest = oldTest ? checkedPort('parkingTestPort', o.parkingTestPort, 3) : 0;
    const prodPort = this.portOf(oldProd, 'productionListener');
    const testPort = oldTest ? this.portOf(oldTest, 'testListener') : undefined;
    const taken = [prodPort, ...(testPort !== undefined ? [testPort] : [])];
    const ours: Array<[string, number]> = [['temporaryProductionPort', tempProd], ['parkingProductionPort', parkProd],
      ...(oldTest ? [['temporaryTestPort', tempTest], ['parkingTestPort', parkTest]] as Array<[string, number]> : [])];
    for (const [name, port] of ours) {
      if (taken.includes(port) || ours.filter(([, other]) => other === port).length > 1) {
        throw new BlueGreenValidationError(this, `option.${name}`,
          `${port} collides with another port of the migration (listeners on ${taken.join(', ')}; ${ours.map(([n, v]) => `${n} ${v}`).join(', ')}); each needs its own free port`);
      }
    }

    const phase = p.phase;
    const swapped = phase === MigrationPhase.CUTOVER || phase === MigrationPhase.CLEANUP;
    const alb = p.productionListener.loadBalancer;
    const notFound = elbv2.ListenerAction.fixedResponse(404, { contentType: 'text/plain', messageBody: 'not found' });
    // ROLLBACK gives the port back to the old listener and its rules, whatever they are.
    const own = [p.blueTargetGroup.targetGroupArn, p.greenTargetGroup.targetGroupArn];
    const oldListeners = [p.productionListener, ...(p.testListener ? [p.testListener] : [])];
    const attached = phase === MigrationPhase.ROLLBACK ? [] : oldListeners.flatMap((l) =>
      attachedTo(l, checkForeignRules(this, l === p.testListener ? 'testListener' : 'productionListener', l, own)));
    // The new listeners take the old ones' ports at CUTOVER: same protocol, certificates, TLS policy, mutual TLS, attributes.
    const prodSettings = listenerSettings(p.productionListener);
    const listener = new elbv2.ApplicationListener(this, 'ProductionListener', {
      loadBalancer: alb,
      port: swapped ? prodPort : tempProd,
      protocol: prodSettings.protocol,
      defaultAction: notFound,
      open: false,
      certificates: prodSettings.certificates,
    });
    prodSettings.apply(listener);
    const testSettings = p.testListener ? listenerSettings(p.testListener) : undefined;
    const testListener = p.testListener && testSettings ? new elbv2.ApplicationListener(this, 'TestListener', {
      loadBalancer: alb,
      port: swapped ? testPort! : tempTest,
      protocol: testSettings.protocol,
      defaultAction: notFound,
      open: false,
      certificates: testSettings.certificates,
    }) : undefined;
    if (testListener) testSettings!.apply(testListener);
    const service = this.buildService(strategy, TrafficRouting.applicationLoadBalancer({ listener, testListener }), []);

    const newProd = listener.node.defaultChild as elbv2.CfnListener;
    const newTest = testListener?.node.defaultChild as elbv2.CfnListener | undefined;
    if (phase === MigrationPhase.CUTOVER) {
      // The old listeners leave the original ports first, then the new ones take them.
      oldProd.port = parkProd;
      newProd.node.addDependency(oldProd);
      if (oldTest && newTest) {
        oldTest.port = parkTest;
        newTest.node.addDependency(oldTest);
      }
    } else if (phase === MigrationPhase.ROLLBACK) {
      // The new listeners go back to the temporary ports first, then the old ones return.
      oldProd.node.addDependency(newProd);
      if (oldTest && newTest) oldTest.node.addDependency(newTest);
    } else if (phase === MigrationPhase.CLEANUP) {
      new CleanupPrecondition(this, 'CleanupPrecondition', {
        service: serviceRef(service.service),
        listener: { listenerArn: listener.listenerArn, port: prodPort },
      });
      removeFromApp(this, 'phase', [p.service, ...oldListeners, ...attached, p.blueTargetGroup, p.greenTargetGroup,
        ...this.oldPathAlarms, ...this.codeDeployResources()]);
    }

    const plan = {
      [MigrationPhase.PREPARE]: [
        `This deploy adds a new ECS blue/green service with its own target groups behind new listeners on ports ${tempProd}` +
          `${oldTest ? ` (production) and ${tempTest} (test)` : ''} of the same load balancer; the CodeDeploy path is untouched.`,
        'They copy the old listeners\' protocol, every certificate (SNI ones included), TLS policy, mutual TLS and attributes; rules ' +
          'of other applications on the old listeners are refused at synth (they would get 404 once the ports swap).',
        `The new listeners are closed: allow your testers in (migration.newProductionListener.connections.allowDefaultPortFrom(...)) and test on port ${tempProd}.`,
        'Verify: the new service reaches a steady state (aws ecs describe-services), both new target groups are healthy, and one ECS deployment succeeds on the temporary ports.',
        `Make sure ports ${parkProd}${oldTest ? ` and ${parkTest}` : ''} are free: CUTOVER parks the old listeners there. Next: deploy CUTOVER.`,
      ],
      [MigrationPhase.CUTOVER]: [
        `This deploy swaps ports: the old production listener moves to ${parkProd}, then the new one takes ${prodPort}` +
          `${oldTest ? `; the old test listener moves to ${parkTest}, then the new one takes ${testPort}` : ''}. Clients may see errors for the seconds between the two updates.`,
        'Verify: the production URL answers from the new service (aws elbv2 describe-listeners shows the new listener on the production port); watch error rates and alarms.',
        'Rollback: deploy ROLLBACK (the swap in reverse). Next: deploy CLEANUP once the new service has served long enough.',
      ],
      [MigrationPhase.ROLLBACK]: [
        `This deploy swaps the ports back: the new listeners return to ${tempProd}${oldTest ? `/${tempTest}` : ''} first, then the old ones take ${prodPort}${oldTest ? `/${testPort}` : ''} again.`,
        'Verify: the production URL answers from the CodeDeploy service; the new service keeps running on the temporary ports for another try.',
      ],
      [MigrationPhase.CLEANUP]: [
        'This deploy deletes the old service, its listeners and target groups, and the CodeDeploy deployment group, application and role.',
        `A check runs first: the deploy fails, and CloudFormation rolls it back deleting nothing, unless the new service runs on the ECS controller and its listener holds port ${prodPort}.`,
        'Before: point alarms, dashboards and scaling at the new service and its target groups (synthesis fails while something still references what is deleted).',
        'Verify: the production URL answers; aws deploy list-deployment-groups no longer lists the group. There is no rollback after CLEANUP other than rebuilding the old path.',
      ],
    }[phase];
    return { service, listener, plan };
  }

  // ---------------------------------------------------------------------------------------------
  // Option 3: new service, new load balancer, routing layer
  // ---------------------------------------------------------------------------------------------

  private newServiceNewLoadBalancer(strategy: DeploymentStrategy) {
    const p = this.props;
    const o = p.option.newLoadBalancer!;
    const oldAlb = p.productionListener.loadBalancer;
    const oldProd = p.productionListener.node.defaultChild as elbv2.CfnListener;
    const oldCfnAlb = oldAlb.node.defaultChild as elbv2.CfnLoadBalancer | undefined;
    if (!oldAlb.vpc || !oldCfnAlb) {
      throw new BlueGreenValidationError(this, 'productionListener', 'must belong to a load balancer defined in this app (the new load balancer goes into its VPC)');
    }
    const percent = integerInRange(this, 'cutoverPercent', p.cutoverPercent ?? 100, 0, 100);
    if (o.routing.kind !== RoutingLayerKind.ROUTE53_WEIGHTED && percent !== 100) {
      const factory = o.routing.kind === RoutingLayerKind.CLOUDFRONT_ORIGIN ? 'RoutingLayer.cloudFrontOrigin (an origin' : 'RoutingLayer.apiGateway (an integration';
      throw new BlueGreenValidationError(this, 'cutoverPercent',
        `must be 100 with ${factory} moves all traffic at once), got ${percent}; use RoutingLayer.route53Weighted to move in steps`);
    }
    const testPort = integerInRange(this, 'option.testPort', o.testPort ?? 9000, 1, 65535);
    const prodPort = this.portOf(oldProd, 'productionListener');
    if (testPort === prodPort) {
      throw new BlueGreenValidationError(this, 'option.testPort', `must differ from the production port ${prodPort}`);
    }

    const internetFacing = Stack.of(this).resolve(oldCfnAlb.scheme) !== 'internal';
    const loadBalancer = new elbv2.ApplicationLoadBalancer(this, 'LoadBalancer', { vpc: oldAlb.vpc, internetFacing });
    const notFound = elbv2.ListenerAction.fixedResponse(404, { contentType: 'text/plain', messageBody: 'not found' });
    const prodSettings = listenerSettings(p.productionListener);
    const listener = loadBalancer.addListener('Production', {
      port: prodPort, protocol: prodSettings.protocol, defaultAction: notFound, certificates: prodSettings.certificates, open: internetFacing,
    });
    prodSettings.apply(listener);
    exemptFromNag(loadBalancer, [
      { id: 'AwsSolutions-ELB2', reason: 'Access logs need a bucket of the user\'s: enable them with migration.newLoadBalancer.logAccessLogs(bucket).' },
    ]);
    if (internetFacing) {
      exemptFromNag(loadBalancer.connections.securityGroups[0], [
        { id: 'AwsSolutions-EC23', reason: 'The new load balancer replaces a public one: its production port is open to clients like the old one\'s.' },
      ]);
    }
    const testListener = loadBalancer.addListener('Test', {
      port: testPort, protocol: elbv2.ApplicationProtocol.HTTP, defaultAction: notFound, open: false,
    });
    const service = this.buildService(strategy, TrafficRouting.applicationLoadBalancer({ listener, testListener }),
      [{ from: oldCfnAlb.attrLoadBalancerFullName, to: loadBalancer.loadBalancerFullName }]);
    const removeOldPath = () => removeFromApp(this, 'phase', [p.service, oldAlb, p.blueTargetGroup, p.greenTargetGroup,
      ...this.oldPathAlarms, ...this.codeDeployResources()]);
    const routed = o.routing.kind === RoutingLayerKind.CLOUDFRONT_ORIGIN
      ? this.cloudFrontOrigin(o.routing.cloudFront!, oldAlb, loadBalancer, service, removeOldPath)
      : o.routing.kind === RoutingLayerKind.API_GATEWAY
        ? apiGatewayPhase(this, o.routing.api!,
          { oldLoadBalancer: oldAlb, oldListener: p.productionListener, newLoadBalancer: loadBalancer, newListener: listener },
          p.phase, service.service, removeOldPath)
        : this.route53Weighted(o.routing.route53!, oldAlb, loadBalancer, service, percent, removeOldPath);
    // In PREPARE, testing the new path comes before the step to the next phase.
    const [first, ...rest] = routed.plan;
    const plan = p.phase === MigrationPhase.PREPARE
      ? [first, `Test the new path on the new load balancer's DNS name (port ${prodPort}, test traffic on ${testPort}) and run one ECS deployment there.`, ...rest]
      : routed.plan;
    return { service, loadBalancer, plan };
  }

  /** Option 3 with Route 53: two weighted alias records, the new one at `percent` from CUTOVER. */
  private route53Weighted(r53: Route53WeightedRoutingOptions, oldAlb: elbv2.IApplicationLoadBalancer, loadBalancer: elbv2.ApplicationLoadBalancer,
    service: BlueGreenEcsService, percent: number, removeOldPath: () => void): { plan: string[] } {
    const phase = this.props.phase;
    const newWeight = phase === MigrationPhase.CUTOVER ? percent : phase === MigrationPhase.CLEANUP ? 100 : 0;
    const record = (id: string, target: elbv2.IApplicationLoadBalancer, weight: number) => new route53.ARecord(this, id, {
      zone: r53.zone,
      recordName: r53.recordName,
      target: route53.RecordTarget.fromAlias(new route53Targets.LoadBalancerTarget(target)),
      weight,
      setIdentifier: id === 'NewRecord' ? 'ecs-blue-green' : 'codedeploy',
    });
    const newRecord = record('NewRecord', loadBalancer, newWeight);
    if (phase === MigrationPhase.CLEANUP) {
      const check = new CleanupPrecondition(this, 'CleanupPrecondition', {
        service: serviceRef(service.service),
        record: { hostedZoneId: r53.zone.hostedZoneId, hostedZoneArn: r53.zone.hostedZoneArn, recordName: fullyQualified(r53.recordName, r53.zone.zoneName), setIdentifier: 'codedeploy' },
      });
      // The check reads the old record's weight before this deploy changes any record.
      newRecord.node.addDependency(check);
      removeOldPath();
    } else {
      record('OldRecord', oldAlb, 100 - newWeight);
    }
    const plan = {
      [MigrationPhase.PREPARE]: [
        `This deploy adds a new load balancer with a new ECS blue/green service, and two weighted alias records for ${r53.recordName}: ` +
          'the old load balancer at 100, the new one at 0. The app must not also define a simple record of that name (Route 53 rejects the mix).',
        'Next: deploy CUTOVER with cutoverPercent 10, then 50, then 100, watching error rates between steps (allow for DNS caching: at least the alias target\'s TTL, 60 s).',
      ],
      [MigrationPhase.CUTOVER]: [
        `This deploy sends ${percent}% of DNS answers for ${r53.recordName} to the new load balancer and ${100 - percent}% to the old one.`,
        'Verify: dig shows both targets in proportion; the new target groups serve requests; alarms stay OK. Clients caching DNS move gradually.',
        'Rollback: deploy ROLLBACK (back to 100/0). Next: raise cutoverPercent, then deploy CLEANUP when at 100 and stable.',
      ],
      [MigrationPhase.ROLLBACK]: [
        `This deploy sends every DNS answer for ${r53.recordName} to the old load balancer again; the new path stays up for another try.`,
        'Verify: traffic on the new load balancer drains to zero (RequestCount), the old one serves it all.',
      ],
      [MigrationPhase.CLEANUP]: [
        `This deploy deletes the old load balancer, its listeners and target groups, the old service, its weighted record, and the CodeDeploy resources; ${r53.recordName} resolves to the new load balancer only.`,
        'Before: keep CUTOVER at 100% for longer than the longest DNS caching you expect, and point alarms and dashboards at the new resources.',
        'A check runs first: the deploy fails, and CloudFormation rolls it back deleting nothing, unless the new service runs on the ECS controller and the old record has weight 0.',
        'Verify: the record answers with the new load balancer only; no requests reach the old one before it goes.',
      ],
    }[phase];
    return { plan };
  }

  /** Option 3 with CloudFront: the origin that points at the old load balancer points at the new one from CUTOVER. */
  private cloudFrontOrigin(cf: CloudFrontOriginRoutingOptions, oldAlb: elbv2.IApplicationLoadBalancer, loadBalancer: elbv2.ApplicationLoadBalancer,
    service: BlueGreenEcsService, removeOldPath: () => void): { plan: string[] } {
    const stack = Stack.of(this);
    const phase = this.props.phase;
    const distribution = cf.distribution.node.defaultChild as cloudfront.CfnDistribution;
    const origins: Array<{ domainName?: unknown; id?: string }> = stack.resolve(distribution.distributionConfig)?.origins ?? [];
    const oldDns = JSON.stringify(stack.resolve(oldAlb.loadBalancerDnsName));
    const index = origins.findIndex((o) => JSON.stringify(o.domainName) === oldDns);
    if (index < 0) {
      throw new BlueGreenValidationError(this, 'option.routing',
        `the distribution ${cf.distribution.node.path} has no origin whose domain is the old load balancer ${oldAlb.node.path}; add the load balancer as an origin (origins.LoadBalancerV2Origin)`);
    }
    const moved = phase === MigrationPhase.CUTOVER || phase === MigrationPhase.CLEANUP;
    if (moved) distribution.addPropertyOverride(`DistributionConfig.Origins.${index}.DomainName`, loadBalancer.loadBalancerDnsName);
    if (phase === MigrationPhase.CLEANUP) {
      const check = new CleanupPrecondition(this, 'CleanupPrecondition', {
        service: serviceRef(service.service),
        origin: { distribution, originId: String(origins[index].id), domainName: loadBalancer.loadBalancerDnsName },
      });
      // The check reads the origin before this deploy writes the distribution.
      cf.distribution.node.addDependency(check);
      removeOldPath();
    }
    const name = cf.distribution.node.path;
    const plan = {
      [MigrationPhase.PREPARE]: [
        `This deploy adds a new load balancer with a new ECS blue/green service; ${name} keeps sending every request to the old load balancer.`,
        'Next: deploy CUTOVER, which points the distribution\'s origin at the new load balancer (all traffic at once; CloudFront takes some minutes to deploy the change).',
      ],
      [MigrationPhase.CUTOVER]: [
        `This deploy points origin ${String(origins[index].id)} of ${name} at the new load balancer: all requests move once CloudFront has deployed the change.`,
        'Verify: aws cloudfront get-distribution-config shows the new domain; the new target groups serve requests; alarms stay OK.',
        'Rollback: deploy ROLLBACK (the origin points at the old load balancer again). Next: deploy CLEANUP when stable.',
      ],
      [MigrationPhase.ROLLBACK]: [
        `This deploy points the origin of ${name} at the old load balancer again; the new path stays up for another try.`,
        'Verify: requests on the new load balancer drain to zero (RequestCount) once CloudFront has deployed the change.',
      ],
      [MigrationPhase.CLEANUP]: [
        'This deploy deletes the old load balancer, its listeners and target groups, the old service and the CodeDeploy resources.',
        'A check runs first: the deploy fails, and CloudFormation rolls it back deleting nothing, unless the new service runs on the ECS controller and the distribution\'s origin already points at the new load balancer.',
        'Verify: the distribution serves from the new load balancer only.',
      ],
    }[phase];
    return { plan };
  }

  // ---------------------------------------------------------------------------------------------
  // Shared
  // ---------------------------------------------------------------------------------------------

  /** The new service of options 2 and 3: same task definition, cluster and size as the old one. */
  private buildService(strategy: DeploymentStrategy, routing: TrafficRouting, loadBalancerPairs: PathPair[]): BlueGreenEcsService {
    const p = this.props;
    const lb = this.existingLoadBalancerEntry();
    const desiredCount = Stack.of(this).resolve(this.cfnService.desiredCount);
    const service = new BlueGreenEcsService(this, 'Service', {
      cluster: p.service.cluster,
      taskDefinition: p.service.taskDefinition,
      routing,
      strategy,
      hooks: this.hooks,
      alarms: this.newServiceAlarms,
      desiredCount: typeof desiredCount === 'number' ? desiredCount : undefined,
      container: { containerName: lb.containerName, containerPort: lb.containerPort },
    });
    // The new target groups exist once the service does; it reads its alarm list at synthesis.
    // A target group's metrics name it and its first load balancer (read from its listener's ARN).
    const pairs: PathPair[] = [];
    for (const [from, to] of [[p.blueTargetGroup, service.blueTargetGroup], [p.greenTargetGroup, service.greenTargetGroup]]) {
      const [old, created] = [from as elbv2.ApplicationTargetGroup, to as elbv2.ApplicationTargetGroup];
      pairs.push({ from: old.targetGroupFullName, to: created.targetGroupFullName },
        { from: old.firstLoadBalancerFullName, to: created.firstLoadBalancerFullName });
    }
    pairs.push(...loadBalancerPairs);
    if (p.alarms) {
      warnOldPathAlarms(this, p.alarms, pairs);
      this.newServiceAlarms.push(...p.alarms);
    } else {
      const mapped = mapAlarmsToNewPath(this, this.mapping?.alarmNames ?? [], pairs);
      this.newServiceAlarms.push(...mapped.alarms);
      this.oldPathAlarms = mapped.replaced;
      this.alarmNotes = mapped.notes;
    }
    this.notifications(service.service);
    return service;
  }

  /** The deployment group's SNS triggers as EventBridge rules on the service's deployment events. */
  private notifications(service: ecs.BaseService): void {
    const stack = Stack.of(this);
    (this.mapping?.triggers ?? []).forEach((trigger, i) => {
      const wanted = JSON.stringify(stack.resolve(trigger.topicArn));
      const topic = stack.node.findAll().find((c): c is sns.Topic => c instanceof sns.Topic && JSON.stringify(stack.resolve(c.topicArn)) === wanted)
        ?? sns.Topic.fromTopicArn(this, `Topic${i}`, trigger.topicArn);
      if (!(topic instanceof sns.Topic)) {
        Annotations.of(this).addWarningV2('cdk-ecs-blue-green:migration-imported-topic',
          `trigger ${trigger.name}: the topic is not defined in this app, so its policy cannot be extended; allow events.amazonaws.com to publish to it`);
      }
      new events.Rule(this, `Notify${i}`, {
        description: `ECS deployment events of the service (was CodeDeploy trigger ${trigger.name})`,
        eventPattern: {
          source: ['aws.ecs'],
          detailType: ['ECS Deployment State Change'],
          resources: [service.serviceArn],
          detail: trigger.ecsEventNames.length > 0 ? { eventName: trigger.ecsEventNames } : undefined,
        },
        targets: [new targets.SnsTopic(topic)],
      });
    });
  }

  /**
   * The deployment group (with the application and role it created for itself), and its
   * application when no other deployment group of the stack uses it. A role passed in is kept.
   */
  private codeDeployResources(): IConstruct[] {
    const group = this.props.deploymentGroup;
    if (!this.mapping) {
      Annotations.of(this).addWarningV2('cdk-ecs-blue-green:migration-imported-group',
        'deploymentGroup is imported, so CLEANUP cannot delete it: run aws deploy delete-deployment-group (and delete-application) yourself');
      return [];
    }
    const owned: IConstruct[] = [group];
    const app = group.application;
    if (app instanceof Construct && app.node.scope !== group) {
      const stack = Stack.of(this);
      const appId = stack.getLogicalId(app.node.defaultChild as codedeploy.CfnApplication);
      const usedElsewhere = stack.node.findAll().some((c) => c instanceof codedeploy.CfnDeploymentGroup
        && !c.node.path.startsWith(group.node.path + '/') && stack.resolve(c.applicationName)?.Ref === appId);
      if (!usedElsewhere) owned.push(app);
    }
    return owned;
  }

  private portOf(listener: elbv2.CfnListener, prop: string): number {
    const port = Stack.of(this).resolve(listener.port);
    if (typeof port !== 'number') {
      throw new BlueGreenValidationError(this, prop, 'must have a literal port (the migration moves listeners between ports)');
    }
    return port;
  }

}
