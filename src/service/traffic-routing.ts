import { Duration, Token } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import { Construct } from 'constructs';
import { LoadBalancerResources } from './infrastructure-role';
import { loadBalancerTargetsOf, testEndpointOf } from './test-endpoint';
import { BlueGreenValidationError } from '../errors';
import { blueGreenTarget } from './routing/blue-green-target';
import { serviceConnectServices } from './routing/service-connect-services';
import { VpcLatticeBinding, VpcLatticeRoutingOptions, bindVpcLattice } from './routing/vpc-lattice-routing';
import { HookLoadBalancerTargets, HookTestEndpoint } from '../hooks/hook-facts';
import { validateConditions } from '../private/conditions';
import { exemptFromNag } from '../private/nag';
import { integerInRange, wholeSeconds } from '../private/validate';
import { LiveWeights } from '../routing/live-weights';
import { WeightedListenerRule } from '../routing/weighted-listener-rule';

/** A request header that routes test traffic to the green revision. */
export interface TestTrafficHeader {
  /** Header name, e.g. `X-Test-Traffic`. */
  readonly name: string;
  /** Exact header value, e.g. `true`. */
  readonly value: string;
}

/** Options of `TrafficRouting.applicationLoadBalancer()`. */
export interface ApplicationLoadBalancerRoutingOptions {
  /** The production listener. The service's production rule is added to it. */
  readonly listener: elbv2.IApplicationListener;

  /**
   * A separate listener (e.g. port 9000, not open to the internet) that reaches the green
   * revision before production traffic moves. Mutually exclusive with `testHeader`.
   * @default - no test listener
   */
  readonly testListener?: elbv2.IApplicationListener;

  /**
   * Test traffic on the production listener: requests carrying this header reach green.
   * Mutually exclusive with `testListener`.
   * @default - no header-based test traffic
   */
  readonly testHeader?: TestTrafficHeader;

  /**
   * Conditions of the production rule (host, path, header, ...). Services that share a listener
   * need distinct conditions and priorities.
   * @default - path-pattern /* (every request)
   */
  readonly conditions?: elbv2.ListenerCondition[];

  /**
   * Priority of the production rule on its listener, 1–50000.
   * @default 50000 - evaluated last
   */
  readonly priority?: number;

  /**
   * Priority of the test rule: on the test listener, or on the production listener when
   * `testHeader` is used (where it must be lower than `priority`, so it is evaluated first).
   * @default - `priority` on a test listener; `priority - 1` for a header rule
   */
  readonly testPriority?: number;

  /**
   * Health check of the blue and green target groups.
   * @default - ALB defaults (HTTP GET / on the traffic port)
   */
  readonly healthCheck?: elbv2.HealthCheck;

  /**
   * Protocol between the ALB and the tasks.
   * @default ApplicationProtocol.HTTP
   */
  readonly targetProtocol?: elbv2.ApplicationProtocol;

  /**
   * How long the target groups wait for in-flight requests before deregistering a task.
   * @default Duration.seconds(30)
   */
  readonly deregistrationDelay?: Duration;

  /**
   * Keep the weights ECS has set when a stack update rewrites the rules (see
   * `WeightedListenerRuleProps.preserveLiveWeights`).
   * @default true
   */
  readonly preserveLiveWeights?: boolean;
}

/** Options of `TrafficRouting.networkLoadBalancer()`. */
export interface NetworkLoadBalancerRoutingOptions {
  /**
   * The production listener; it must have no default action yet: the routing sets it to a
   * weighted forward to blue (1) and green (0), which ECS rewrites by listener ARN.
   */
  readonly listener: elbv2.NetworkListener;

  /**
   * A separate listener for test traffic, also without a default action.
   * @default - no test listener
   */
  readonly testListener?: elbv2.NetworkListener;

  /**
   * Health check of the blue and green target groups.
   * @default - NLB defaults (TCP on the traffic port)
   */
  readonly healthCheck?: elbv2.HealthCheck;

  /**
   * How long the target groups wait before deregistering a task.
   * @default Duration.seconds(30)
   */
  readonly deregistrationDelay?: Duration;

  /**
   * Keep the weights ECS has set on the listeners' default actions when a stack update rewrites
   * the listeners (read at deploy time by one custom resource per stack).
   * @default true
   */
  readonly preserveLiveWeights?: boolean;
}

