// Custom resource handler: reads the forward weights that are live on ALB listener rules, NLB
// listeners and VPC Lattice listener rules, so that a stack update writes back what ECS has set
// instead of the coded 1/0.
//
// Properties: { Rules: [{ Key, Id, Kind: 'rule' | 'listener' | 'lattice', ListenerArn? + Priority? (rules),
//   LoadBalancerArn? + Port? (listeners, which cannot reference themselves), ServiceIdentifier? +
//   ListenerIdentifier? + Priority? + Forward? (Lattice rules), Blue, Green, Hash, Cluster?, RuleProperties? }] }
// Data: { <Key>B, <Key>G } per entry: the weights of its blue and green target groups, whatever
// they are (40/60 mid-shift is written back as 40/60). Entries of templates from before keys
// existed have none: W<index>B / W<index>G. A VPC Lattice rule forwards to both target groups like
// an ALB rule (weights 0-999, at most two target groups: VPC Lattice User Guide, "Listener rules for
// your VPC Lattice service"; VPC Lattice API Reference, ForwardAction). Lattice entries of templates
// from before that (no Forward: 'weighted') get <Key>T instead, the ID of the one target group their
// rule forwards to: a rollback of the upgrade restores such rules (see legacyTarget).
// (The weights read are logged.)
//
// Where an entry is looked for: where the template being deployed puts it and where the previous
// template put it (OldResourceProperties), each at its priority/port, then by the rule or listener
// forwarding to both target groups. On an update the previous place comes first; on a rollback
// (CloudFormation sends the old template's properties as ResourceProperties) the restored one does.
// - Create, or an entry new in this update: a forward not found starts at blue 1 / green 0.
// - Update: an entry that existed before and is found nowhere fails the update (never guess the
//   weights production traffic needs); the message says what to restore.
// - Rollback: never fails for a missing forward: the rollback only writes rules its update wrote,
//   and those exist; it fails only when AWS cannot be read, saying how to continue the rollback.
//   Before reading, it waits (bounded) while an ECS deployment of the services behind the entries
//   is moving traffic, e.g. ECS rolling back the same failed update (see rollback-wait.ts).
// - Update (not rollback, not create, not delete): before reporting weights, the services behind
//   the entries (by cluster and target groups) are checked for ECS deployments under way; one
//   fails the update, as the weights read now would be stale when CloudFormation writes the rules.
import { ElasticLoadBalancingV2Client } from '@aws-sdk/client-elastic-load-balancing-v2';
import { InFlightDeployment, TargetGroupsByCluster, inFlightDeployments } from './live-weights-handler/in-flight-deployments';
import { LatticeReader, findLatticeRule, id, latticeWeightsOf } from './live-weights-handler/lattice';
import { INITIAL, LoadBalancerReader, RuleSpec, Weights, findListener, findRule, weightsOf } from './live-weights-handler/lookup';
import { LambdaContext, waitForDeployments } from './live-weights-handler/rollback-wait';
import { call } from '../private/paging';
import { handlerClientConfig } from '../private/retry';

export type { RuleSpec } from './live-weights-handler/lookup';

export interface LiveWeightsEvent {
  RequestType: 'Create' | 'Update' | 'Delete';
  ResourceProperties: { Rules?: RuleSpec[] };
  OldResourceProperties?: { Rules?: RuleSpec[] };
  PhysicalResourceId?: string;
  StackId?: string;
  LogicalResourceId?: string;
}

const PHYSICAL_ID = 'ecs-blue-green-live-weights';
const ROLLBACK_STATES = new Set(['UPDATE_ROLLBACK_IN_PROGRESS', 'IMPORT_ROLLBACK_IN_PROGRESS']);
// Retries are done by withRetry (logged, and testable with mocked clients).
const elbv2 = new ElasticLoadBalancingV2Client(handlerClientConfig());

/** What the invocation is: a create, an update, or the rollback of a failed update (unknown if the stack could not be read). */
interface Context {
  readonly update: boolean;
  readonly rollback: boolean | undefined;
  /** The stack to name in messages (the root stack of a nested one: rollbacks continue there). */
  readonly stack: string;
  readonly statusError?: string;
}

