// Finds, for the live-weights reader, the ALB rule or NLB listener an entry stands for and reads
// its forward weights. An entry may be looked for in several places: where the template being
// deployed puts it and where the previous one did (on a rollback, CloudFormation swaps the two).
import {
  Action, DescribeListenersCommand, DescribeRulesCommand, ElasticLoadBalancingV2Client, Listener, Rule,
} from '@aws-sdk/client-elastic-load-balancing-v2';
import { absentOn, once, paged } from '../../private/paging';

/** One entry of the reader's `Rules` property (see live-weights.ts). */
export interface RuleSpec {
  /** Attribute key: the weights are returned as `<Key>B` and `<Key>G` (entries of older templates have none: `W<index>`). */
  Key?: string;
  Id: string;
  Kind: 'rule' | 'listener' | 'lattice';
  ListenerArn?: string;
  /** The VPC Lattice service and listener of the rule (kind 'lattice'). */
  ServiceIdentifier?: string;
  ListenerIdentifier?: string;
  Priority?: string | number;
  LoadBalancerArn?: string;
  Port?: string | number;
  Blue: string;
  Green: string;
  Hash?: string;
  /** Cluster of the ECS services behind the entry, checked for deployments under way. */
  Cluster?: string;
  /**
   * 'weighted' on a Lattice entry whose rule forwards to both target groups with the weights
   * `<Key>B` / `<Key>G`. Lattice entries of templates before it have none: their rule forwards to
   * one target group, `<Key>T` (the template a rollback may restore).
   */
  Forward?: 'weighted';
  /**
   * The rule's (listener's) properties other than its forward action, as CloudFormation resolves
   * them: only there so that a deploy-time value changing the rule changes the reader too. Not read.
   */
  RuleProperties?: unknown;
}

/** Weights read for an entry, and where from. */
export interface Weights {
  readonly blue: number;
  readonly green: number;
  readonly source: string;
}

/** The weights of a forward that does not exist yet. */
export const INITIAL: Weights = { blue: 1, green: 0, source: 'initial' };

/** Describe calls of one invocation, each listener's rules and each load balancer's listeners read once. */
export class LoadBalancerReader {
  private readonly rules = new Map<string, Promise<Rule[] | undefined>>();
  private readonly listeners = new Map<string, Promise<Listener[] | undefined>>();

  constructor(private readonly elbv2: ElasticLoadBalancingV2Client) {}

  /** The listener's rules; undefined when the listener does not exist. */
  rulesOf(listenerArn: string): Promise<Rule[] | undefined> {
    return once(this.rules, listenerArn, () => absentOn('ListenerNotFoundException', paged(async (Marker) => {
      const out = await this.elbv2.send(new DescribeRulesCommand({ ListenerArn: listenerArn, Marker }));
      return { items: out.Rules, next: out.NextMarker };
    })));
  }

  /** The load balancer's listeners; undefined when the load balancer does not exist. */
  listenersOf(loadBalancerArn: string): Promise<Listener[] | undefined> {
    return once(this.listeners, loadBalancerArn, () => absentOn('LoadBalancerNotFoundException', paged(async (Marker) => {
      const out = await this.elbv2.send(new DescribeListenersCommand({ LoadBalancerArn: loadBalancerArn, Marker }));
      return { items: out.Listeners, next: out.NextMarker };
    })));
  }
}

/** What a search found: the forward's actions and its ARN, or nothing, with the places searched. */
export interface Found {
  readonly actions?: Action[];
  readonly arn?: string;
  readonly searched: string[];
}

/**
 * Looks for the rule of `spec` in each of `places` (entries naming a listener and priority), in
 * order: first at each place's priority (a rule there that forwards to one of its target groups),
 * then, per listener, the one rule forwarding to both target groups.
 */
