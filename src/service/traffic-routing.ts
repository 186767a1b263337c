import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import { IConstruct } from 'constructs';
import { AlbRouting } from './routing/alb-routing';
import type { RoutingBindContext, RoutingBindResult, RoutingKind } from './routing/bind-contract';
import { NoRouting } from './routing/headless-routing';
import { NlbRouting } from './routing/nlb-routing';
import { ALB_OPTION_TYPES, NLB_OPTION_TYPES, NO_OPTION_TYPES, SERVICE_CONNECT_OPTION_TYPES, VPC_LATTICE_OPTION_TYPES } from './routing/option-types';
import type { ApplicationLoadBalancerRoutingOptions, NetworkLoadBalancerRoutingOptions, ServiceConnectRoutingOptions } from './routing/options';
import { ServiceConnectRouting } from './routing/service-connect-routing';
import type { VpcLatticeRoutingOptions } from './routing/vpc-lattice-options';
import { VpcLatticeRouting } from './routing/vpc-lattice-routing';
import { PropTable, checkProps } from '../private/prop-types';

/**
 * How production (and test) traffic reaches the service, and so how ECS shifts it: an ALB rule,
 * an NLB listener, Service Connect, a VPC Lattice listener rule, or nothing (a headless service
 * such as a queue worker).
 *
 * @example
 * import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
 * import { TrafficRouting } from 'cdk-ecs-blue-green';
 *
 * declare const listener: elbv2.ApplicationListener;      // production
 * declare const testListener: elbv2.ApplicationListener;  // test traffic reaches green here first
 * const routing = TrafficRouting.applicationLoadBalancer({ listener, testListener });
 */
export abstract class TrafficRouting {
  /** Behind an Application Load Balancer listener, with optional test traffic. */
  public static applicationLoadBalancer(options: ApplicationLoadBalancerRoutingOptions): TrafficRouting {
    return new KindRouting(new AlbRouting(options), options, ALB_OPTION_TYPES);
  }

  /** Behind a Network Load Balancer listener (ECS rewrites the listener's default action). */
  public static networkLoadBalancer(options: NetworkLoadBalancerRoutingOptions): TrafficRouting {
    return new KindRouting(new NlbRouting(options), options, NLB_OPTION_TYPES);
  }

  /** Reached through ECS Service Connect. */
  public static serviceConnect(options: ServiceConnectRoutingOptions): TrafficRouting {
    return new KindRouting(new ServiceConnectRouting(options), options, SERVICE_CONNECT_OPTION_TYPES);
  }

  /**
   * Through a VPC Lattice service: ECS shifts the weights of a Lattice listener rule between a
   * blue and a green IP target group (awsvpc tasks, a named port mapping).
   */
  public static vpcLattice(options: VpcLatticeRoutingOptions = {}): TrafficRouting {
    return new KindRouting(new VpcLatticeRouting(options), options, VPC_LATTICE_OPTION_TYPES);
  }

  /** No traffic routing (queue workers, batch consumers): ECS still deploys blue/green. */
  public static none(): TrafficRouting {
    return new KindRouting(new NoRouting(), {}, NO_OPTION_TYPES);
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

  /**
   * Checks the runtime types of the factory's options (for JavaScript callers), naming each as
   * `<prop>.<option>`; runs before anything else reads them.
   * @internal
   */
  public _checkTypes(_scope: IConstruct, _prop: string): void {}

  /** Whether binding creates blue and green target groups (known before the service is made). @internal */
  public _createsTargetGroups(): boolean {
    const kind = this._kind();
    return kind === 'alb' || kind === 'nlb';
  }
}

/**
 * The routing each factory returns: it delegates to its kind (`src/service/routing/<kind>-routing.ts`).
 * The kinds do not extend `TrafficRouting`, so none of them imports this module, and the factory
 * can import them all without a cycle.
 */
class KindRouting extends TrafficRouting {
  constructor(private readonly routingKind: RoutingKind, private readonly options: unknown, private readonly optionTypes: PropTable) {
    super();
  }

  public _checkTypes(scope: IConstruct, prop: string): void {
    checkProps(scope, prop, this.options, this.optionTypes);
  }

  public _kind(): string {
    return this.routingKind._kind();
  }

  public _bind(context: RoutingBindContext): RoutingBindResult {
    return this.routingKind._bind(context);
  }

  public _networkListeners(): elbv2.NetworkListener[] {
    return this.routingKind._networkListeners?.() ?? [];
  }
}
