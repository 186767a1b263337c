import { Stack } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import * as wafv2 from 'aws-cdk-lib/aws-wafv2';
import { Construct, IConstruct } from 'constructs';
import { BlueGreenValidationError } from '../errors';
import { validateConditions } from '../private/conditions';
import { refersTo } from '../private/same-ref';

// Option 3: the new load balancer admits, on the production port, who the old one admitted, and
// nobody else. Behind CloudFront or API Gateway the old load balancer is usually closed to all but
// the routing layer: its security group admits only CloudFront's origin-facing prefix list
// (com.amazonaws.global.cloudfront.origin-facing) or the VPC link's group, its listener forwards
// only requests with the secret header the origin adds, or a WAF web ACL blocks the others
// (CloudFront Developer Guide, "Restrict access to Application Load Balancers" and "Use the
// CloudFront managed prefix list"; "Add custom headers to origin requests"). Opening the new one
// wider would let anyone reach the service around the routing layer from PREPARE on.

/** The source fields of an ingress rule, as the L1 names them. */
const SOURCE_FIELDS = ['cidrIp', 'cidrIpv6', 'sourcePrefixListId', 'sourceSecurityGroupId', 'sourceSecurityGroupOwnerId', 'sourceSecurityGroupName'];

/** One ingress rule of the old load balancer that reaches its production port. */
interface OldRule {
  /** The source fields of the rule (resolved). */
  readonly source: Record<string, unknown>;
  readonly description?: unknown;
  /** The source, as a stable text (deduplication and the late-rule check). */
  readonly key: string;
  /** Path of the security group the rule belongs to. */
  readonly group: string;
}

/** What the old load balancer's security groups admit on a port. */
interface OldIngress {
  readonly rules: OldRule[];
  /** The groups whose rules cannot be read (not defined in this stack), as the template names them. */
  readonly unreadable: string[];
}

/** A source read from a template, as an `ec2.IPeer` (always an inline rule). */
class CopiedSource implements ec2.IPeer {
  public readonly canInlineRule = true;
  public readonly connections: ec2.Connections = new ec2.Connections({ peer: this });
  constructor(public readonly uniqueId: string, private readonly source: Record<string, unknown>) {}
  public toIngressRuleConfig(): any { return { ...this.source }; }
  public toEgressRuleConfig(): any { throw new Error('a copied ingress source is never an egress destination'); }
}

const text = (v: unknown) => JSON.stringify(v);

/** The `CfnSecurityGroup` of `stack` whose GroupId resolves to `ref`. */
function groupOf(stack: Stack, ref: unknown): ec2.CfnSecurityGroup | undefined {
  return stack.node.findAll().find((c): c is ec2.CfnSecurityGroup => c instanceof ec2.CfnSecurityGroup
    && Stack.of(c) === stack && text(stack.resolve(c.attrGroupId)) === text(ref));
}

/** The L2 construct a CloudFormation element belongs to (its parent when it is the default child). */
function ownerOf(el: IConstruct): IConstruct {
  const parent = el.node.scope;
  return parent && parent.node.defaultChild === el ? parent : el;
}

/** Whether a rule (protocol and ports resolved) lets TCP traffic to `port` through. */
function reaches(rule: { ipProtocol?: unknown; fromPort?: unknown; toPort?: unknown }, port: number): boolean {
  const protocol = String(rule.ipProtocol);
  if (protocol === '-1') return true;
  if (protocol !== 'tcp' && protocol !== '6') return false;
  return typeof rule.fromPort === 'number' && typeof rule.toPort === 'number' && rule.fromPort <= port && port <= rule.toPort;
}

