import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';

/** One load balancer exposure of a blue/green service, as ECS's `AdvancedConfiguration` names it. */
export interface BlueGreenTargetOptions {
  readonly service: ecs.BaseService;
  readonly containerName: string;
  readonly containerPort: number;
  readonly protocol?: ecs.Protocol;
  /** The target group ECS deploys the next revision into. */
  readonly green: elbv2.ITargetGroup;
  /** ALB: the production listener rule's ARN; NLB: the production listener's ARN. */
  readonly productionListenerRule: string;
  /** ALB: the test listener rule's ARN; NLB: the test listener's ARN. */
  readonly testListenerRule?: string;
  /** Role ECS assumes to register targets and rewrite the rule or listener. */
  readonly roleArn: string;
}

/**
 * The L2's own load balancer target with `alternateTarget` (aws-cdk-lib ≥ 2.222): attaching it to
 * the blue target group makes the L2 push the whole `LoadBalancers` entry, AdvancedConfiguration
 * included, into the list it renders, next to whatever else the user attached. We implement
 * `ecs.IAlternateTarget` ourselves because the L2's `AlternateTarget` takes an
 * `elbv2.ApplicationListenerRule` (ours is a WeightedListenerRule) and would create one role per
 * service with the account-wide managed policy instead of our scoped, pooled role.
 * @internal
 */
export function blueGreenTarget(o: BlueGreenTargetOptions): ecs.IEcsLoadBalancerTarget {
  const config: ecs.AlternateTargetConfig = {
    alternateTargetGroupArn: o.green.targetGroupArn,
    roleArn: o.roleArn,
    productionListenerRule: o.productionListenerRule,
    testListenerRule: o.testListenerRule,
  };
  return o.service.loadBalancerTarget({
    containerName: o.containerName,
    containerPort: o.containerPort,
    protocol: o.protocol,
    alternateTarget: { bind: () => config },
  });
}
