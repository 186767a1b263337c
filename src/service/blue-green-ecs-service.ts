import { Annotations, CfnOutput, Lazy, Stack, Token } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import * as events from 'aws-cdk-lib/aws-events';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as vpclattice from 'aws-cdk-lib/aws-vpclattice';
import { Construct } from 'constructs';
import { BlueGreenEcsServiceProps, ContainerTarget, LoadBalancerExposure } from './blue-green-ecs-service-props';
import { renderCircuitBreakerExtras } from './circuit-breaker-render';
import { defaultDeploymentAlarms } from './deployment-alarms';
import { DeploymentStrategy, DeploymentStrategyConfig } from './deployment-strategy';
import { BoundExposure, bindExposures } from './exposures';
import { infrastructureRoleFor } from './infrastructure-role';
import { l2LifecycleHooks } from './l2-lifecycle-hooks';
import { wireObservability } from './observability';
import { operatorBakeHooks } from './operator-bake';
import { warnOnGateLongerThanDeployAction } from './pipeline-gate';
import { strategyServiceOptions } from './render';
import { loadBalancerErrors, warnOnTargetGroupCount } from './rendered-load-balancers';
import { BlueGreenValidationError } from '../errors';
import { RoutingBindResult } from './routing/bind-contract';
import { commonServiceOptions, volumeNameErrors } from './service-options';
import { checkServiceProps } from './validate-props';
import { waitForHookRole } from '../hooks/hook-role-dependency';
import { LifecycleHook, LifecycleHookBindOptions, LifecycleHookConfig } from '../hooks/lifecycle-hook';
import { renderLifecycleHooks } from '../hooks/render';
import { integerInRange } from '../private/validate';
import { addValidation } from '../private/validation';
import { WeightedListenerRule } from '../routing/weighted-listener-rule';

/** ECS service names: up to 255 letters, digits, hyphens and underscores. */
const SERVICE_NAME = /^[A-Za-z0-9_-]{1,255}$/;

/** Fields of `DeploymentConfiguration` that ECS accepts for ROLLING deployments only. */
const ROLLING_ONLY_FIELDS = ['EarlySuccessCriteria'];

/**
 * An ECS service deployed by the ECS deployment controller with a blue/green, linear or canary
 * strategy: target groups, the weighted listener rules ECS flips, a scoped infrastructure role,
 * lifecycle hooks, alarms and circuit breaker, from one construct.
 *
 * @example
 * import * as ecs from 'aws-cdk-lib/aws-ecs';
 * import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
 * import { BlueGreenEcsService, DeploymentStrategy, TrafficRouting } from 'cdk-ecs-blue-green';
 *
 * declare const cluster: ecs.ICluster;
 * declare const taskDefinition: ecs.FargateTaskDefinition;
 * declare const listener: elbv2.ApplicationListener;
 * new BlueGreenEcsService(this, 'Api', { cluster, taskDefinition,
 *   routing: TrafficRouting.applicationLoadBalancer({ listener }),
 *   strategy: DeploymentStrategy.canary({ canaryPercent: 10 }) });
 */
export class BlueGreenEcsService extends Construct implements ec2.IConnectable {
  /** The ECS service (Fargate or EC2, by the task definition). */
  public readonly service: ecs.BaseService;

  /** How ECS shifts production traffic (`props.strategy`, or the default blue/green). */
  public readonly strategy: DeploymentStrategy;

  /** The strategy's rendered settings. */
  public readonly strategyConfig: DeploymentStrategyConfig;

  /** Target group that serves production traffic when the service is created. @default - no load balancer */
  public readonly blueTargetGroup?: elbv2.ITargetGroup;

  /** Target group ECS deploys the next revision into. @default - no load balancer */
  public readonly greenTargetGroup?: elbv2.ITargetGroup;

  /** The blue target group, behind an ALB. @default - not behind an ALB */
  public readonly blueApplicationTargetGroup?: elbv2.IApplicationTargetGroup;

  /** The green target group, behind an ALB. @default - not behind an ALB */
  public readonly greenApplicationTargetGroup?: elbv2.IApplicationTargetGroup;

  /** The blue target group, behind an NLB. @default - not behind an NLB */
  public readonly blueNetworkTargetGroup?: elbv2.INetworkTargetGroup;

  /** The green target group, behind an NLB. @default - not behind an NLB */
  public readonly greenNetworkTargetGroup?: elbv2.INetworkTargetGroup;

  /** The ALB production rule ECS flips. @default - not behind an ALB */
  public readonly productionRule?: WeightedListenerRule;

