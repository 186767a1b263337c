import { Fn, Token } from 'aws-cdk-lib';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import { HookLoadBalancerTargets, HookTestEndpoint } from '../hooks/hook-facts';
import { admitsAnyAddress } from '../private/security-groups';

type TargetGroup = elbv2.ApplicationTargetGroup | elbv2.NetworkTargetGroup;

/** Condition fields whose values a smoke test can satisfy by itself (host and path). */
const HOST_FIELD = 'host-header';
const PATH_FIELD = 'path-pattern';

/**
 * What a hook needs to know about the listener that carries test traffic (see HookTestEndpoint),
 * or undefined for a listener imported without its load balancer.
 * @param conditions the conditions of the test rule (ALB), the test header excluded
 * @internal
 */
export function testEndpointOf(listener: elbv2.IApplicationListener | elbv2.NetworkListener,
  conditions: elbv2.ListenerCondition[] = []): HookTestEndpoint | undefined {
  if (listener instanceof elbv2.ApplicationListener) {
    const lb = listener.loadBalancer;
    return {
      scheme: listener.protocol === elbv2.ApplicationProtocol.HTTPS ? 'https' : 'http',
      dnsName: lb.loadBalancerDnsName,
      port: listener.port,
      internetFacing: schemeOf(lb),
      openToInternet: admitsAnyAddress(listener.connections, listener.port),
      connections: listener.connections,
      vpc: lb.vpc,
      ...conditionFacts(conditions),
    };
  }
  if (listener instanceof elbv2.NetworkListener) {
    const lb = listener.loadBalancer;
    const cfn = listener.node.defaultChild as elbv2.CfnListener;
    const port = cfn.port;
    if (port === undefined) return undefined;
    const protocol = cfn.protocol;
    const connections = lb.connections.securityGroups.length > 0 ? lb.connections : undefined;
    return {
      scheme: protocol === 'TLS' ? 'https' : protocol === 'UDP' || protocol === 'TCP_UDP' ? 'none' : 'http',
      dnsName: lb.loadBalancerDnsName,
      port,
      internetFacing: schemeOf(lb),
      openToInternet: Token.isUnresolved(port) ? undefined : admitsAnyAddress(lb.connections, port),
      connections,
      vpc: lb.vpc,
    };
  }
  return undefined;
}

/** The metric dimensions of a load balancer and its blue and green target groups. @internal */
export function loadBalancerTargetsOf(listener: elbv2.IApplicationListener | elbv2.NetworkListener,
  blue: TargetGroup, green: TargetGroup): HookLoadBalancerTargets {
  return {
    networkLoadBalancer: listener instanceof elbv2.NetworkListener,
    loadBalancerFullName: loadBalancerFullNameOf(listener),
    targetGroupArns: [blue.targetGroupArn, green.targetGroupArn],
    targetGroupFullNames: [blue.targetGroupFullName, green.targetGroupFullName],
  };
}

/**
 * `app/<name>/<id>` (or `net/...`), the LoadBalancer dimension of ELB metrics: the load balancer's
 * attribute, or from the listener ARN `arn:...:listener/app/<name>/<id>/<listener id>`.
 */
function loadBalancerFullNameOf(listener: elbv2.IApplicationListener | elbv2.NetworkListener): string {
  const lb = listener instanceof elbv2.ApplicationListener || listener instanceof elbv2.NetworkListener ? listener.loadBalancer : undefined;
  // A load balancer of this app has the attribute (GetAtt LoadBalancerFullName).
  if (lb instanceof elbv2.ApplicationLoadBalancer || lb instanceof elbv2.NetworkLoadBalancer) return lb.loadBalancerFullName;
  const listenerArn = listener.listenerArn;
  if (!Token.isUnresolved(listenerArn)) return listenerArn.split('/').slice(1, 4).join('/');
  const parts = Fn.split('/', listenerArn);
  return Fn.join('/', [Fn.select(1, parts), Fn.select(2, parts), Fn.select(3, parts)]);
}

/** true for internet-facing, false for internal, undefined for an imported load balancer. */
function schemeOf(lb: elbv2.IApplicationLoadBalancer | elbv2.INetworkLoadBalancer): boolean | undefined {
  const cfn = lb.node.defaultChild;
  if (!(cfn instanceof elbv2.CfnLoadBalancer)) return undefined;
  if (cfn.scheme === undefined) return false; // ELB's default scheme is internal
  return Token.isUnresolved(cfn.scheme) ? undefined : cfn.scheme === 'internet-facing';
}

function conditionFacts(conditions: elbv2.ListenerCondition[]): Pick<HookTestEndpoint, 'hostNames' | 'pathPatterns' | 'otherConditions'> {
  const facts: { hostNames?: string[]; pathPatterns?: string[]; otherConditions?: string[] } = {};
  for (const condition of conditions) {
    const raw = condition.renderRawCondition() as { field?: string; [config: string]: any };
    const values = Object.values(raw).find((v): v is { values: unknown } => typeof v === 'object' && v !== null && 'values' in v)?.values;
    const literal = Array.isArray(values) && values.every((v) => typeof v === 'string' && !Token.isUnresolved(v)) ? values as string[] : undefined;
    if (raw.field === HOST_FIELD && literal) facts.hostNames = literal;
    else if (raw.field === PATH_FIELD && literal) facts.pathPatterns = literal;
    else if (raw.field !== HOST_FIELD && raw.field !== PATH_FIELD) facts.otherConditions = [...(facts.otherConditions ?? []), raw.field ?? 'unknown'];
  }
  return facts;
}
