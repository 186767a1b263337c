import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import { Construct } from 'constructs';
import { MigrationPhase } from './migration-option';

/**
 * What a routing layer of option 3 (Route 53, CloudFront, API Gateway) gets for one phase: the
 * old and the new load balancer with their production listeners, and the new service.
 * @internal
 */
export interface RoutingLayerPhase {
  /** The migration: scope of what the layer creates, reporter of its errors. */
  readonly scope: Construct;
  readonly phase: MigrationPhase;
  readonly oldLoadBalancer: elbv2.IApplicationLoadBalancer;
  readonly oldListener: elbv2.IApplicationListener;
  readonly newLoadBalancer: elbv2.ApplicationLoadBalancer;
  readonly newListener: elbv2.IApplicationListener;
  /** The new service (what the CLEANUP check reads). */
  readonly service: ecs.BaseService;
  /** The percentage of traffic CUTOVER sends to the new load balancer (100 but for Route 53). */
  readonly percent: number;
  /** CLEANUP: removes the old path and the CodeDeploy resources from the app. */
  readonly removeOldPath: () => void;
}

/** Whether the phase points the routing layer at the new load balancer. @internal */
export function movedIn(phase: MigrationPhase): boolean {
  return phase === MigrationPhase.CUTOVER || phase === MigrationPhase.CLEANUP;
}