/** The ingress rules of one security group of this stack (inline and separate) that reach `port`. */
function rulesOf(stack: Stack, group: ec2.CfnSecurityGroup, port: number): OldRule[] {
  const inline = (stack.resolve(group.securityGroupIngress) ?? []) as Array<Record<string, unknown>>;
  const separate = stack.node.findAll()
    .filter((c): c is ec2.CfnSecurityGroupIngress => c instanceof ec2.CfnSecurityGroupIngress && refersTo(c, c.groupId, stack, group.attrGroupId))
    .map((c) => stack.resolve({
      ipProtocol: c.ipProtocol,
      fromPort: c.fromPort,
      toPort: c.toPort,
      description: c.description,
      ...Object.fromEntries(SOURCE_FIELDS.map((f) => [f, (c as any)[f]])),
    }) as Record<string, unknown>);
  return [...inline, ...separate].filter((r) => reaches(r, port)).map((r) => {
    const source = Object.fromEntries(SOURCE_FIELDS.filter((f) => r[f] !== undefined).map((f) => [f, r[f]]));
    return { source, description: r.description, key: text(source), group: ownerOf(group).node.path };
  });
}

/** What the old load balancer's security groups admit on `port`, but for the groups themselves. */
function readOldIngress(oldCfnLb: elbv2.CfnLoadBalancer, port: number): OldIngress {
  const stack = Stack.of(oldCfnLb);
  const refs = stack.resolve(oldCfnLb.securityGroups);
  if (!Array.isArray(refs) || refs.length === 0) return { rules: [], unreadable: ['(none given: the VPC\'s default security group)'] };
  const own = refs.map(text);
  const rules: OldRule[] = [];
  const unreadable: string[] = [];
  for (const ref of refs) {
    const group = groupOf(stack, ref);
    if (!group) {
      unreadable.push(typeof ref === 'string' ? ref : text(ref));
      continue;
    }
    for (const rule of rulesOf(stack, group, port)) {
      // A reference to the old load balancer's own group admits nothing but that load balancer.
      if (rule.source.sourceSecurityGroupId !== undefined && own.includes(text(rule.source.sourceSecurityGroupId))) continue;
      if (!rules.some((r) => r.key === rule.key)) rules.push(rule);
    }
  }
  return { rules, unreadable };
}

/** Whether a rule admits every IPv4 or every IPv6 address. */
function admitsEveryone(source: Record<string, unknown>): boolean {
  return source.cidrIp === '0.0.0.0/0' || source.cidrIpv6 === '::/0';
}

/** A source for a message: the CIDR or prefix list, or the path of the security group. */
function describeSource(stack: Stack, source: Record<string, unknown>): string {
  const group = source.sourceSecurityGroupId !== undefined ? groupOf(stack, source.sourceSecurityGroupId) : undefined;
  if (group) return `security group ${ownerOf(group).node.path}`;
  return Object.values(source).map((v) => (typeof v === 'string' ? v : text(v))).join(' ');
}

/** What the migration needs to build the new load balancer's access. @internal */
export interface LoadBalancerAccessInput {
  /** The migration (scope and reporter). */
  readonly scope: Construct;
  readonly oldLoadBalancer: elbv2.IApplicationLoadBalancer;
  readonly oldCfnLoadBalancer: elbv2.CfnLoadBalancer;
  readonly oldListener: elbv2.ApplicationListener;
  readonly productionPort: number;
  /** `option.securityGroups`. */
  readonly securityGroups?: ec2.ISecurityGroup[];
  /** `option.conditions`. */
  readonly conditions?: elbv2.ListenerCondition[];
  /** Whether the routing layer closes the load balancer to direct clients (CloudFront, API Gateway). */
  readonly behindRoutingLayer: boolean;
}

/**
 * Checks, before the new load balancer is created, that its access can be built: the old
 * listener's header rules are matched by `option.conditions`, and the old ingress is readable or
 * `option.securityGroups` given (none of the old load balancer's own, none wider than the old).
 * @internal
 */