export async function handler(event: LiveWeightsEvent,
  context?: LambdaContext): Promise<{ PhysicalResourceId: string; Data?: Record<string, number | string> }> {
  if (event.RequestType === 'Delete') return { PhysicalResourceId: event.PhysicalResourceId ?? PHYSICAL_ID };
  const ctx = await contextOf(event);
  const specs = event.ResourceProperties?.Rules ?? [];
  const previous = new Map((ctx.update ? event.OldResourceProperties?.Rules ?? [] : []).map((r) => [r.Id, r]));
  const readers: Readers = { elb: new LoadBalancerReader(elbv2), lattice: new LatticeReader() };
  const data: Record<string, number | string> = {};
  // A rollback reads once ECS has stopped moving the services' traffic (or the wait timed out).
  if (ctx.rollback === true) await waitForDeployments(targetGroupsByCluster(specs), context);
  try {
    for (const [i, spec] of specs.entries()) {
      const weights = await weightsFor(readers, spec, previous.get(spec.Id), ctx);
      const key = spec.Key ?? `W${i}`;
      let target: string | undefined;
      if (spec.Kind === 'lattice' && spec.Forward === undefined) {
        target = legacyTarget(weights, spec);
        data[`${key}T`] = id(target);
      } else {
        data[`${key}B`] = weights.blue;
        data[`${key}G`] = weights.green;
      }
      console.log(JSON.stringify({ message: 'weights', id: spec.Id, kind: spec.Kind, blue: weights.blue, green: weights.green, target, source: weights.source }));
    }
  } catch (err) {
    throw ctx.rollback ? rollbackError(err, ctx, event) : err;
  }
  if (ctx.update && ctx.rollback !== true) await refuseInFlightDeployments(specs, ctx);
  return { PhysicalResourceId: PHYSICAL_ID, Data: data };
}

interface Readers {
  readonly elb: LoadBalancerReader;
  readonly lattice: LatticeReader;
}

/**
 * The one target group a Lattice rule of a template from before both groups were rendered forwards
 * to (`<Key>T`). The new reader meets such entries when CloudFormation rolls back the update that
 * brought it (the restored rules read `<Key>T`; without it the rollback fails). One target group
 * cannot render a split: the one with more traffic is kept and the split is logged. The rollback
 * has waited for ECS to finish moving traffic, and a finished deployment leaves 100/0 or 0/100.
 */
function legacyTarget(weights: Weights, spec: RuleSpec): string {
  if (weights.blue > 0 && weights.green > 0) {
    console.log(JSON.stringify({ message: 'a rule of the restored template forwards to one target group: keeping the one with more traffic', id: spec.Id, blue: weights.blue, green: weights.green }));
  }
  return weights.green > weights.blue ? spec.Green : spec.Blue;
}

async function contextOf(event: LiveWeightsEvent): Promise<Context> {
  const stack = stackName(event.StackId);
  if (event.RequestType !== 'Update') return { update: false, rollback: false, stack };
  try {
    // Loaded on updates only (creates and deletes do not pay for the client).
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { CloudFormationClient, DescribeStacksCommand }: typeof import('@aws-sdk/client-cloudformation') = require('@aws-sdk/client-cloudformation');
    const cloudformation = new CloudFormationClient(handlerClientConfig());
    const out = await call(() => cloudformation.send(new DescribeStacksCommand({ StackName: event.StackId })));
    const found = out.Stacks?.[0];
    return { update: true, rollback: ROLLBACK_STATES.has(found?.StackStatus ?? ''), stack: stackName(found?.RootId ?? event.StackId) };
  } catch (err) {
    const statusError = `${(err as Error)?.name}: ${(err as Error)?.message}`;
    console.log(JSON.stringify({ message: 'could not read the stack status; looking in both places and checking deployments', error: statusError }));
    return { update: true, rollback: undefined, stack, statusError };
  }
}

