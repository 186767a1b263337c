import { Stack, Token } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';

/** The parts of an ingress rule that decide what it admits. */
interface IngressRule {
  readonly cidrIp?: string;
  readonly cidrIpv6?: string;
  readonly ipProtocol?: string;
  readonly fromPort?: number;
  readonly toPort?: number;
}

const ANY_ADDRESS = ['0.0.0.0/0'];
const ANY_IPV6_ADDRESS = ['::/0'];

/**
 * Whether traffic from any address reaches `port` (TCP) through `connections`: true when no
 * security group filters it or one of them admits 0.0.0.0/0 or ::/0 on the port; false when every
 * group is defined in this app and none does; undefined when an imported group (whose rules are
 * unknown) could. Reads the rules as they are now, inline and as separate ingress resources.
 */
export function admitsAnyAddress(connections: ec2.Connections, port: number): boolean | undefined {
  if (connections.securityGroups.length === 0) return true;
  let unknown = false;
  for (const group of connections.securityGroups) {
    const verdict = groupAdmitsAnyAddress(group, port);
    if (verdict === true) return true;
    if (verdict === undefined) unknown = true;
  }
  return unknown ? undefined : false;
}

function groupAdmitsAnyAddress(group: ec2.ISecurityGroup, port: number): boolean | undefined {
  const cfn = group.node.defaultChild;
  if (!(cfn instanceof ec2.CfnSecurityGroup)) return undefined;
  // aws-cdk-lib keeps inline rules in a resolvable that returns the group's live rule list (a
  // Box in 2.257, a Lazy of the same list before): resolving it reads the rules added so far.
  const inline = Stack.of(group).resolve(cfn.securityGroupIngress);
  if (inline !== undefined && !Array.isArray(inline)) return undefined;
  const separate = group.node.findAll()
    .filter((c): c is ec2.CfnSecurityGroupIngress => c instanceof ec2.CfnSecurityGroupIngress);
  const rules: IngressRule[] = [...(inline ?? []) as IngressRule[], ...separate];
  return rules.some((r) => admitsEveryone(r) && coversPort(r, port));
}

function admitsEveryone(rule: IngressRule): boolean {
  return (rule.cidrIp !== undefined && ANY_ADDRESS.includes(rule.cidrIp))
    || (rule.cidrIpv6 !== undefined && ANY_IPV6_ADDRESS.includes(rule.cidrIpv6));
}

function coversPort(rule: IngressRule, port: number): boolean {
  if (rule.ipProtocol === '-1') return true;
  if (rule.ipProtocol !== 'tcp' && rule.ipProtocol !== '6') return false;
  if (Token.isUnresolved(rule.fromPort) || Token.isUnresolved(rule.toPort)) return false;
  return (rule.fromPort ?? 0) <= port && port <= (rule.toPort ?? 65535);
}