export function checkLoadBalancerAccess(input: LoadBalancerAccessInput): void {
  const { scope, securityGroups, conditions } = input;
  // The option's types are checked with the migration's props (migration-prop-types.ts); a
  // construct that is not a security group is named here.
  securityGroups?.forEach((g, i) => {
    if (typeof (g as Partial<ec2.ISecurityGroup>).securityGroupId !== 'string' || !(g as Partial<ec2.ISecurityGroup>).node) {
      throw new BlueGreenValidationError(scope, `option.securityGroups[${i}]`, 'must be an ec2.ISecurityGroup (new ec2.SecurityGroup(...) or ec2.SecurityGroup.fromSecurityGroupId(...))');
    }
  });
  if (securityGroups?.length === 0) {
    throw new BlueGreenValidationError(scope, 'option.securityGroups', 'must name at least one security group; omit it to copy the old load balancer\'s ingress');
  }
  if (conditions) validateConditions(scope, 'option.conditions', conditions, 'the new service\'s production rule');
  checkHeaderRules(input);
  const old = readOldIngress(input.oldCfnLoadBalancer, input.productionPort);
  if (!securityGroups) {
    if (old.unreadable.length > 0) {
      throw new BlueGreenValidationError(scope, 'option.securityGroups',
        `is required: the old load balancer's security group ${old.unreadable.join(', ')} is not defined in this stack, so the ingress ` +
        'the new load balancer must copy cannot be read at synth time. Pass the groups that admit the old one\'s clients on port ' +
        `${input.productionPort} and nobody else, e.g. securityGroups: [ec2.SecurityGroup.fromSecurityGroupId(this, 'LbGroup', '${old.unreadable[0]}')] ` +
        '(a group the old load balancer does not own, as CLEANUP deletes its own), or a new group with the same ingress');
    }
    return;
  }
  const stack = Stack.of(scope);
  for (const group of securityGroups) {
    if (group.node.path.startsWith(input.oldLoadBalancer.node.path + '/')) {
      throw new BlueGreenValidationError(scope, 'option.securityGroups',
        `${group.node.path} belongs to the old load balancer: CLEANUP deletes it with that load balancer; pass a group defined outside it`);
    }
    const cfn = group.node.defaultChild;
    if (!input.behindRoutingLayer || !(cfn instanceof ec2.CfnSecurityGroup) || old.unreadable.length > 0) continue;
    const wide = rulesOf(stack, cfn, input.productionPort).find((r) => admitsEveryone(r.source) && !old.rules.some((o) => o.key === r.key));
    if (wide) {
      throw new BlueGreenValidationError(scope, 'option.securityGroups',
        `${group.node.path} admits ${describeSource(stack, wide.source)} on port ${input.productionPort}, the old load balancer does not: behind ` +
        'CloudFront or API Gateway the new load balancer is never opened wider than the old one (clients would bypass the routing layer ' +
        'from PREPARE on); pass groups that admit only the routing layer, or omit securityGroups to copy the old ingress');
    }
  }
}

/**
 * The new load balancer's own security group admits, on the production port, what the old one's
 * admit there (a rule of any port range or protocol -1 that covers the port becomes a TCP rule on
 * that port). Rules added to the old groups after this are a synthesis error: they would not be
 * copied. Returns how many sources were copied and whether one is everyone (for the cdk-nag
 * suppression).
 * @internal
 */
export function admitOldSources(input: LoadBalancerAccessInput, loadBalancer: elbv2.ApplicationLoadBalancer): { count: number; everyone: boolean } {
  const old = readOldIngress(input.oldCfnLoadBalancer, input.productionPort);
  const port = ec2.Port.tcp(input.productionPort);
  for (const rule of old.rules) {
    const description = typeof rule.description === 'string' ? rule.description : `Copied from ${rule.group}`;
    loadBalancer.connections.allowFrom(new CopiedSource(`Copied${rule.key}`, rule.source), port, description);
  }
  const copied = new Set(old.rules.map((r) => r.key));
  const stack = Stack.of(input.scope);
  input.scope.node.addValidation({
    validate: () => {
      const late = readOldIngress(input.oldCfnLoadBalancer, input.productionPort).rules.filter((r) => !copied.has(r.key));
      return late.length === 0 ? [] : [`[${input.scope.node.path}] invalid option.securityGroups: ingress on port ${input.productionPort} ` +
        `from ${late.map((r) => describeSource(stack, r.source)).join(', ')} was added to the old load balancer's security groups after ` +
        'the migration was constructed, so the new load balancer does not admit it: add it before the migration, or pass securityGroups'];
    },
  });
  return { count: old.rules.length, everyone: old.rules.some((r) => admitsEveryone(r.source)) };
}