async function weightsFor(readers: Readers, spec: RuleSpec, old: RuleSpec | undefined, ctx: Context): Promise<Weights> {
  // An update reads the forward where it is before the update; a rollback, where it is restored.
  const places = distinct(old === undefined ? [spec] : ctx.rollback ? [spec, old] : [old, spec]);
  let searched: string[];
  if (spec.Kind === 'lattice') {
    const found = await findLatticeRule(readers.lattice, spec, places);
    if (found.rule) {
      const source = `VPC Lattice rule ${found.rule.arn ?? found.rule.id}`;
      const weights = latticeWeightsOf(found.rule, spec, source);
      if (weights) return weights;
      console.log(JSON.stringify({ message: 'live action forwards to other target groups; starting at 1/0', id: spec.Id, source }));
      return INITIAL;
    }
    searched = found.searched;
  } else {
    const found = spec.Kind === 'listener' ? await findListener(readers.elb, spec, places) : await findRule(readers.elb, spec, places);
    if (found.actions !== undefined || found.arn !== undefined) return weightsOf(found.actions, spec, `${spec.Kind} ${found.arn}`);
    searched = found.searched;
  }
  if (old === undefined && !ctx.rollback) return INITIAL; // created by this deploy
  const what = spec.Kind === 'listener' ? `listener ${spec.Id}` : spec.Kind === 'lattice' ? `VPC Lattice rule ${spec.Id}` : `listener rule ${spec.Id}`;
  const restore = `restore it on ${searched[0]}, forwarding to ${spec.Blue} and ${spec.Green} with the weights ECS last set ` +
    '(the service\'s last deployment says which target group serves production)';
  const missing = `${what} was not found on ${searched.join(' or ')}, and nothing there is forwarding to ${spec.Blue} and ${spec.Green}`;
  if (ctx.rollback) {
    // The rollback writes only the forwards its update wrote, and those exist: this one is not written.
    console.log(JSON.stringify({ message: `rollback: ${missing}; this rollback does not write it. Before the next deploy, ${restore}.`, id: spec.Id }));
    return INITIAL;
  }
  throw new Error(`${missing}. Refusing to guess the weights production traffic needs: ${restore}, then deploy again. ` +
    'CloudFormation rolls this update back without writing it.');
}

/** The places to look in, each once (an entry that did not move is in the same place before and after). */
function distinct(places: RuleSpec[]): RuleSpec[] {
  const where = (p: RuleSpec) => JSON.stringify([p.Kind, p.ListenerArn, String(p.Priority), p.LoadBalancerArn, String(p.Port),
    p.ServiceIdentifier, p.ListenerIdentifier, p.Blue, p.Green]);
  return places.filter((p, i) => places.findIndex((q) => where(q) === where(p)) === i);
}

/** The clusters the entries name, each with the entries' target groups. */
function targetGroupsByCluster(specs: RuleSpec[]): TargetGroupsByCluster {
  const byCluster: TargetGroupsByCluster = new Map();
  for (const spec of specs) {
    if (!spec.Cluster) continue;
    const groups = byCluster.get(spec.Cluster) ?? new Set<string>();
    groups.add(spec.Blue).add(spec.Green);
    byCluster.set(spec.Cluster, groups);
  }
  return byCluster;
}

/** Fails the update while a service behind the entries has an ECS deployment under way. */
async function refuseInFlightDeployments(specs: RuleSpec[], ctx: Context): Promise<void> {
  const byCluster = targetGroupsByCluster(specs);
  if (byCluster.size === 0) return;
  const found = await inFlightDeployments(byCluster);
  if (found.length === 0) return;
  console.log(JSON.stringify({ message: 'deployments under way; refusing the update', deployments: found }));
  const first = found[0];
  throw new Error(`${found.map(describe).join('; ')}. ECS is moving these services' traffic: weights read now would be stale when ` +
    'CloudFormation writes the rules, and ECS would then drain the target group traffic was sent back to. Wait for the deployment to finish ' +
    `(aws ecs list-service-deployments --cluster ${first.cluster} --service ${first.serviceName} --status IN_PROGRESS) or stop it, then deploy again; ` +
    'CloudFormation rolls this update back without writing the rules.' +
    (ctx.statusError ? ` If this is a stack rollback (the stack status could not be read: ${ctx.statusError}), wait for the deployment to finish, ` +
      `then run aws cloudformation continue-update-rollback --stack-name ${ctx.stack}.` : ''));
}

function describe(d: InFlightDeployment): string {
  return `ECS service ${d.serviceName} (cluster ${d.cluster}) has deployment ${d.deployment} ${d.status}` +
    (d.startedAt ? ` since ${new Date(d.startedAt).toISOString()}` : '');
}

/** An error met on the rollback path, with how to continue the rollback once it is resolved. */
function rollbackError(err: unknown, ctx: Context, event: LiveWeightsEvent): Error {
  const e = err as Error;
  return new Error(`${e?.name ?? 'Error'}: ${e?.message ?? String(err)} (while rolling back: once this is resolved, run ` +
    `aws cloudformation continue-update-rollback --stack-name ${ctx.stack}; CloudFormation then runs this reader, ` +
    `${event.LogicalResourceId ?? 'the live-weights reader'}, again)`);
}

/** The stack name in a stack ID (arn:...:stack/<name>/<uuid>), or the ID itself. */
function stackName(stackId: string | undefined): string {
  return stackId?.match(/:stack\/([^/]+)\//)?.[1] ?? stackId ?? '<stack>';
}