  /** The ALB test rule (test listener or header). @default - no ALB test traffic */
  public readonly testRule?: WeightedListenerRule;

  /** The blue VPC Lattice target group (`TrafficRouting.vpcLattice`). @default - not behind VPC Lattice */
  public readonly blueLatticeTargetGroup?: vpclattice.CfnTargetGroup;

  /** The green VPC Lattice target group. @default - not behind VPC Lattice */
  public readonly greenLatticeTargetGroup?: vpclattice.CfnTargetGroup;

  /** The VPC Lattice production rule ECS shifts. @default - not behind VPC Lattice */
  public readonly latticeProductionRule?: vpclattice.CfnRule;

  /** The VPC Lattice test rule (test listener or header). @default - no Lattice test traffic */
  public readonly latticeTestRule?: vpclattice.CfnRule;

  /** The VPC Lattice service: the one created for you, or the `latticeService` you passed. @default - not behind VPC Lattice, or unknown */
  public readonly latticeService?: vpclattice.CfnService;

  /** The exposures of `additionalRouting`, by name. */
  public readonly additionalExposures: { [name: string]: LoadBalancerExposure };

  /** Role ECS assumes to shift load balancer traffic (all exposures). @default - no load balancer */
  public readonly infrastructureRole?: iam.IRole;

  /** URL of the production endpoint (load balancer DNS name and port). @default - unknown */
  public readonly productionUrl?: string;

  /** URL that reaches green before production traffic moves. @default - no test endpoint */
  public readonly testUrl?: string;

  /** The deployment alarms created by `defaultAlarms` (add actions to them, e.g. SNS), empty without. */
  public readonly defaultAlarms: cloudwatch.Alarm[];

  /** The EventBridge rules of `notifications` (one per kind of message), empty without. */
  public readonly notificationRules: events.Rule[];

  /** The deployment dashboard of `dashboard`. @default - no dashboard */
  public readonly dashboard?: cloudwatch.Dashboard;

  private readonly hooks: LifecycleHookConfig[] = [];
  private readonly hookBindOptions: LifecycleHookBindOptions;
  private readonly cfnService: ecs.CfnService;
  private readonly volumes?: ecs.ServiceManagedVolume[];

