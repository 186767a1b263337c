import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import { AlbRouting } from './routing/alb-routing';
import type { RoutingBindContext, RoutingBindResult, RoutingKind } from './routing/bind-contract';
import { NoRouting } from './routing/headless-routing';
import { NlbRouting } from './routing/nlb-routing';
import type { ApplicationLoadBalancerRoutingOptions, NetworkLoadBalancerRoutingOptions, ServiceConnectRoutingOptions } from './routing/options';
import { ServiceConnectRouting } from './routing/service-connect-routing';
import type { VpcLatticeRoutingOptions } from './routing/vpc-lattice-options';
import { VpcLatticeRouting } from './routing/vpc-lattice-routing';

/**
 * How production (and test) traffic reaches the service, and so how ECS shifts it: an ALB rule,
 * an NLB listener, Service Connect, a VPC Lattice listener rule, or nothing (a headless service
 * such as a queue worker).
 */
export abstract class TrafficRouting {
  /** Behind an Application Load Balancer listener, with optional test traffic. */
  public static applicationLoadBalancer(options: ApplicationLoadBalancerRoutingOptions): TrafficRouting {
    return new KindRouting(new AlbRouting(options));
  }

  /** Behind a Network Load Balancer listener (ECS rewrites the listener's default action). */
  public static networkLoadBalancer(options: NetworkLoadBalancerRoutingOptions): TrafficRouting {
    return new KindRouting(new NlbRouting(options));
  }

  /** Reached through ECS Service Connect. */
  public static serviceConnect(options: ServiceConnectRoutingOptions): TrafficRouting {
    return new KindRouting(new ServiceConnectRouting(options));
  }

  /**
   * Through a VPC Lattice service: ECS shifts the weights of a Lattice listener rule between a
   * blue and a green IP target group (awsvpc tasks, a named port mapping).
   */
  public static vpcLattice(options: VpcLatticeRoutingOptions = {}): TrafficRouting {
    return new KindRouting(new VpcLatticeRouting(options));
  }

  /** No traffic routing (queue workers, batch consumers): ECS still deploys blue/green. */
  public static none(): TrafficRouting {
    return new KindRouting(new NoRouting());
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

/**
 * The routing each factory returns: it delegates to its kind (`src/service/routing/<kind>-routing.ts`).
 * The kinds do not extend `TrafficRouting`, so none of them imports this module, and the factory
 * can import them all without a cycle.
 */
class KindRouting extends TrafficRouting {
  constructor(private readonly routingKind: RoutingKind) {
    super();
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