/** Options of `TrafficRouting.serviceConnect()`. */
export interface ServiceConnectRoutingOptions {
  /**
   * Name of the port mapping (in the task definition) that Service Connect exposes.
   */
  readonly portMappingName: string;

  /**
   * Cloud Map namespace (name or ARN).
   * @default - the cluster's default Cloud Map namespace
   */
  readonly namespace?: string;

  /**
   * DNS name clients use.
   * @default - the port mapping name
   */
  readonly dnsName?: string;

  /**
   * Port clients use.
   * @default - the container port of the port mapping
   */
  readonly port?: number;

  /**
   * Requests with this header reach the green revision during a deployment (on every service
   * this routing advertises).
   * @default - no test traffic rule
   */
  readonly testTrafficHeader?: TestTrafficHeader;

  /**
   * More ports of the task that Service Connect advertises, each with its own discovery name and
   * client alias (e.g. an admin or gRPC port next to the main one). ECS shifts them together.
   * @default - only `portMappingName`
   */
  readonly additionalServices?: ecs.ServiceConnectService[];
}

/** What the service passes to its routing. @internal */
export interface RoutingBindContext {
  /** Where the routing creates its target groups and rules (the service, or a child per additional exposure). */
  readonly scope: Construct;
  /** Name of the prop that holds this routing, for errors: `routing` or `additionalRouting.<name>`. */
  readonly prop: string;
  readonly service: ecs.BaseService;
  readonly cluster: ecs.ICluster;
  readonly taskDefinition: ecs.TaskDefinition;
  readonly container: ecs.ContainerDefinition;
  readonly containerPort: number;
}

/** What a routing gives back to the service. @internal */
export interface RoutingBindResult {
  readonly networkLoadBalancer: boolean;
  readonly blueTargetGroup?: elbv2.ITargetGroup;
  readonly greenTargetGroup?: elbv2.ITargetGroup;
  readonly productionRule?: WeightedListenerRule;
  readonly testRule?: WeightedListenerRule;
  readonly loadBalancer?: {
    readonly resources: LoadBalancerResources;
    readonly productionListenerRule: string;
    readonly testListenerRule?: string;
    /**
     * Registers the service's container in the blue target group through the L2, whose
     * `LoadBalancers` entry then carries ECS's AdvancedConfiguration with this role.
     */
    readonly attach: (roleArn: string) => void;
  };
  readonly productionUrl?: string;
  readonly testUrl?: string;
  readonly testHeader?: TestTrafficHeader;
  /** The listener behind testUrl, for hooks that check they can reach it. */
  readonly testEndpoint?: HookTestEndpoint;
  /** The load balancer and its target groups, for hooks and alarms that read their metrics. */
  readonly loadBalancerTargets?: HookLoadBalancerTargets[];
  /** Rendered `ServiceConnectConfiguration.Services[*].ClientAliases[0].TestTrafficRules`. */
  readonly serviceConnectTestTrafficRules?: any;
  readonly serviceConnect?: ecs.ServiceConnectProps;
  /** The VPC Lattice target groups and rules (`TrafficRouting.vpcLattice`). */
  readonly vpcLattice?: VpcLatticeBinding;
}

/**
 * How production (and test) traffic reaches the service, and so how ECS shifts it: an ALB rule,
 * an NLB listener, Service Connect, or nothing (a headless service such as a queue worker).
 */
export abstract class TrafficRouting {
  /** Behind an Application Load Balancer listener, with optional test traffic. */
  public static applicationLoadBalancer(options: ApplicationLoadBalancerRoutingOptions): TrafficRouting {
    return new AlbRouting(options);
  }

  /** Behind a Network Load Balancer listener (ECS rewrites the listener's default action). */
  public static networkLoadBalancer(options: NetworkLoadBalancerRoutingOptions): TrafficRouting {
    return new NlbRouting(options);
  }

  /** Reached through ECS Service Connect. */
  public static serviceConnect(options: ServiceConnectRoutingOptions): TrafficRouting {
    return new ServiceConnectRouting(options);
  }

  /**
   * Through a VPC Lattice service: ECS shifts the weights of a Lattice listener rule between a
   * blue and a green IP target group (awsvpc tasks, a named port mapping).
   */
  public static vpcLattice(options: VpcLatticeRoutingOptions = {}): TrafficRouting {
    return new VpcLatticeRouting(options);
  }

