import { Duration } from 'aws-cdk-lib';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import type { RoutingBindContext } from './bind-contract';
import { BlueGreenValidationError } from '../../errors';
import { wholeSeconds } from '../../private/validate';

// What the load balancer routings (ALB and NLB) share: their blue and green target groups' settings
// and the URL of a listener.

const DEFAULT_DEREGISTRATION_DELAY = Duration.seconds(30);
/** Target group attribute deregistration_delay.timeout_seconds: 0–3600. */
const MAX_DEREGISTRATION_DELAY_SECONDS = 3600;

/** A load balancer needs a container port to forward to. */
export function requirePort(ctx: RoutingBindContext): void {
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
export function healthCheckFor(ctx: RoutingBindContext, healthCheck: elbv2.HealthCheck | undefined): elbv2.HealthCheck | undefined {
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

/** The target groups' deregistration delay, 0–3600 whole seconds. */
export function deregistrationDelay(ctx: RoutingBindContext, value: Duration | undefined): Duration {
  if (value === undefined) return DEFAULT_DEREGISTRATION_DELAY;
  wholeSeconds(ctx.scope, `${ctx.prop}.deregistrationDelay`, value, 0, MAX_DEREGISTRATION_DELAY_SECONDS);
  return value;
}

/** Protocol of a container port mapping (TCP unless set). */
export function mappingProtocol(ctx: RoutingBindContext): ecs.Protocol {
  const mapping = ctx.container.portMappings.find((m) => m.containerPort === ctx.containerPort);
  return mapping?.protocol ?? ecs.Protocol.TCP;
}

/** IP targets for awsvpc tasks, instance targets otherwise. */
export function targetType(ctx: RoutingBindContext): elbv2.TargetType {
  return ctx.taskDefinition.networkMode === ecs.NetworkMode.AWS_VPC ? elbv2.TargetType.IP : elbv2.TargetType.INSTANCE;
}

/** The URL of an ALB listener, or the `host:port` of an NLB listener; unknown for an imported listener. */
export function listenerUrl(listener: elbv2.IApplicationListener | elbv2.NetworkListener): string | undefined {
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

/**
 * What the blue and green target groups of an ALB or NLB routing share (the protocol is the
 * kind's own): the cluster's VPC, the container port, the target type and the checked health
 * check and deregistration delay.
 */
export function sharedTargetGroupProps(ctx: RoutingBindContext, o: { healthCheck?: elbv2.HealthCheck; deregistrationDelay?: Duration }) {
  return {
    vpc: ctx.cluster.vpc,
    port: ctx.containerPort,
    targetType: targetType(ctx),
    healthCheck: healthCheckFor(ctx, o.healthCheck),
    deregistrationDelay: deregistrationDelay(ctx, o.deregistrationDelay),
  };
}