  constructor(scope: Construct, id: string, props: BlueGreenEcsServiceProps) {
    super(scope, id);
    checkServiceProps(this, props);

    const container = this.resolveContainer(props.taskDefinition, props.container);
    const containerPort = this.resolvePort(container, props.container?.containerPort);
    const desiredCount = integerInRange(this, 'desiredCount', props.desiredCount ?? 1, 0, 100000);
    const minHealthyPercent = integerInRange(this, 'minHealthyPercent', props.minHealthyPercent ?? 100, 0, 100);
    const maxHealthyPercent = integerInRange(this, 'maxHealthyPercent', props.maxHealthyPercent ?? 200, 100, 200);
    if (!Token.isUnresolved(minHealthyPercent) && !Token.isUnresolved(maxHealthyPercent) && maxHealthyPercent <= minHealthyPercent) {
      throw new BlueGreenValidationError(this, 'maxHealthyPercent',
        `must be above minHealthyPercent (${minHealthyPercent}) so ECS can start green tasks, got ${maxHealthyPercent}`);
    }
    if (props.serviceName !== undefined && !Token.isUnresolved(props.serviceName) && !SERVICE_NAME.test(props.serviceName)) {
      throw new BlueGreenValidationError(this, 'serviceName',
        `must be 1–255 letters, digits, hyphens and underscores, got ${JSON.stringify(props.serviceName.slice(0, 60))}${props.serviceName.length > 60 ? '...' : ''}`);
    }
    if (props.taskDefinition.networkMode !== ecs.NetworkMode.AWS_VPC
      && (props.vpcSubnets || props.securityGroups || props.assignPublicIp !== undefined)) {
      throw new BlueGreenValidationError(this, 'vpcSubnets',
        `vpcSubnets, securityGroups and assignPublicIp need the awsvpc network mode; the task definition uses ${props.taskDefinition.networkMode}`);
    }
    if (!props.taskDefinition.isFargateCompatible && !props.taskDefinition.isEc2Compatible) {
      throw new BlueGreenValidationError(this, 'taskDefinition', 'must be compatible with Fargate or EC2 (EXTERNAL is not supported)');
    }
    const fargate = props.taskDefinition.isFargateCompatible;

    // An NLB anywhere adds ~10 minutes per traffic shift to the 33-hour limit the strategy checks;
    // VPC Lattice adds ~3 minutes at POST_SCALE_UP and ~90 s after each weight change.
    const routings = [props.routing, ...Object.values(props.additionalRouting ?? {})];
    this.strategy = props.strategy ?? DeploymentStrategy.blueGreen();
    this.strategyConfig = this.strategy.bind(this, {
      networkLoadBalancer: routings.some((r) => r?._kind?.() === 'nlb'),
      vpcLattice: routings.some((r) => r?._kind?.() === 'vpc-lattice'),
    });

    const userAlarms = props.alarms ?? [];
    const withDefaultAlarms = props.defaultAlarms !== false && props.routing._createsTargetGroups();
    const common: ecs.BaseServiceOptions = {
      cluster: props.cluster,
      serviceName: props.serviceName,
      desiredCount,
      minHealthyPercent,
      maxHealthyPercent,
      capacityProviderStrategies: props.capacityProviderStrategies,
      deploymentController: { type: ecs.DeploymentControllerType.ECS },
      ...strategyServiceOptions(this.strategyConfig),
      circuitBreaker: props.circuitBreaker === false ? undefined : { enable: true, rollback: true },
      // The default alarms need the target groups, which the routing makes once the service exists:
      // the names are produced at synth, the user's first.
      deploymentAlarms: userAlarms.length > 0 || withDefaultAlarms ? {
        alarmNames: Lazy.list({ produce: () => [...userAlarms, ...this.defaultAlarms].map((a) => a.alarmName) }),
        behavior: ecs.AlarmBehavior.ROLLBACK_ON_ALARM,
      } : undefined,
      ...commonServiceOptions(this, props, fargate),
    };
    const network = { vpcSubnets: props.vpcSubnets, securityGroups: props.securityGroups, assignPublicIp: props.assignPublicIp };
    this.service = fargate
      ? new ecs.FargateService(this, 'Service', {
        ...common,
        ...network,
        taskDefinition: props.taskDefinition,
        platformVersion: props.platformVersion,
        availabilityZoneRebalancing: props.availabilityZoneRebalancing,
      })
      : new ecs.Ec2Service(this, 'Service', {
        ...common,
        ...network,
        taskDefinition: props.taskDefinition,
        placementConstraints: props.placementConstraints,
        placementStrategies: props.placementStrategies,
        availabilityZoneRebalancing: props.availabilityZoneRebalancing,
      });
    this.cfnService = this.service.node.defaultChild as ecs.CfnService;
    this.volumes = props.volumeConfigurations;
    renderCircuitBreakerExtras(this, this.cfnService, {
      enabled: props.circuitBreaker !== false,
      threshold: props.circuitBreakerThreshold,
      resetOnHealthyTask: props.circuitBreakerResetOnHealthyTask,
    });

    const exposures = bindExposures(this, props.routing, props.additionalRouting, {
      service: this.service, cluster: props.cluster, taskDefinition: props.taskDefinition, container, containerPort,
    });
    const routing = exposures[0].result;
    const primary = exposureOf(routing);
    this.blueTargetGroup = routing.blueTargetGroup;
    this.greenTargetGroup = routing.greenTargetGroup;
    this.blueApplicationTargetGroup = primary?.blueApplicationTargetGroup;
    this.greenApplicationTargetGroup = primary?.greenApplicationTargetGroup;
    this.blueNetworkTargetGroup = primary?.blueNetworkTargetGroup;
    this.greenNetworkTargetGroup = primary?.greenNetworkTargetGroup;
    this.productionRule = routing.productionRule;
    this.blueLatticeTargetGroup = routing.vpcLattice?.blueTargetGroup;
    this.greenLatticeTargetGroup = routing.vpcLattice?.greenTargetGroup;
    this.latticeProductionRule = routing.vpcLattice?.productionRule;
    this.latticeTestRule = routing.vpcLattice?.testRule;
    this.latticeService = routing.vpcLattice?.latticeService;
    this.testRule = routing.testRule;
    this.productionUrl = routing.productionUrl;
    this.testUrl = routing.testUrl;
    this.additionalExposures = {};
    for (const e of exposures.slice(1)) this.additionalExposures[e.name!] = exposureOf(e.result)!;
    this.infrastructureRole = this.wireLoadBalancers(exposures, container, containerPort);
    // Each exposure's alarm lives in that exposure's construct: removing one exposure leaves the
    // other alarms (and their names in the service's Alarms) as they were.
    this.defaultAlarms = withDefaultAlarms
      ? exposures.flatMap((e) => defaultDeploymentAlarms(e.name ? this.node.findChild(e.name) as Construct : this,
        e.result.loadBalancerTargets ?? []))
      : [];
    this.wireServiceConnect(routing);
    const observed = wireObservability(this, props, {
      service: this.service,
      loadBalancerTargets: exposures.flatMap((e) => e.result.loadBalancerTargets ?? []),
      alarms: [...userAlarms, ...this.defaultAlarms],
    });
    this.notificationRules = observed.rules;
    this.dashboard = observed.dashboard;

    this.hookBindOptions = {
      testEndpointUrl: routing.testUrl,
      productionEndpointUrl: routing.productionUrl,
      testHeaderName: routing.testHeader?.name,
      testHeaderValue: routing.testHeader?.value,
      testEndpoint: routing.testEndpoint,
      loadBalancerTargets: routing.loadBalancerTargets,
      clusterName: props.cluster.clusterName,
      serviceName: props.serviceName,
    };
    // Hooks the user added to the L2 (service.addLifecycleHook) first, then this construct's.
    this.cfnService.addPropertyOverride('DeploymentConfiguration.LifecycleHooks', Lazy.any({
      produce: () => {
        const all = [...l2LifecycleHooks(this.cfnService), ...renderLifecycleHooks(this, this.hooks) ?? []];
        return all.length > 0 ? all : undefined;
      },
    }));
    for (const hook of props.hooks ?? []) this.addLifecycleHook(hook);
    // The strategy's operator bake (if any) joins the user's hooks; it never replaces them.
    for (const hook of operatorBakeHooks(this.strategyConfig)) this.addLifecycleHook(hook);

    if (props.outputs) {
      if (routing.productionUrl) new CfnOutput(this, 'ProductionUrl', { value: routing.productionUrl, description: 'Production endpoint' });
      if (routing.testUrl) new CfnOutput(this, 'TestUrl', { value: routing.testUrl, description: 'Test endpoint (reaches green during a deployment)' });
    }

    addValidation(this, () => this.validateRendered());
  }

