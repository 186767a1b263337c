// Custom resource handler: reads the forward weights that are live on ALB listener rules and NLB
// listeners, so that a stack update writes back what ECS has set instead of the coded 1/0.
//
// Properties: { Rules: [{ Id, Kind: 'rule' | 'listener', ListenerArn? + Priority? (rules),
//   LoadBalancerArn? + Port? (listeners, which cannot reference themselves), Blue, Green, Hash }] }
// Data: { W<i>B, W<i>G } for the i-th entry: the weights of the blue and green target groups.
//
// Where the rule is found: on Update, where it was before the update (OldResourceProperties:
// listener and priority), falling back to the rule of that listener that forwards to both target
// groups. A rule that existed before and is gone fails the update (never guess production weights).
// A rule that is new (Create, or new in this Update) starts at blue 1 / green 0.
import {
  Action, DescribeListenersCommand, DescribeRulesCommand, ElasticLoadBalancingV2Client, Listener, Rule,
} from '@aws-sdk/client-elastic-load-balancing-v2';
import { withRetry } from '../private/retry';

export interface RuleSpec {
  Id: string;
  Kind: 'rule' | 'listener';
  ListenerArn?: string;
  Priority?: string | number;
  LoadBalancerArn?: string;
  Port?: string | number;
  Blue: string;
  Green: string;
  Hash?: string;
}

export interface LiveWeightsEvent {
  RequestType: 'Create' | 'Update' | 'Delete';
  ResourceProperties: { Rules?: RuleSpec[] };
  OldResourceProperties?: { Rules?: RuleSpec[] };
  PhysicalResourceId?: string;
}

interface Weights { blue: number; green: number; source: string }

const PHYSICAL_ID = 'ecs-blue-green-live-weights';
// Retries are done by withRetry (logged, and testable with mocked clients).
const elbv2 = new ElasticLoadBalancingV2Client({ maxAttempts: 1 });

export async function handler(event: LiveWeightsEvent): Promise<{ PhysicalResourceId: string; Data?: Record<string, number> }> {
  if (event.RequestType === 'Delete') return { PhysicalResourceId: event.PhysicalResourceId ?? PHYSICAL_ID };
  const specs = event.ResourceProperties?.Rules ?? [];
  const previous = new Map((event.RequestType === 'Update' ? event.OldResourceProperties?.Rules ?? [] : []).map((r) => [r.Id, r]));
  const data: Record<string, number> = {};
  const rulesByListener = new Map<string, Promise<Rule[]>>();
  for (const [i, spec] of specs.entries()) {
    const old = previous.get(spec.Id);
    const weights = spec.Kind === 'listener'
      ? await listenerWeights(spec, old)
      : await ruleWeights(spec, old, rulesByListener);
    data[`W${i}B`] = weights.blue;
    data[`W${i}G`] = weights.green;
    console.log(JSON.stringify({ message: 'weights', id: spec.Id, kind: spec.Kind, blue: weights.blue, green: weights.green, source: weights.source }));
  }
  return { PhysicalResourceId: PHYSICAL_ID, Data: data };
}

const INITIAL: Weights = { blue: 1, green: 0, source: 'initial' };

async function ruleWeights(spec: RuleSpec, old: RuleSpec | undefined, cache: Map<string, Promise<Rule[]>>): Promise<Weights> {
  const where = old ?? spec;
  let rules: Rule[];
  try {
    rules = await cached(cache, where.ListenerArn ?? '', () => describeRules(where.ListenerArn ?? ''));
  } catch (err) {
    if ((err as Error)?.name === 'ListenerNotFoundException' && !old) return INITIAL;
    throw err;
  }
  const atPriority = rules.find((r) => String(r.Priority) === String(where.Priority));
  const forwardingToBoth = rules.filter((r) => targetGroupsOf(r.Actions).has(spec.Blue) && targetGroupsOf(r.Actions).has(spec.Green));
  const rule = atPriority && sharesTargetGroups(atPriority, where) ? atPriority : forwardingToBoth.length === 1 ? forwardingToBoth[0] : undefined;
  if (!rule) {
    if (!old) return INITIAL;
    throw new Error(`listener rule ${spec.Id} was not found on ${where.ListenerArn} (priority ${where.Priority}, forwarding to ${where.Blue} and ${where.Green}); ` +
      'refusing to guess production weights. Restore the rule or set preserveLiveWeights: false for one deployment.');
  }
  return weightsOf(rule.Actions, spec, `rule ${rule.RuleArn}`);
}

async function listenerWeights(spec: RuleSpec, old: RuleSpec | undefined): Promise<Weights> {
  const where = old ?? spec;
  let listeners: Listener[] = [];
  try {
    let marker: string | undefined;
    do {
      const out = await withRetry(() => elbv2.send(new DescribeListenersCommand({ LoadBalancerArn: where.LoadBalancerArn, Marker: marker })),
        5, 200, logRetry);
      listeners.push(...(out.Listeners ?? []));
      marker = out.NextMarker;
    } while (marker);
  } catch (err) {
    if ((err as Error)?.name !== 'LoadBalancerNotFoundException' || old) throw err;
    listeners = [];
  }
  const atPort = listeners.find((l) => String(l.Port) === String(where.Port));
  const forwardingToBoth = listeners.filter((l) => {
    const groups = targetGroupsOf(l.DefaultActions);
    return groups.has(spec.Blue) && groups.has(spec.Green);
  });
  const listener = atPort ?? (forwardingToBoth.length === 1 ? forwardingToBoth[0] : undefined);
  if (!listener) {
    if (!old) return INITIAL;
    throw new Error(`listener ${spec.Id} (port ${where.Port} of ${where.LoadBalancerArn}) was not found; refusing to guess production weights. ` +
      'Restore the listener or set preserveLiveWeights: false for one deployment.');
  }
  return weightsOf(listener.DefaultActions, spec, `listener ${listener.ListenerArn}`);
}

function weightsOf(actions: Action[] | undefined, spec: RuleSpec, source: string): Weights {
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

function sharesTargetGroups(rule: Rule, spec: RuleSpec): boolean {
  const groups = targetGroupsOf(rule.Actions);
  return groups.has(spec.Blue) || groups.has(spec.Green);
}

async function describeRules(listenerArn: string): Promise<Rule[]> {
  const rules: Rule[] = [];
  let marker: string | undefined;
  do {
    const out = await withRetry(() => elbv2.send(new DescribeRulesCommand({ ListenerArn: listenerArn, Marker: marker })), 5, 200, logRetry);
    rules.push(...(out.Rules ?? []));
    marker = out.NextMarker;
  } while (marker);
  return rules;
}

function cached<T>(cache: Map<string, Promise<T>>, key: string, make: () => Promise<T>): Promise<T> {
  let value = cache.get(key);
  if (!value) {
    value = make();
    cache.set(key, value);
  }
  return value;
}

function logRetry(attempt: number, delayMs: number): void {
  console.log(JSON.stringify({ message: 'throttled, retrying', attempt, delayMs }));
}