/**
 * Whether the new load balancer's own security groups already admit `sourceGroup` (resolved) on
 * `port`, so that a second, equal rule (which EC2 refuses) is not added.
 * @internal
 */
export function admitsGroup(loadBalancer: elbv2.ApplicationLoadBalancer, sourceGroup: unknown, port: number): boolean {
  const stack = Stack.of(loadBalancer);
  return loadBalancer.connections.securityGroups.some((g) => {
    const cfn = g.node.defaultChild;
    return cfn instanceof ec2.CfnSecurityGroup && Stack.of(cfn) === stack
      && rulesOf(stack, cfn, port).some((r) => text(r.source.sourceSecurityGroupId) === text(sourceGroup));
  });
}

/**
 * A rule of the old production listener with an `http-header` condition is how a load balancer
 * behind CloudFront or API Gateway often admits only the routing layer (a secret header its origin
 * or integration adds). The new listener must demand it too: `option.conditions` is then required.
 */
function checkHeaderRules(input: LoadBalancerAccessInput): void {
  if (input.conditions !== undefined) return;
  const stack = Stack.of(input.scope);
  const found: string[] = [];
  for (const rule of stack.node.findAll()) {
    if (!(rule instanceof elbv2.CfnListenerRule) || !refersTo(rule, rule.listenerArn, stack, input.oldListener.listenerArn)) continue;
    const conditions = (stack.resolve(rule.conditions) ?? []) as Array<{ field?: string; httpHeaderConfig?: { httpHeaderName?: unknown } }>;
    const names = conditions.filter((c) => c.field === 'http-header').map((c) => String(c.httpHeaderConfig?.httpHeaderName));
    if (names.length > 0) found.push(`${ownerOf(rule).node.path} (http-header ${names.join(', ')})`);
  }
  if (found.length === 0) return;
  const name = /http-header ([^,)]+)/.exec(found[0])![1];
  throw new BlueGreenValidationError(input.scope, 'option.conditions',
    `is required: the old production listener has rules that demand a header, ${found.join('; ')}; if the routing layer adds it ` +
    '(a CloudFront origin custom header, an API Gateway integration request header), the new load balancer must demand it as well, or ' +
    'anyone could reach the new service directly. The routing layer keeps sending it (CUTOVER only changes where it points). Pass ' +
    `conditions: [elbv2.ListenerCondition.httpHeader('${name}', [<the same value>])], plus the host or path conditions the new service's ` +
    'rule should have; conditions: [elbv2.ListenerCondition.pathPatterns([\'/*\'])] if the header is not a gate');
}

/**
 * The WAF web ACL of the old load balancer (an `AWS::WAFv2::WebACLAssociation` of this stack
 * whose ResourceArn is it) is associated with the new one as well (`WebAclAssociation`). An
 * Application Load Balancer takes one web ACL (AWS WAF Developer Guide, associating a web ACL with
 * a resource), so the first association found is the one. Returns the old associations, which
 * CLEANUP deletes with the old load balancer.
 * @internal
 */
export function copyWebAcl(scope: Construct, oldLoadBalancer: elbv2.IApplicationLoadBalancer,
  loadBalancer: elbv2.ApplicationLoadBalancer): IConstruct[] {
  const stack = Stack.of(scope);
  const old = stack.node.findAll().filter((c): c is wafv2.CfnWebACLAssociation => c instanceof wafv2.CfnWebACLAssociation
    && refersTo(c, c.resourceArn, stack, oldLoadBalancer.loadBalancerArn));
  if (old.length > 0) {
    new wafv2.CfnWebACLAssociation(scope, 'WebAclAssociation', { resourceArn: loadBalancer.loadBalancerArn, webAclArn: old[0].webAclArn });
  }
  return old.map(ownerOf);
}
