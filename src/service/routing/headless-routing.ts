import type { RoutingBindResult, RoutingKind } from './bind-contract';

/** `TrafficRouting.none()`: no traffic routing (queue workers, batch consumers). @internal */
export class NoRouting implements RoutingKind {
  public _kind(): string {
    return 'none';
  }

  public _bind(): RoutingBindResult {
    return { networkLoadBalancer: false };
  }
}
