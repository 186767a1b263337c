import { Stack, Token } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import type { RoutingBindContext, RoutingBindResult, RoutingKind } from './bind-contract';
import { blueGreenTarget } from './blue-green-target';
import { listenerUrl, mappingProtocol, requirePort, sharedTargetGroupProps } from './load-balancer-targets';
import type { NetworkLoadBalancerRoutingOptions } from './options';
import { BlueGreenValidationError } from '../../errors';
import { exemptFromNag } from '../../private/nag';
import { LiveWeights } from '../../routing/live-weights';
import { loadBalancerTargetsOf, testEndpointOf } from '../test-endpoint';

/** `TrafficRouting.networkLoadBalancer()`: the listeners' weighted default actions, which ECS rewrites. @internal */
export class NlbRouting implements RoutingKind {
  constructor(private readonly options: NetworkLoadBalancerRoutingOptions) {}

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
      if (hasDefaultAction(cfn)) {
        throw new BlueGreenValidationError(scope, prop,
          `${listener.node.path} already has a default action; this routing sets it to the forward ECS shifts, which would replace it: ` +
          'create the listener without defaultAction or defaultTargetGroups (and no DefaultActions override), one listener per service');
      }
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
    const tgProps: elbv2.NetworkTargetGroupProps = { ...sharedTargetGroupProps(ctx, o), protocol };
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

/**
 * Whether a listener already has a default action: one the L2 renders (defaultAction,
 * defaultTargetGroups, addTargetGroups, addAction without conditions; another service's routing),
 * or a DefaultActions override on its L1. aws-cdk-lib replaces an L2 default action with only a
 * warning (listenerExistingDefaultActionReplaced), and an override wins over anything the L2 renders.
 */
function hasDefaultAction(cfn: elbv2.CfnListener): boolean {
  const rendered = Stack.of(cfn).resolve(cfn.defaultActions);
  if (Array.isArray(rendered) ? rendered.length > 0 : rendered !== undefined) return true;
  // CfnResource keeps addPropertyOverride's values in rawOverrides (not public API).
  const overrides = (cfn as unknown as { rawOverrides?: { Properties?: Record<string, unknown> } }).rawOverrides;
  return overrides?.Properties?.DefaultActions !== undefined;
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
