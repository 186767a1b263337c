import { Annotations, Stack, Token } from 'aws-cdk-lib';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import { Construct, IConstruct } from 'constructs';
import { BlueGreenValidationError } from '../errors';
import { refersTo } from '../private/same-ref';

/**
 * What a new listener must carry to take an old listener's port without changing what clients
 * see: protocol, every certificate (the listener's default and the SNI ones of
 * `ListenerCertificate` resources), TLS policy, mutual TLS and listener attributes.
 * @internal
 */
export interface ListenerSettings {
  readonly protocol: elbv2.ApplicationProtocol;
  readonly certificates?: elbv2.IListenerCertificate[];
  /** Applied to the new `CfnListener` after it is created. */
  apply(listener: elbv2.ApplicationListener): void;
}

/** The L2 construct a CloudFormation element is the default child of, or the element itself. */
function ownerOf(el: IConstruct): IConstruct {
  const parent = el.node.scope;
  return parent && parent.node.defaultChild === el ? parent : el;
}

/**
 * What belongs to an old listener without being its child: its `ListenerCertificate` resources
 * and the rules given (the old path's own rules), so that CLEANUP deletes them with it.
 * @internal
 */
export function attachedTo(listener: elbv2.ApplicationListener, ownRules: IConstruct[]): IConstruct[] {
  const inside = (c: IConstruct) => c.node.path.startsWith(listener.node.path + '/');
  return [...extraCertificates(listener).map(ownerOf), ...ownRules].filter((c) => !inside(c));
}

/** The `ListenerCertificate` resources of the app attached to `listener`. */
function extraCertificates(listener: elbv2.ApplicationListener): elbv2.CfnListenerCertificate[] {
  const stack = Stack.of(listener);
  return listener.node.root.node.findAll()
    .filter((c): c is elbv2.CfnListenerCertificate => c instanceof elbv2.CfnListenerCertificate)
    .filter((c) => refersTo(c, c.listenerArn, stack, listener.listenerArn));
}

/**
 * Reads the settings of an old listener defined in this app, to give them to its replacement.
 * @internal
 */
export function listenerSettings(listener: elbv2.ApplicationListener): ListenerSettings {
  const cfn = listener.node.defaultChild as elbv2.CfnListener;
  const stack = Stack.of(listener);
  const protocol = stack.resolve(cfn.protocol) === 'HTTPS' ? elbv2.ApplicationProtocol.HTTPS : elbv2.ApplicationProtocol.HTTP;
  const arns: unknown[] = [];
  const push = (list: unknown) => {
    for (const c of (stack.resolve(list) ?? []) as Array<{ certificateArn?: unknown; CertificateArn?: unknown }>) {
      const arn = c.certificateArn ?? c.CertificateArn;
      if (arn !== undefined && !arns.some((a) => JSON.stringify(a) === JSON.stringify(arn))) arns.push(arn);
    }
  };
  push(cfn.certificates);
  for (const extra of extraCertificates(listener)) push(extra.certificates);
  const certificates = arns.map((arn) => elbv2.ListenerCertificate.fromArn(typeof arn === 'string' ? arn : Token.asString(arn)));
  const sslPolicy = stack.resolve(cfn.sslPolicy);
  const mutualAuthentication = stack.resolve(cfn.mutualAuthentication);
  const attributes = stack.resolve(cfn.listenerAttributes);
  return {
    protocol,
    certificates: certificates.length > 0 ? certificates : undefined,
    apply(target) {
      const t = target.node.defaultChild as elbv2.CfnListener;
      if (sslPolicy !== undefined) t.sslPolicy = sslPolicy;
      if (mutualAuthentication !== undefined) t.mutualAuthentication = mutualAuthentication;
      if (Array.isArray(attributes) && attributes.length > 0) t.listenerAttributes = attributes;
    },
  };
}

/** Target group references of a rule's actions, or undefined when an action does anything but forward. */
function forwardedTargetGroups(stack: Stack, rule: elbv2.CfnListenerRule): unknown[] | undefined {
  const actions = (stack.resolve(rule.actions) ?? []) as any[];
  const groups: unknown[] = [];
  for (const a of actions) {
    const type = a.type ?? a.Type;
    if (type !== 'forward') return undefined;
    const single = a.targetGroupArn ?? a.TargetGroupArn;
    if (single !== undefined) groups.push(single);
    const config = a.forwardConfig ?? a.ForwardConfig;
    for (const tg of config?.targetGroups ?? config?.TargetGroups ?? []) groups.push(tg.targetGroupArn ?? tg.TargetGroupArn);
  }
  return groups;
}

/**
 * Option 2 moves the production and test ports from the old listeners to new ones, which hold
 * only the new service's rules: rules of other applications on an old listener would stop
 * answering (404) at CUTOVER, and CLEANUP would delete them. Such rules are refused, naming them.
 * Rules that forward only to the deployment group's target groups belong to the path being
 * migrated: the new service's rule takes their traffic (a warning says so).
 * @internal
 */
export function checkForeignRules(reporter: Construct, prop: string, listener: elbv2.ApplicationListener, ownTargetGroups: string[]): IConstruct[] {
  const stack = Stack.of(listener);
  const own = ownTargetGroups.map((arn) => JSON.stringify(stack.resolve(arn)));
  const rules = listener.node.root.node.findAll()
    .filter((c): c is elbv2.CfnListenerRule => c instanceof elbv2.CfnListenerRule)
    .filter((r) => refersTo(r, r.listenerArn, stack, listener.listenerArn));
  const describe = (r: IConstruct) => `${ownerOf(r).node.path} (priority ${stack.resolve((r as elbv2.CfnListenerRule).priority)})`;
  const foreign: string[] = [];
  const ours: elbv2.CfnListenerRule[] = [];
  for (const rule of rules) {
    const groups = forwardedTargetGroups(stack, rule);
    const onlyOurs = groups !== undefined && groups.length > 0 && groups.every((g) => own.includes(JSON.stringify(g)));
    if (onlyOurs) ours.push(rule); else foreign.push(describe(rule));
  }
  if (foreign.length > 0) {
    throw new BlueGreenValidationError(reporter, prop,
      `${listener.node.path} carries listener rules the migration does not own: ${foreign.join(', ')}. Option 2 gives the listener's ` +
      'port to a new listener that holds only the new service\'s rule, so their requests would get 404 from CUTOVER on (and CLEANUP ' +
      'would delete them). Move those rules to another listener first, or migrate with MigrationOption.inPlace() (the listener stays) ' +
      'or MigrationOption.newServiceNewLoadBalancer()');
  }
  if (ours.length > 0) {
    Annotations.of(reporter).addWarningV2('cdk-ecs-blue-green:migration-old-path-rules',
      `${ours.map(describe).join(', ')} on ${listener.node.path} forward to the deployment group's target groups: from CUTOVER the new listener sends ` +
      'all of its traffic to the new service, without these rules\' conditions; CLEANUP deletes them with the old listener');
  }
  return ours.map(ownerOf);
}
