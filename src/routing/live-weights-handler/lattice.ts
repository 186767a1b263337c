// Finds, for the live-weights reader, the VPC Lattice listener rule an entry stands for and reads
// its forward. The reader cannot reference the rule (the rule's action references the reader), so
// it finds the rule through its listener: ListRules (serviceIdentifier, listenerIdentifier: the
// rules' summaries, with ID and priority but no action), then GetRule (serviceIdentifier,
// listenerIdentifier, ruleIdentifier: action.forward.targetGroups[{targetGroupIdentifier, weight}])
// for the rules that may be the entry's (VPC Lattice API Reference).
import type { GetRuleResponse, RuleSummary, VPCLatticeClient } from '@aws-sdk/client-vpc-lattice';
import type { RuleSpec, Weights } from './lookup';
import { absentOn, call, once, paged } from '../../private/paging';
import { handlerClientConfig } from '../../private/retry';

// Loaded when a Lattice entry is read: stacks without one do not pay for the client.
type Sdk = typeof import('@aws-sdk/client-vpc-lattice');

/** A Lattice rule found for an entry: its forward and its ARN, or nothing, with the places searched. */
export interface LatticeFound {
  readonly rule?: GetRuleResponse;
  readonly searched: string[];
}

/** ListRules and GetRule calls of one invocation, each listener's rules and each rule read once. */
export class LatticeReader {
  private sdk?: Sdk;
  private client?: VPCLatticeClient;
  private readonly lists = new Map<string, Promise<RuleSummary[] | undefined>>();
  private readonly rules = new Map<string, Promise<GetRuleResponse | undefined>>();

  /** The listener's rules; undefined when the service or listener does not exist. */
  rulesOf(serviceIdentifier: string, listenerIdentifier: string): Promise<RuleSummary[] | undefined> {
    return once(this.lists, `${serviceIdentifier}/${listenerIdentifier}`, () => {
      const { sdk, client } = this.connect();
      return absentOn('ResourceNotFoundException', paged(async (nextToken) => {
        const out = await client.send(new sdk.ListRulesCommand({ serviceIdentifier, listenerIdentifier, nextToken }));
        return { items: out.items, next: out.nextToken };
      }));
    });
  }

  /** One rule with its action; undefined when it does not exist. */
  rule(serviceIdentifier: string, listenerIdentifier: string, ruleIdentifier: string): Promise<GetRuleResponse | undefined> {
    return once(this.rules, `${serviceIdentifier}/${listenerIdentifier}/${ruleIdentifier}`, () => {
      const { sdk, client } = this.connect();
      return absentOn('ResourceNotFoundException', call(() => client.send(new sdk.GetRuleCommand({ serviceIdentifier, listenerIdentifier, ruleIdentifier }))));
    });
  }

  private connect(): { sdk: Sdk; client: VPCLatticeClient } {
    if (!this.sdk || !this.client) {
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      this.sdk = require('@aws-sdk/client-vpc-lattice') as Sdk;
      // Retries are done by withRetry (logged, and testable with mocked clients).
      this.client = new this.sdk.VPCLatticeClient(handlerClientConfig());
    }
    return { sdk: this.sdk, client: this.client };
  }
}

/**
 * Looks for the Lattice rule of `spec` in each of `places` (service, listener, priority), in order:
 * first the rule at each place's priority, if it forwards to one of the entry's target groups; then,
 * per listener, the one rule that forwards to the entry's target groups only.
 */
export async function findLatticeRule(reader: LatticeReader, spec: RuleSpec, places: RuleSpec[]): Promise<LatticeFound> {
  const searched = places.map((p) => `listener ${p.ListenerIdentifier} of VPC Lattice service ${p.ServiceIdentifier} (priority ${p.Priority})`);
  const listed: Array<{ place: RuleSpec; rules: RuleSummary[] }> = [];
  for (const place of places) {
    if (!place.ServiceIdentifier || !place.ListenerIdentifier) continue;
    const rules = await reader.rulesOf(place.ServiceIdentifier, place.ListenerIdentifier);
    if (rules) listed.push({ place, rules });
  }
  const read = (place: RuleSpec, summary: RuleSummary) =>
    reader.rule(place.ServiceIdentifier!, place.ListenerIdentifier!, summary.id ?? summary.arn ?? '');
  for (const { place, rules } of listed) {
    const atPriority = rules.find((r) => !r.isDefault && String(r.priority) === String(place.Priority));
    if (!atPriority) continue;
    const rule = await read(place, atPriority);
    if (rule && groupsOf(rule).some((g) => g === id(spec.Blue) || g === id(spec.Green))) return { rule, searched };
  }
  for (const { place, rules } of listed) {
    const ours: GetRuleResponse[] = [];
    for (const summary of rules.filter((r) => !r.isDefault)) {
      const rule = await read(place, summary);
      const groups = rule ? groupsOf(rule) : [];
      if (groups.length > 0 && groups.every((g) => g === id(spec.Blue) || g === id(spec.Green))) ours.push(rule!);
    }
    if (ours.length === 1) return { rule: ours[0], searched };
  }
  return { searched };
}

/** The weights of `spec`'s blue and green target groups in a Lattice rule's forward. */
export function latticeWeightsOf(rule: GetRuleResponse, spec: RuleSpec, source: string): Weights | undefined {
  const groups = rule.action?.forward?.targetGroups ?? [];
  const blue = groups.find((g) => id(g.targetGroupIdentifier) === id(spec.Blue));
  const green = groups.find((g) => id(g.targetGroupIdentifier) === id(spec.Green));
  if (!blue && !green) return undefined;
  // A forward's weight defaults to 100 when omitted (a single target group gets all traffic).
  const weight = (g: { weight?: number } | undefined) => (g === undefined ? 0 : g.weight ?? 100);
  return { blue: weight(blue), green: weight(green), source };
}

/** A target group's ID (`tg-...`) from its ID or ARN (`arn:...:targetgroup/tg-...`). */
export function id(identifier: string | undefined): string {
  return (identifier ?? '').split('/').pop() ?? '';
}

function groupsOf(rule: GetRuleResponse): string[] {
  return (rule.action?.forward?.targetGroups ?? []).map((g) => id(g.targetGroupIdentifier));
}