  /** Security group connections of the tasks. */
  public get connections(): ec2.Connections {
    return this.service.connections;
  }

  /**
   * Adds a lifecycle hook that ECS runs during deployments.
   * @param hook e.g. `LifecycleHook.lambda(fn, { stages: [...] })` or `LifecycleHook.pause(...)`
   */
  public addLifecycleHook(hook: LifecycleHook): void {
    if (hook === undefined || hook === null || typeof hook.bind !== 'function') {
      throw new BlueGreenValidationError(this, 'hook', `must be a LifecycleHook (LifecycleHook.lambda(...) or LifecycleHook.pause(...)), got ${hook}`);
    }
    const config = hook.bind(this, this.hookBindOptions);
    this.hooks.push(config);
    if (config.invokeRole) waitForHookRole(this.cfnService, this, config.invokeRole);
  }

  private resolveContainer(taskDefinition: ecs.TaskDefinition, target?: ContainerTarget): ecs.ContainerDefinition {
    const containers = taskDefinition.node.findAll().filter((c): c is ecs.ContainerDefinition => c instanceof ecs.ContainerDefinition);
    if (target) {
      const found = containers.find((c) => c.containerName === target.containerName);
      if (!found) {
        throw new BlueGreenValidationError(this, 'container.containerName',
          `'${target.containerName}' is not a container of the task definition; containers: ${containers.map((c) => c.containerName).join(', ') || 'none'}`);
      }
      return found;
    }
    const essential = taskDefinition.defaultContainer ?? containers.find((c) => c.essential);
    if (!essential) {
      throw new BlueGreenValidationError(this, 'taskDefinition', 'has no essential container to receive traffic; add one or set container');
    }
    return essential;
  }

  private resolvePort(container: ecs.ContainerDefinition, port?: number): number {
    const ports = container.portMappings.map((m) => m.containerPort);
    if (port === undefined) {
      // Headless services need no port; routings that need one report it.
      return ports.length === 0 ? 0 : ports[0];
    }
    if (!ports.includes(port)) {
      throw new BlueGreenValidationError(this, 'container.containerPort',
        `${port} is not a port mapping of container ${container.containerName}; mapped ports: ${ports.join(', ') || 'none'}`);
    }
    return port;
  }