export async function findRule(reader: LoadBalancerReader, spec: RuleSpec, places: RuleSpec[]): Promise<Found> {
  const searched = places.map((p) => `${p.ListenerArn} (priority ${p.Priority})`);
  const listed: Array<{ place: RuleSpec; rules: Rule[] }> = [];
  for (const place of places) {
    const rules = place.ListenerArn ? await reader.rulesOf(place.ListenerArn) : undefined;
    if (rules) listed.push({ place, rules });
  }
  for (const { place, rules } of listed) {
    const rule = rules.find((r) => String(r.Priority) === String(place.Priority) && sharesTargetGroups(r.Actions, place));
    if (rule) return { actions: rule.Actions, arn: rule.RuleArn, searched };
  }
  for (const { rules } of listed) {
    const both = rules.filter((r) => forwardsToBoth(r.Actions, spec));
    if (both.length === 1) return { actions: both[0].Actions, arn: both[0].RuleArn, searched };
  }
  return { searched };
}

/**
 * Looks for the NLB listener of `spec` in each of `places` (load balancer and port), like findRule;
 * last, a listener at one of the ports whatever it forwards to.
 */
export async function findListener(reader: LoadBalancerReader, spec: RuleSpec, places: RuleSpec[]): Promise<Found> {
  const searched = places.map((p) => `port ${p.Port} of ${p.LoadBalancerArn}`);
  const listed: Array<{ place: RuleSpec; listeners: Listener[] }> = [];
  for (const place of places) {
    const listeners = place.LoadBalancerArn ? await reader.listenersOf(place.LoadBalancerArn) : undefined;
    if (listeners) listed.push({ place, listeners });
  }
  const atPort = (place: RuleSpec, l: Listener) => String(l.Port) === String(place.Port);
  for (const { place, listeners } of listed) {
    const listener = listeners.find((l) => atPort(place, l) && sharesTargetGroups(l.DefaultActions, place));
    if (listener) return { actions: listener.DefaultActions, arn: listener.ListenerArn, searched };
  }
  for (const { listeners } of listed) {
    const both = listeners.filter((l) => forwardsToBoth(l.DefaultActions, spec));
    if (both.length === 1) return { actions: both[0].DefaultActions, arn: both[0].ListenerArn, searched };
  }
  // A listener at the port that forwards elsewhere (e.g. one that gets its weighted action in this
  // deploy): its weights for our target groups are read as absent (1/0).
  for (const { place, listeners } of listed) {
    const listener = listeners.find((l) => atPort(place, l));
    if (listener) return { actions: listener.DefaultActions, arn: listener.ListenerArn, searched };
  }
  return { searched };
}

/** The weights of `spec`'s blue and green target groups in a forward action. */
export function weightsOf(actions: Action[] | undefined, spec: RuleSpec, source: string): Weights {
  const forward = (actions ?? []).find((a) => a.Type === 'forward');
  const groups = forward?.ForwardConfig?.TargetGroups
    ?? (forward?.TargetGroupArn ? [{ TargetGroupArn: forward.TargetGroupArn, Weight: 1 }] : []);
  const blue = groups.find((g) => g.TargetGroupArn === spec.Blue);
  const green = groups.find((g) => g.TargetGroupArn === spec.Green);
  if (!blue && !green) {
    console.log(JSON.stringify({ message: 'live action forwards to other target groups; starting at 1/0', id: spec.Id, source }));
    return INITIAL;
  }
  return { blue: blue?.Weight ?? 0, green: green?.Weight ?? 0, source };
}

function targetGroupsOf(actions: Action[] | undefined): Set<string> {
  const arns = new Set<string>();
  for (const a of actions ?? []) {
    if (a.TargetGroupArn) arns.add(a.TargetGroupArn);
    for (const g of a.ForwardConfig?.TargetGroups ?? []) if (g.TargetGroupArn) arns.add(g.TargetGroupArn);
  }
  return arns;
}

function forwardsToBoth(actions: Action[] | undefined, spec: RuleSpec): boolean {
  const groups = targetGroupsOf(actions);
  return groups.has(spec.Blue) && groups.has(spec.Green);
}

function sharesTargetGroups(actions: Action[] | undefined, spec: RuleSpec): boolean {
  const groups = targetGroupsOf(actions);
  return groups.has(spec.Blue) || groups.has(spec.Green);
}