  /** No traffic routing (queue workers, batch consumers): ECS still deploys blue/green. */
  public static none(): TrafficRouting {
    return new NoRouting();
  }

  /** @internal */
  public abstract _bind(context: RoutingBindContext): RoutingBindResult;

  /**
   * What the routing puts the service behind, known before binding: `alb`, `nlb`,
   * `service-connect`, `vpc-lattice` or `none`.
   * @internal
   */
  public abstract _kind(): string;

  /**
   * The NLB listeners whose default action the routing takes over (one routing per listener).
   * @internal
   */
  public _networkListeners(): elbv2.NetworkListener[] {
    return [];
  }

  /** Whether binding creates blue and green target groups (known before the service is made). @internal */
  public _createsTargetGroups(): boolean {
    const kind = this._kind();
    return kind === 'alb' || kind === 'nlb';
  }
}

const DEFAULT_DEREGISTRATION_DELAY = Duration.seconds(30);
/** Target group attribute deregistration_delay.timeout_seconds: 0–3600. */
const MAX_DEREGISTRATION_DELAY_SECONDS = 3600;
/** ALB http-header condition: the name is an RFC 7230 token of at most 40 characters. */
const HEADER_NAME = /^[A-Za-z0-9!#$%&'*+\-.^_`|~]{1,40}$/;
/** ALB http-header condition: a value has at most 128 characters. */
const MAX_HEADER_VALUE_LENGTH = 128;

/** A load balancer needs a container port to forward to. */
function requirePort(ctx: RoutingBindContext): void {
  if (ctx.containerPort === 0) {
    throw new BlueGreenValidationError(ctx.scope, 'container',
      `container ${ctx.container.containerName} has no port mapping for the load balancer to reach; add one or set container`);
  }
}

/**
 * The health check of the blue and green target groups. With a dynamic host port (bridge network
 * mode, host port 0) each task listens on its own instance port, so the health check must go to
 * the traffic port (CloudFormation's default, set explicitly as cfn-lint E3049 requires).
 */
function healthCheckFor(ctx: RoutingBindContext, healthCheck: elbv2.HealthCheck | undefined): elbv2.HealthCheck | undefined {
  const mapping = ctx.container.portMappings.find((m) => m.containerPort === ctx.containerPort);
  const dynamic = ctx.taskDefinition.networkMode === ecs.NetworkMode.BRIDGE && !mapping?.hostPort;
  if (!dynamic) return healthCheck;
  if (healthCheck?.port !== undefined && healthCheck.port !== 'traffic-port') {
    throw new BlueGreenValidationError(ctx.scope, `${ctx.prop}.healthCheck`,
      `port must be traffic-port: container ${ctx.container.containerName} maps port ${ctx.containerPort} to a dynamic host port ` +
      `(bridge network mode, host port 0), got ${healthCheck.port}`);
  }
  return { ...healthCheck, port: 'traffic-port' };
}

function deregistrationDelay(ctx: RoutingBindContext, value: Duration | undefined): Duration {
  if (value === undefined) return DEFAULT_DEREGISTRATION_DELAY;
  wholeSeconds(ctx.scope, `${ctx.prop}.deregistrationDelay`, value, 0, MAX_DEREGISTRATION_DELAY_SECONDS);
  return value;
}

/** Checks the test header of an ALB rule: a valid header name and a value ALB accepts. */
function validateTestHeader(ctx: RoutingBindContext, header: TestTrafficHeader): void {
  const scope = ctx.scope;
  if (!header.name || !header.value) {
    throw new BlueGreenValidationError(scope, `${ctx.prop}.testHeader`, 'needs a non-empty name and value');
  }
  if (!Token.isUnresolved(header.name) && !HEADER_NAME.test(header.name)) {
    throw new BlueGreenValidationError(scope, `${ctx.prop}.testHeader`,
      `name must be an HTTP header name of at most 40 characters (letters, digits and !#$%&'*+-.^_\`|~), got ${JSON.stringify(header.name.slice(0, 60))}`);
  }
  if (!Token.isUnresolved(header.value) && header.value.length > MAX_HEADER_VALUE_LENGTH) {
    throw new BlueGreenValidationError(scope, `${ctx.prop}.testHeader`,
      `value must have at most ${MAX_HEADER_VALUE_LENGTH} characters, got ${header.value.length}`);
  }
}

/** Protocol of a container port mapping (TCP unless set). */
function mappingProtocol(ctx: RoutingBindContext): ecs.Protocol {
  const mapping = ctx.container.portMappings.find((m) => m.containerPort === ctx.containerPort);
  return mapping?.protocol ?? ecs.Protocol.TCP;
}

function targetType(ctx: RoutingBindContext): elbv2.TargetType {
  return ctx.taskDefinition.networkMode === ecs.NetworkMode.AWS_VPC ? elbv2.TargetType.IP : elbv2.TargetType.INSTANCE;
}

function listenerUrl(listener: elbv2.IApplicationListener | elbv2.NetworkListener): string | undefined {
  if (listener instanceof elbv2.ApplicationListener) {
    const scheme = listener.protocol === elbv2.ApplicationProtocol.HTTPS ? 'https' : 'http';
    return `${scheme}://${listener.loadBalancer.loadBalancerDnsName}:${listener.port}`;
  }
  if (listener instanceof elbv2.NetworkListener) {
    const port = (listener.node.defaultChild as elbv2.CfnListener).port;
    return `${listener.loadBalancer.loadBalancerDnsName}:${port}`;
  }
  return undefined;
}

class AlbRouting extends TrafficRouting {
  constructor(private readonly options: ApplicationLoadBalancerRoutingOptions) {
    super();
  }

  public _kind(): string {
    return 'alb';
  }

  public _bind(ctx: RoutingBindContext): RoutingBindResult {
    const o = this.options;
    const scope = ctx.scope;
    if (o.testListener && o.testHeader) {
      throw new BlueGreenValidationError(scope, `${ctx.prop}.testHeader`,
        'use either a test listener or a test header on the production listener, not both');
    }
    if (o.testListener && (o.testListener === o.listener || (!Token.isUnresolved(o.testListener.listenerArn)
      && o.testListener.listenerArn === o.listener.listenerArn))) {
      throw new BlueGreenValidationError(scope, `${ctx.prop}.testListener`,
        'must differ from the production listener; for test traffic on the production listener use testHeader');
    }
    requirePort(ctx);
    if (mappingProtocol(ctx) !== ecs.Protocol.TCP) {
      throw new BlueGreenValidationError(scope, 'container',
        `port ${ctx.containerPort} of container ${ctx.container.containerName} is ${mappingProtocol(ctx)}; an ALB forwards HTTP(S) over TCP only`);
    }
    const protocol = o.targetProtocol ?? elbv2.ApplicationProtocol.HTTP;
    if (protocol !== elbv2.ApplicationProtocol.HTTP && protocol !== elbv2.ApplicationProtocol.HTTPS) {
      throw new BlueGreenValidationError(scope, `${ctx.prop}.targetProtocol`, `must be HTTP or HTTPS, got ${protocol}`);
    }
    const priority = integerInRange(scope, `${ctx.prop}.priority`, o.priority ?? WeightedListenerRule.DEFAULT_PRIORITY, 1, 50000);
    if (o.conditions) validateConditions(scope, `${ctx.prop}.conditions`, o.conditions, 'the production rule');
    if ((o.testListener || o.testHeader) && o.testPriority !== undefined) {
      integerInRange(scope, `${ctx.prop}.testPriority`, o.testPriority, 1, 50000);
    }
    let headerTestPriority: number | undefined;
    if (o.testHeader) {
      validateTestHeader(ctx, o.testHeader);
      validateConditions(scope, `${ctx.prop}.conditions`,
        [...(o.conditions ?? []), elbv2.ListenerCondition.httpHeader(o.testHeader.name, [o.testHeader.value])],
        'the test header rule (routing.conditions plus the test header)');
      headerTestPriority = o.testPriority ?? priority - 1;
      if (!Token.isUnresolved(headerTestPriority) && !Token.isUnresolved(priority) && headerTestPriority >= priority) {
        throw new BlueGreenValidationError(scope, `${ctx.prop}.testPriority`,
          `must be lower than the production rule's priority (${priority}) so the header rule is evaluated first, got ${headerTestPriority}`);
      }
      if (headerTestPriority < 1) {
        throw new BlueGreenValidationError(scope, `${ctx.prop}.testPriority`,
          `priority ${priority} leaves no lower priority for the test header rule; set routing.priority to 2 or more, or set testPriority`);
      }
    }

    const tgProps: elbv2.ApplicationTargetGroupProps = {
      vpc: ctx.cluster.vpc,
      port: ctx.containerPort,
      protocol,
      targetType: targetType(ctx),
      healthCheck: healthCheckFor(ctx, o.healthCheck),
      deregistrationDelay: deregistrationDelay(ctx, o.deregistrationDelay),
    };
    const blue = new elbv2.ApplicationTargetGroup(scope, 'BlueTargetGroup', tgProps);
    const green = new elbv2.ApplicationTargetGroup(scope, 'GreenTargetGroup', tgProps);

    const productionRule = new WeightedListenerRule(scope, 'ProductionRule', {
      listener: o.listener,
      blueTargetGroup: blue,
      greenTargetGroup: green,
      priority,
      conditions: o.conditions,
      preserveLiveWeights: o.preserveLiveWeights,
      cluster: ctx.cluster,
    });

    let testRule: WeightedListenerRule | undefined;
    let testUrl: string | undefined;
    let testEndpoint: HookTestEndpoint | undefined;
    if (o.testListener) {
      testRule = new WeightedListenerRule(scope, 'TestRule', {
        listener: o.testListener,
        blueTargetGroup: blue,
        greenTargetGroup: green,
        priority: o.testPriority ?? priority,
        conditions: o.conditions,
        preserveLiveWeights: o.preserveLiveWeights,
        cluster: ctx.cluster,
      });
      testUrl = listenerUrl(o.testListener);
      testEndpoint = testEndpointOf(o.testListener, o.conditions);
    } else if (o.testHeader) {
      const testPriority = headerTestPriority!;
      testRule = new WeightedListenerRule(scope, 'TestRule', {
        listener: o.listener,
        blueTargetGroup: blue,
        greenTargetGroup: green,
        priority: testPriority,
        conditions: [
          ...(o.conditions ?? []),
          elbv2.ListenerCondition.httpHeader(o.testHeader.name, [o.testHeader.value]),
        ],
        preserveLiveWeights: o.preserveLiveWeights,
        cluster: ctx.cluster,
      });
      testUrl = listenerUrl(o.listener);
      testEndpoint = testEndpointOf(o.listener, o.conditions);
    }

    const listenerArns = [o.listener.listenerArn, ...(o.testListener ? [o.testListener.listenerArn] : [])];
    return {
      networkLoadBalancer: false,
      blueTargetGroup: blue,
      greenTargetGroup: green,
      productionRule,
      testRule,
      loadBalancer: {
        resources: {
          targetGroupArns: [blue.targetGroupArn, green.targetGroupArn],
          listenerRuleArns: [productionRule.ruleArn, ...(testRule ? [testRule.ruleArn] : [])],
          listenerArns,
        },
        productionListenerRule: productionRule.ruleArn,
        testListenerRule: testRule?.ruleArn,
        // ECS registers green tasks itself during a deployment; the same port is open to the ALB.
        attach: (roleArn) => blueGreenTarget({
          service: ctx.service,
          containerName: ctx.container.containerName,
          containerPort: ctx.containerPort,
          green,
          productionListenerRule: productionRule.ruleArn,
          testListenerRule: testRule?.ruleArn,
          roleArn,
        }).attachToApplicationTargetGroup(blue),
      },
      productionUrl: listenerUrl(o.listener),
      testUrl,
      testHeader: o.testHeader,
      testEndpoint,
      loadBalancerTargets: [loadBalancerTargetsOf(o.listener, blue, green)],
    };
  }
}

class NlbRouting extends TrafficRouting {
  constructor(private readonly options: NetworkLoadBalancerRoutingOptions) {
    super();
  }

  public _kind(): string {
    return 'nlb';
  }

  public _networkListeners(): elbv2.NetworkListener[] {
    return [this.options.listener, ...(this.options.testListener ? [this.options.testListener] : [])];
  }

  public _bind(ctx: RoutingBindContext): RoutingBindResult {
    const o = this.options;
    const scope = ctx.scope;
    if (o.testListener === o.listener) {
      throw new BlueGreenValidationError(scope, `${ctx.prop}.testListener`, 'must differ from the production listener');
    }
    requirePort(ctx);
    const containerProtocol = mappingProtocol(ctx);
    const protocol = containerProtocol === ecs.Protocol.UDP ? elbv2.Protocol.UDP : elbv2.Protocol.TCP;
    for (const [prop, listener] of [[`${ctx.prop}.listener`, o.listener], [`${ctx.prop}.testListener`, o.testListener]] as const) {
      if (!listener) continue;
      const cfn = listener.node.defaultChild as elbv2.CfnListener;
      const listenerProtocol = cfn.protocol;
      if (listenerProtocol === 'TCP_UDP') {
        throw new BlueGreenValidationError(scope, prop,
          'listener protocol TCP_UDP needs TCP_UDP target groups, and ECS forwards a container port over TCP or UDP only; use a TCP or a UDP listener');
      }
      if (listenerProtocol !== undefined && !Token.isUnresolved(listenerProtocol)) {
        const udp = listenerProtocol === 'UDP' || listenerProtocol === 'TCP_UDP';
        if (udp !== (protocol === elbv2.Protocol.UDP)) {
          throw new BlueGreenValidationError(scope, prop,
            `listener protocol ${listenerProtocol} cannot forward to container port ${ctx.containerPort}/${containerProtocol}`);
        }
      }
    }
    const lb = o.listener.loadBalancer;
    // An NLB without security groups reaches the tasks from the VPC's own addresses.
    const vpcCidr = lb.connections.securityGroups.length > 0 ? undefined : vpcCidrBlock(ctx);
    const tgProps: elbv2.NetworkTargetGroupProps = {
      vpc: ctx.cluster.vpc,
      port: ctx.containerPort,
      protocol,
      targetType: targetType(ctx),
      healthCheck: healthCheckFor(ctx, o.healthCheck),
      deregistrationDelay: deregistrationDelay(ctx, o.deregistrationDelay),
    };
    const blue = new elbv2.NetworkTargetGroup(scope, 'BlueTargetGroup', tgProps);
    const green = new elbv2.NetworkTargetGroup(scope, 'GreenTargetGroup', tgProps);
    const preserve = o.preserveLiveWeights ?? true;
    weightedDefaultAction(o.listener, blue, green, preserve, ctx.cluster);
    if (o.testListener) weightedDefaultAction(o.testListener, blue, green, preserve, ctx.cluster);

    // An NLB with security groups is allowed in by group; one without forwards from its private
    // addresses in the VPC (IP targets do not see client addresses by default).
    const port = protocol === elbv2.Protocol.UDP ? ec2.Port.udp(ctx.containerPort) : ec2.Port.tcp(ctx.containerPort);
    if (vpcCidr === undefined) {
      ctx.service.connections.allowFrom(lb, port, 'from the network load balancer');
    } else {
      ctx.service.connections.allowFrom(ec2.Peer.ipv4(vpcCidr), port, 'from the network load balancer (VPC addresses)');
      for (const sg of ctx.service.connections.securityGroups) {
        exemptFromNag(sg, [{
          id: 'CdkNagValidationFailure',
          reason: 'AwsSolutions-EC23 cannot evaluate the VPC CIDR reference; the rule admits the VPC\'s own range on the container port only (NLB forwarding).',
        }]);
      }
    }

    const listenerArns = [o.listener.listenerArn, ...(o.testListener ? [o.testListener.listenerArn] : [])];
    return {
      networkLoadBalancer: true,
      blueTargetGroup: blue,
      greenTargetGroup: green,
      loadBalancer: {
        resources: { targetGroupArns: [blue.targetGroupArn, green.targetGroupArn], listenerRuleArns: [], listenerArns },
        productionListenerRule: o.listener.listenerArn,
        testListenerRule: o.testListener?.listenerArn,
        attach: (roleArn) => blueGreenTarget({
          service: ctx.service,
          containerName: ctx.container.containerName,
          containerPort: ctx.containerPort,
          protocol: containerProtocol,
          green,
          productionListenerRule: o.listener.listenerArn,
          testListenerRule: o.testListener?.listenerArn,
          roleArn,
        }).attachToNetworkTargetGroup(blue),
      },
      productionUrl: listenerUrl(o.listener),
      testUrl: o.testListener ? listenerUrl(o.testListener) : undefined,
      testEndpoint: o.testListener ? testEndpointOf(o.testListener) : undefined,
      loadBalancerTargets: [loadBalancerTargetsOf(o.listener, blue, green)],
    };
  }
}

/** The CIDR of the cluster's VPC, which an imported VPC may lack. */
function vpcCidrBlock(ctx: RoutingBindContext): string {
  try {
    return ctx.cluster.vpc.vpcCidrBlock;
  } catch {
    throw new BlueGreenValidationError(ctx.scope, 'cluster',
      'the network load balancer has no security groups, so the tasks admit the VPC\'s addresses, but the cluster\'s VPC was imported ' +
      'without vpcCidrBlock; pass vpcCidrBlock to Vpc.fromVpcAttributes, or give the load balancer security groups');
  }
}

/**
 * Sets an NLB listener's default action to a weighted forward, blue 1 and green 0: the action
 * ECS rewrites (by listener ARN) when it shifts traffic. With `preserve`, the weights are read from
 * the live listener at deploy time (see LiveWeights), so stack updates keep what ECS set.
 */
function weightedDefaultAction(listener: elbv2.NetworkListener, blue: elbv2.INetworkTargetGroup, green: elbv2.INetworkTargetGroup,
  preserve: boolean, cluster: ecs.ICluster): void {
  listener.addAction('BlueGreen', {
    action: elbv2.NetworkListenerAction.weightedForward([
      { targetGroup: blue, weight: 1 },
      { targetGroup: green, weight: 0 },
    ]),
  });
  if (!preserve) return;
  const cfn = listener.node.defaultChild as elbv2.CfnListener;
  const weights = LiveWeights.of(listener).register({
    kind: 'listener',
    resource: cfn,
    loadBalancerArn: listener.loadBalancer.loadBalancerArn,
    port: cfn.port,
    blueTargetGroupArn: blue.targetGroupArn,
    greenTargetGroupArn: green.targetGroupArn,
    cluster,
  });
  cfn.addPropertyOverride('DefaultActions', [{
    Type: 'forward',
    ForwardConfig: {
      TargetGroups: [
        { TargetGroupArn: blue.targetGroupArn, Weight: weights.blue },
        { TargetGroupArn: green.targetGroupArn, Weight: weights.green },
      ],
    },
  }]);
}

class ServiceConnectRouting extends TrafficRouting {
  constructor(private readonly options: ServiceConnectRoutingOptions) {
    super();
  }

  public _kind(): string {
    return 'service-connect';
  }

  public _bind(ctx: RoutingBindContext): RoutingBindResult {
    const o = this.options;
    const scope = ctx.scope;
    const namespace = o.namespace ?? ctx.cluster.defaultCloudMapNamespace?.namespaceName;
    if (!namespace) {
      throw new BlueGreenValidationError(scope, `${ctx.prop}.namespace`,
        'Service Connect needs a Cloud Map namespace: pass routing.namespace or give the cluster a default namespace (cluster.addDefaultCloudMapNamespace)');
    }
    const mapping = ctx.container.portMappings.find((m) => m.name === o.portMappingName);
    if (!mapping) {
      const names = ctx.container.portMappings.map((m) => m.name).filter((n) => n !== undefined);
      throw new BlueGreenValidationError(scope, `${ctx.prop}.portMappingName`,
        `'${o.portMappingName}' is not a named port mapping of container ${ctx.container.containerName}; named mappings: ${names.length ? names.join(', ') : 'none'}`);
    }
    if (o.testTrafficHeader && (!o.testTrafficHeader.name || !o.testTrafficHeader.value)) {
      throw new BlueGreenValidationError(scope, `${ctx.prop}.testTrafficHeader`, 'needs a non-empty name and value');
    }
    const port = o.port === undefined ? mapping.containerPort : integerInRange(scope, `${ctx.prop}.port`, o.port, 1, 65535);
    return {
      networkLoadBalancer: false,
      serviceConnect: {
        namespace,
        services: serviceConnectServices(ctx, { portMappingName: o.portMappingName, dnsName: o.dnsName, port }, o.additionalServices),
      },
      serviceConnectTestTrafficRules: o.testTrafficHeader
        ? { Header: { Name: o.testTrafficHeader.name, Value: { Exact: o.testTrafficHeader.value } } }
        : undefined,
      testHeader: o.testTrafficHeader,
    };
  }
}

class VpcLatticeRouting extends TrafficRouting {
  constructor(private readonly options: VpcLatticeRoutingOptions) {
    super();
  }

  public _kind(): string {
    return 'vpc-lattice';
  }

  public _bind(ctx: RoutingBindContext): RoutingBindResult {
    return bindVpcLattice(ctx, this.options ?? {});
  }
}

class NoRouting extends TrafficRouting {
  public _kind(): string {
    return 'none';
  }

  public _bind(): RoutingBindResult {
    return { networkLoadBalancer: false };
  }
}
