// The weights traffic really has right now, read from the rules ECS shifts: for each load balancer
// of the service, the production and test listener rule (ALB) or listener (NLB) named in its
// `advancedConfiguration` (DescribeServices), read with ELB DescribeRules / DescribeListeners; for
// each VPC Lattice configuration of the service's deployments, its production and test listener rule or listener, read with VPC
// Lattice GetRule / GetListener (the identifiers parsed from the ARN, as the live-weights reader
// does). The weights DescribeServiceDeployments reports are what ECS requested; these are the
// forward actions' weights as the load balancer holds them.
import { DescribeServicesCommand, Service } from '@aws-sdk/client-ecs';
import { Action, DescribeListenersCommand, DescribeRulesCommand } from '@aws-sdk/client-elastic-load-balancing-v2';
import { GetListenerCommand, GetRuleCommand, RuleAction } from '@aws-sdk/client-vpc-lattice';
import { Clients } from './clients';

/** Which traffic a rule carries. */
export type TrafficKind = 'production' | 'test';

/** What kind of resource holds the weights. */
export type RuleKind = 'elb-listener-rule' | 'elb-listener' | 'vpc-lattice-rule' | 'vpc-lattice-listener';

/** A target group in a rule's forward action, with its weight and its share of the rule's traffic. */
export interface RuleTargetGroup {
  readonly arn: string;
  /** The weight in the forward action; null when the API leaves it out and the default is not documented. */
  readonly weight: number | null;
  /** weight / sum of the rule's weights × 100, one decimal; null when a weight or the sum is unknown or 0. */
  readonly percent: number | null;
  /**
   * `primary`: the service's `targetGroupArn`; `alternate`: its `alternateTargetGroupArn`; `other`:
   * neither. ECS does not report which of the two is green in a given deployment.
   */
  readonly role: 'primary' | 'alternate' | 'other';
}

/** One production or test rule of the service and its current forward weights. */
export interface TrafficRule {
  readonly traffic: TrafficKind;
  readonly kind: RuleKind;
  readonly arn: string;
  /** The forward action's target groups; empty when the rule could not be read (see `error`). */
  readonly targetGroups: RuleTargetGroup[];
  /** Why the rule could not be read (not found, access denied, no forward action), else null. */
  readonly error: string | null;
}

/** The rules of a service, or why they could not be listed. */
export interface TrafficRules {
  readonly rules: TrafficRule[];
  /** Why DescribeServices failed, else null. */
  readonly error: string | null;
}

/** A rule to read: where it is and which target groups the service registers in it. */
export interface RuleRef {
  readonly traffic: TrafficKind;
  readonly kind: RuleKind;
  readonly arn: string;
  readonly primary?: string;
  readonly alternate?: string;
}

/** DescribeServices for one service: its rule references (none without advancedConfiguration). */
export async function ruleRefsOf(clients: Clients, cluster: string, service: string): Promise<RuleRef[]> {
  const res = await clients.ecs.send(new DescribeServicesCommand({ cluster, services: [service] }));
  const found = res?.services?.[0];
  if (!found) {
    const failure = res?.failures?.[0];
    throw new Error(`DescribeServices found no service ${service} in cluster ${cluster}${failure?.reason ? ` (${failure.reason})` : ''}`);
  }
  return refsOf(found);
}

/** The production and test rules named in a service's load balancers and VPC Lattice configurations. */
export function refsOf(service: Service): RuleRef[] {
  const refs: RuleRef[] = [];
  const add = (traffic: TrafficKind, arn: string | undefined, lattice: boolean, primary?: string, alternate?: string) => {
    if (!arn || refs.some((r) => r.arn === arn && r.traffic === traffic)) return;
    const kind: RuleKind = lattice
      ? (arn.includes('/rule/') ? 'vpc-lattice-rule' : 'vpc-lattice-listener')
      : (arn.includes(':listener-rule/') ? 'elb-listener-rule' : 'elb-listener');
    refs.push({ traffic, kind, arn, primary, alternate });
  };
  for (const lb of service.loadBalancers ?? []) {
    const a = lb.advancedConfiguration;
    add('production', a?.productionListenerRule, false, lb.targetGroupArn, a?.alternateTargetGroupArn);
    add('test', a?.testListenerRule, false, lb.targetGroupArn, a?.alternateTargetGroupArn);
  }
  // DescribeServices gives VPC Lattice configurations per deployment (Deployment.vpcLatticeConfigurations).
  const lattice = (service.deployments ?? []).flatMap((d) => d.vpcLatticeConfigurations ?? []);
  for (const l of lattice) {
    const a = l.advancedConfiguration;
    add('production', a?.productionListenerRule, true, l.targetGroupArn, a?.alternateTargetGroupArn);
    add('test', a?.testListenerRule, true, l.targetGroupArn, a?.alternateTargetGroupArn);
  }
  return refs;
}

/**
 * Reads the current weights of each rule: one DescribeRules call for every ALB rule, one
 * DescribeListeners call for every NLB listener, one GetRule / GetListener call per Lattice rule or
 * listener. A rule that cannot be read gets its `error`; the others are still shown.
 */
