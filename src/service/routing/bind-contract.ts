import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import { Construct } from 'constructs';
import type { TestTrafficHeader } from './options';
import type { VpcLatticeBinding } from './vpc-lattice-routing';
import type { HookLoadBalancerTargets, HookTestEndpoint } from '../../hooks/hook-facts';
import type { WeightedListenerRule } from '../../routing/weighted-listener-rule';
import type { LoadBalancerResources } from '../infrastructure-role';

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
 * One routing kind behind the `TrafficRouting` factory (ALB, NLB, Service Connect, VPC Lattice,
 * headless): what the factory's routing delegates to. A kind's file holds its class, so the
 * factory imports the kinds and no kind imports the factory.
 * @internal
 */
export interface RoutingKind {
  /** `alb`, `nlb`, `service-connect`, `vpc-lattice` or `none`. */
  _kind(): string;
  _bind(context: RoutingBindContext): RoutingBindResult;
  /** The NLB listeners whose default action the routing takes over. */
  _networkListeners?(): elbv2.NetworkListener[];
}