  /**
   * One infrastructure role statement set for every exposure (ECS assumes the role named in each
   * entry's AdvancedConfiguration), then each exposure's L2 load balancer entry.
   */
  private wireLoadBalancers(exposures: BoundExposure[], container: ecs.ContainerDefinition, containerPort: number): iam.IRole | undefined {
    const lbs = exposures.map((e) => e.result.loadBalancer).filter((lb): lb is NonNullable<RoutingBindResult['loadBalancer']> => lb !== undefined);
    if (lbs.length === 0) return undefined;
    if (containerPort === 0) {
      throw new BlueGreenValidationError(this, 'container', `container ${container.containerName} has no port mapping for the load balancer to reach`);
    }
    const role = infrastructureRoleFor(this, {
      targetGroupArns: lbs.flatMap((lb) => lb.resources.targetGroupArns),
      listenerRuleArns: lbs.flatMap((lb) => lb.resources.listenerRuleArns),
      listenerArns: lbs.flatMap((lb) => lb.resources.listenerArns),
      latticeTargetGroupArns: lbs.flatMap((lb) => lb.resources.latticeTargetGroupArns ?? []),
      latticeRuleArns: lbs.flatMap((lb) => lb.resources.latticeRuleArns ?? []),
    });
    for (const lb of lbs) lb.attach(role.roleArn);
    // ECS validates the role when the service is created: its policy must exist by then.
    this.service.node.addDependency(role);
    return role;
  }

  private wireServiceConnect(routing: RoutingBindResult): void {
    if (!routing.serviceConnect) return;
    this.service.enableServiceConnect(routing.serviceConnect);
    if (routing.serviceConnectTestTrafficRules) {
      (routing.serviceConnect.services ?? []).forEach((_, i) => this.cfnService.addPropertyOverride(
        `ServiceConnectConfiguration.Services.${i}.ClientAliases.0.TestTrafficRules`, routing.serviceConnectTestTrafficRules));
    }
  }

  /** Checks the service as it will be rendered, including escape-hatch overrides and what the L2 attached. */
  private validateRendered(): BlueGreenValidationError[] {
    const stack = Stack.of(this);
    const rendered = stack.resolve((this.cfnService as any)._toCloudFormation());
    const properties = rendered?.Resources?.[stack.getLogicalId(this.cfnService)]?.Properties ?? {};
    const dc = properties.DeploymentConfiguration ?? {};
    const errors: BlueGreenValidationError[] = [];
    for (const field of ROLLING_ONLY_FIELDS) {
      if (dc[field] !== undefined) {
        errors.push(new BlueGreenValidationError(this, `DeploymentConfiguration.${field}`, 'ECS accepts it for ROLLING deployments only, ' +
          `and this service deploys with ${dc.Strategy}; remove it`));
      }
    }
    errors.push(...loadBalancerErrors(this, properties.LoadBalancers));
    warnOnTargetGroupCount(this, properties.LoadBalancers);
    const taskDefinition = this.service.taskDefinition.node.defaultChild as ecs.CfnTaskDefinition;
    errors.push(...volumeNameErrors(this, this.volumes,
      stack.resolve((taskDefinition as any)._toCloudFormation())?.Resources?.[stack.getLogicalId(taskDefinition)]?.Properties));
    warnOnGateLongerThanDeployAction(this, this.service, this.hooks);
    if (this.hooks.length === 0 && this.strategyConfig.strategy !== 'BLUE_GREEN' && this.testUrl === undefined) {
      Annotations.of(this).addInfo(`${this.strategyConfig.strategy} deployment without hooks or test traffic: only alarms and the circuit breaker guard it`);
    }
    return errors;
  }
}

/** The public view of a bound load balancer routing, with typed target groups. */
function exposureOf(r: RoutingBindResult): LoadBalancerExposure | undefined {
  if (!r.blueTargetGroup || !r.greenTargetGroup) return undefined;
  const alb = r.blueTargetGroup instanceof elbv2.ApplicationTargetGroup;
  const nlb = r.blueTargetGroup instanceof elbv2.NetworkTargetGroup;
  return {
    blueTargetGroup: r.blueTargetGroup,
    greenTargetGroup: r.greenTargetGroup,
    blueApplicationTargetGroup: alb ? r.blueTargetGroup as elbv2.ApplicationTargetGroup : undefined,
    greenApplicationTargetGroup: alb ? r.greenTargetGroup as elbv2.ApplicationTargetGroup : undefined,
    blueNetworkTargetGroup: nlb ? r.blueTargetGroup as elbv2.NetworkTargetGroup : undefined,
    greenNetworkTargetGroup: nlb ? r.greenTargetGroup as elbv2.NetworkTargetGroup : undefined,
    productionRule: r.productionRule,
    testRule: r.testRule,
    productionUrl: r.productionUrl,
    testUrl: r.testUrl,
  };
}