export async function readRules(clients: Clients, refs: readonly RuleRef[]): Promise<TrafficRule[]> {
  const elbActions = new Map<string, Action[]>();
  const elbErrors = new Map<string, string>();
  const ruleArns = unique(refs.filter((r) => r.kind === 'elb-listener-rule').map((r) => r.arn));
  const listenerArns = unique(refs.filter((r) => r.kind === 'elb-listener').map((r) => r.arn));
  if (ruleArns.length > 0) {
    try {
      const res = await clients.elbv2.send(new DescribeRulesCommand({ RuleArns: ruleArns }));
      for (const rule of res?.Rules ?? []) if (rule.RuleArn) elbActions.set(rule.RuleArn, rule.Actions ?? []);
    } catch (err) {
      for (const arn of ruleArns) elbErrors.set(arn, errorText(err));
    }
  }
  if (listenerArns.length > 0) {
    try {
      const res = await clients.elbv2.send(new DescribeListenersCommand({ ListenerArns: listenerArns }));
      for (const l of res?.Listeners ?? []) if (l.ListenerArn) elbActions.set(l.ListenerArn, l.DefaultActions ?? []);
    } catch (err) {
      for (const arn of listenerArns) elbErrors.set(arn, errorText(err));
    }
  }
  const out: TrafficRule[] = [];
  for (const ref of refs) {
    let groups: Array<{ arn: string; weight: number | undefined }> | undefined;
    let error: string | undefined;
    if (ref.kind === 'elb-listener-rule' || ref.kind === 'elb-listener') {
      error = elbErrors.get(ref.arn);
      const actions = elbActions.get(ref.arn);
      if (!error && !actions) error = 'not found';
      if (actions) groups = elbForward(actions);
    } else {
      try {
        groups = latticeForward(await readLattice(clients, ref));
      } catch (err) {
        error = errorText(err);
      }
    }
    if (!error && !groups) error = 'no forward action';
    out.push({ traffic: ref.traffic, kind: ref.kind, arn: ref.arn, targetGroups: groups ? shares(groups, ref) : [], error: error ?? null });
  }
  return out;
}

/** Rules of a service, never throwing: a DescribeServices failure becomes `error`. */
export async function trafficRulesOf(clients: Clients, refs: RuleRef[] | Error): Promise<TrafficRules> {
  if (refs instanceof Error) return { rules: [], error: refs.message };
  return { rules: await readRules(clients, refs), error: null };
}

function elbForward(actions: Action[]): Array<{ arn: string; weight: number | undefined }> | undefined {
  const forward = actions.find((a) => a.Type === 'forward');
  if (!forward) return undefined;
  const tuples = forward.ForwardConfig?.TargetGroups;
  if (tuples?.length) return tuples.map((t) => ({ arn: t.TargetGroupArn ?? '', weight: t.Weight }));
  return forward.TargetGroupArn ? [{ arn: forward.TargetGroupArn, weight: undefined }] : undefined;
}

async function readLattice(clients: Clients, ref: RuleRef): Promise<RuleAction | undefined> {
  // arn:aws:vpc-lattice:<region>:<account>:service/<svc>/listener/<listener>[/rule/<rule>]
  const m = /:service\/([^/]+)\/listener\/([^/]+)(?:\/rule\/([^/]+))?$/.exec(ref.arn);
  if (!m) throw new Error('not a VPC Lattice listener or rule ARN');
  const [, serviceIdentifier, listenerIdentifier, ruleIdentifier] = m;
  if (ruleIdentifier) {
    const res = await clients.lattice.send(new GetRuleCommand({ serviceIdentifier, listenerIdentifier, ruleIdentifier }));
    return res?.action;
  }
  const res = await clients.lattice.send(new GetListenerCommand({ serviceIdentifier, listenerIdentifier }));
  return res?.defaultAction;
}

function latticeForward(action: RuleAction | undefined): Array<{ arn: string; weight: number | undefined }> | undefined {
  const groups = action?.forward?.targetGroups;
  if (!groups?.length) return undefined;
  // VPC Lattice documents a default weight of 100 for a single target group only.
  return groups.map((g) => ({ arn: g.targetGroupIdentifier ?? '', weight: g.weight ?? (groups.length === 1 ? 100 : undefined) }));
}

function shares(groups: Array<{ arn: string; weight: number | undefined }>, ref: RuleRef): RuleTargetGroup[] {
  // A forward to one target group sends it everything, whatever its weight.
  const weights = groups.length === 1 ? [groups[0].weight ?? 1] : groups.map((g) => g.weight);
  const known = weights.every((w): w is number => w !== undefined);
  const sum = known ? (weights as number[]).reduce((a, b) => a + b, 0) : 0;
  return groups.map((g, i) => ({
    arn: g.arn,
    weight: g.weight ?? null,
    percent: known && sum > 0 ? Math.round((weights[i]! / sum) * 1000) / 10 : null,
    role: sameGroup(g.arn, ref.primary) ? 'primary' : sameGroup(g.arn, ref.alternate) ? 'alternate' : 'other',
  }));
}

/** Same target group, given as ARNs or (Lattice) as an ID and an ARN. */
function sameGroup(a: string, b: string | undefined): boolean {
  if (!b) return false;
  if (a === b) return true;
  const idOf = (s: string) => (s.startsWith('tg-') || s.includes(':vpc-lattice:') ? s.split('/').pop() : s);
  return idOf(a) === idOf(b);
}

function unique(list: string[]): string[] {
  return [...new Set(list)];
}

function errorText(err: unknown): string {
  const e = err as { name?: string; message?: string };
  return `${e?.name && e.name !== 'Error' ? `${e.name}: ` : ''}${e?.message ?? String(err)}`;
}
