// Reading ECS service deployments: find the one that matters for a service and condense it into a
// summary (the JSON output). deployment-text.ts renders the summary as text.
import {
  DescribeServiceDeploymentsCommand, ECSClient, ListServiceDeploymentsCommand, ServiceDeployment,
  ServiceDeploymentBrief, ServiceDeploymentStatus,
} from '@aws-sdk/client-ecs';
import { CliError } from './command';
import { formatDuration, formatTime } from './terminal';
import { TrafficRule, TrafficRules } from './traffic-rules';
import { detailsOf } from '../hooks/runtime';

/** Deployment statuses that are not final yet. */
export const ACTIVE_STATUSES: ServiceDeploymentStatus[] = [
  'PENDING', 'IN_PROGRESS', 'ROLLBACK_REQUESTED', 'ROLLBACK_IN_PROGRESS', 'STOP_REQUESTED',
];
const FAILED_STATUSES: string[] = ['ROLLBACK_SUCCESSFUL', 'ROLLBACK_FAILED', 'STOPPED'];

/** Where a deployment stands: still going, done, or failed (rolled back / stopped). */
export type Outcome = 'running' | 'succeeded' | 'failed';

/** The outcome of a deployment status. */
export function outcomeOf(status: string | undefined): Outcome {
  if (status === 'SUCCESSFUL') return 'succeeded';
  if (status && FAILED_STATUSES.includes(status)) return 'failed';
  return 'running';
}

/** The approval gate's default SSM parameter prefix (same as the hook's). */
export const DEFAULT_APPROVAL_PREFIX = '/ecs-blue-green/approvals';

/** The name part of a cluster or service given as a name or an ARN. */
export function nameOf(value: string): string {
  if (!value.startsWith('arn:')) return value;
  const resource = value.split(':').slice(5).join(':');
  const parts = resource.split('/');
  return parts[parts.length - 1];
}

/**
 * The deployment of a service that matters now: the given one, else the newest one not finished,
 * else the newest one.
 */
export async function findDeployment(ecs: ECSClient, cluster: string, service: string, deploymentArn?: string): Promise<ServiceDeployment> {
  if (deploymentArn) return describeDeployment(ecs, deploymentArn);
  const active = await ecs.send(new ListServiceDeploymentsCommand({ cluster, service, status: ACTIVE_STATUSES }));
  let pick = newest(active.serviceDeployments ?? []);
  if (!pick) {
    const all: ServiceDeploymentBrief[] = [];
    let nextToken: string | undefined;
    for (let page = 0; page < 10; page++) {
      const res = await ecs.send(new ListServiceDeploymentsCommand({ cluster, service, nextToken }));
      all.push(...(res.serviceDeployments ?? []));
      nextToken = res.nextToken;
      if (!nextToken) break;
    }
    pick = newest(all);
  }
  if (!pick?.serviceDeploymentArn) {
    throw new CliError(`no service deployments found for service ${service} in cluster ${cluster} ` +
      '(ECS keeps them for 90 days; is the service on the ECS deployment controller?)');
  }
  return describeDeployment(ecs, pick.serviceDeploymentArn);
}

function newest(list: ServiceDeploymentBrief[]): ServiceDeploymentBrief | undefined {
  const time = (d: ServiceDeploymentBrief) => (d.createdAt ?? d.startedAt)?.getTime() ?? 0;
  return [...list].sort((a, b) => time(b) - time(a))[0];
}

/** DescribeServiceDeployments for one ARN. */
export async function describeDeployment(ecs: ECSClient, arn: string): Promise<ServiceDeployment> {
  const res = await ecs.send(new DescribeServiceDeploymentsCommand({ serviceDeploymentArns: [arn] }));
  const found = res.serviceDeployments?.[0];
  if (!found) {
    const failure = res.failures?.[0];
    throw new CliError(`cannot describe service deployment ${arn}${failure ? `: ${failure.reason}${failure.detail ? ` (${failure.detail})` : ''}` : ''}`);
  }
  return found;
}

/** The version of the JSON that `status --output json`, `status --watch --output json` and `wait --output json` print (docs/CLI.md). */
export const SCHEMA_VERSION = 1;

/** Traffic shares of the green (target) and blue (source) revisions, in percent. */
export interface TrafficSplit {
  readonly green: number;
  readonly blue: number;
}

/**
 * How a time left was found: `expiresAt` (ECS reports the hook's expiry), `observed` (a watch saw
 * the stage begin between two polls: the time left lies between the two bounds), `unknown` (the
 * API does not tell), `inactive` (the hook or bake time is not running).
 */
export type TimeLeftBasis = 'expiresAt' | 'observed' | 'unknown' | 'inactive';

/** A lifecycle hook of the deployment, as the CLI shows it. */
export interface HookSummary {
  readonly hookId: string | null;
  readonly type: string;
  readonly status: string | null;
  /** Lambda function ARN (AWS_LAMBDA hooks). */
  readonly target: string | null;
  /** Stages the hook is configured for (null when the configuration cannot be matched to this hook). */
  readonly stages: string[] | null;
  /** The configured `timeoutConfiguration.timeoutInMinutes` (null when not matched or not set). */
  readonly timeoutMinutes: number | null;
  /** What ECS does when the hook times out: ROLLBACK or CONTINUE. */
  readonly timeoutAction: string | null;
  /** `expiresAt` of the hook, as ECS reports it. */
  readonly expiresAt: string | null;
  /** expiresAt minus now, in seconds (0 once passed); null when ECS does not report expiresAt. */
  readonly expiresInSeconds: number | null;
  /** `expiresAt`, `unknown` (active, no expiresAt) or `inactive` (the hook is not waiting or running). */
  readonly expiresInBasis: TimeLeftBasis;
  /** The approval gate's SSM parameter prefix, when the hook is this library's approval gate. */
  readonly approvalParameterPrefix: string | null;
}

/** The bake time (BAKE_TIME stage) of the deployment. */
export interface BakeTimeSummary {
  /** `deploymentConfiguration.bakeTimeInMinutes`. */
  readonly minutes: number;
  /** At most this many seconds left (basis `observed`), else null. */
  readonly remainingSecondsAtMost: number | null;
  /** At least this many seconds left (basis `observed`), else null. */
  readonly remainingSecondsAtLeast: number | null;
  /** `observed`, `unknown` (in BAKE_TIME, its start not seen) or `inactive` (not in BAKE_TIME). */
  readonly basis: TimeLeftBasis;
}

/** A service deployment condensed for people and pipelines (also the JSON output, docs/CLI.md). */
export interface DeploymentSummary {
  readonly schemaVersion: number;
  readonly serviceDeploymentArn: string | null;
  readonly serviceArn: string | null;
  readonly clusterArn: string | null;
  readonly status: string | null;
  readonly statusReason: string | null;
  readonly outcome: Outcome;
  readonly strategy: string | null;
  readonly strategyDescription: string | null;
  readonly lifecycleStage: string | null;
  readonly productionTraffic: TrafficSplit | null;
  readonly testTraffic: TrafficSplit | null;
  /** The production and test rules' forward weights now, as the load balancer / VPC Lattice holds them. */
  readonly trafficRules: TrafficRule[];
  /** Why the rules could not be listed (DescribeServices failed), else null. */
  readonly trafficRulesError: string | null;
  readonly targetRevision: {
    arn: string | null;
    requestedTaskCount: number | null;
    runningTaskCount: number | null;
    pendingTaskCount: number | null;
  } | null;
  readonly sourceRevisionArns: string[];
  readonly hooks: HookSummary[];
  readonly bakeTime: BakeTimeSummary | null;
  readonly rollback: { reason: string | null; startedAt: string | null; serviceRevisionArn: string | null } | null;
  readonly circuitBreaker: { status: string | null; failureCount: number | null; threshold: number | null } | null;
  readonly alarms: { status: string | null; alarmNames: string[]; triggeredAlarmNames: string[] } | null;
  readonly createdAt: string | null;
  readonly startedAt: string | null;
  readonly finishedAt: string | null;
  readonly stoppedAt: string | null;
  readonly updatedAt: string | null;
}

/**
 * What a watch (`status --watch`, `wait`) saw of the current lifecycle stage: it began after
 * `previousPollAt` (a poll that saw another stage) and at or before `firstSeenAt`. Without
 * `previousPollAt` the stage was already current at the first poll and its start is unknown.
 */
export interface StageObservation {
  readonly stage: string;
  readonly firstSeenAt: number;
  readonly previousPollAt?: number;
}

/** What summarize() takes besides the deployment. */
export interface SummaryExtras {
  readonly trafficRules?: TrafficRules;
  readonly stage?: StageObservation;
}

/** Condenses a DescribeServiceDeployments entry. */
export function summarize(d: ServiceDeployment, now: number, extras: SummaryExtras = {}): DeploymentSummary {
  const config = d.deploymentConfiguration;
  const target = d.targetServiceRevision;
  const sources = d.sourceServiceRevisions ?? [];
  type Weights = { requestedProductionTrafficWeight?: number; requestedTestTrafficWeight?: number };
  const split = (pick: (r: Weights) => number | undefined): TrafficSplit | null => {
    const green = target ? pick(target) : undefined;
    const blueParts = sources.map(pick).filter((w): w is number => w !== undefined);
    if (green === undefined && blueParts.length === 0) return null;
    const g = green ?? 0;
    return { green: round(g), blue: round(blueParts.length ? blueParts.reduce((a, b) => a + b, 0) : 100 - g) };
  };
  const configHooks = config?.lifecycleHooks ?? [];
  const pauseConfigs = configHooks.filter((c) => c.targetType === 'PAUSE');
  const isActive = (status: string | undefined) => status === 'AWAITING_ACTION' || status === 'IN_PROGRESS';
  const pauseWaiting = (d.lifecycleHookDetails ?? []).some((h) => h.targetType === 'PAUSE' && isActive(h.status));
  const atStage = (c: { lifecycleStages?: string[] }) => d.lifecycleStage !== undefined && (c.lifecycleStages ?? []).includes(d.lifecycleStage);
  const hooks: HookSummary[] = (d.lifecycleHookDetails ?? []).map((h) => {
    // ECS names no stage in a PAUSE hook's details: with several PAUSE hooks (a user's pause and
    // the operator bake), the one waiting is the one at the current stage, and the others are not.
    const pauses = pauseConfigs.length <= 1 || !pauseWaiting ? pauseConfigs
      : pauseConfigs.filter((c) => atStage(c) === isActive(h.status));
    const matching = h.targetType === 'PAUSE'
      ? pauses
      : configHooks.filter((c) => c.hookTargetArn !== undefined && h.targetArn !== undefined && sameFunction(c.hookTargetArn, h.targetArn));
    const configured = matching.length === 1 ? matching[0] : undefined;
    // The template gives HookDetails as a JSON string; read either form back.
    const prefix = configured ? detailsOf(configured).parameterPrefix : undefined;
    const active = h.status === 'AWAITING_ACTION' || h.status === 'IN_PROGRESS';
    // Time left is expiresAt - now: ECS documents expiresAt as the time the hook times out. ECS
    // reports no hook start time, so without expiresAt the time left is unknown.
    const expiresIn = h.expiresAt ? Math.max(0, Math.round((h.expiresAt.getTime() - now) / 1000)) : null;
    return {
      hookId: h.hookId ?? null,
      type: h.targetType ?? 'AWS_LAMBDA',
      status: h.status ?? null,
      target: h.targetArn ?? null,
      stages: configured?.lifecycleStages ? [...configured.lifecycleStages] : null,
      timeoutMinutes: configured?.timeoutConfiguration?.timeoutInMinutes ?? null,
      timeoutAction: h.timeoutAction ?? configured?.timeoutConfiguration?.action ?? null,
      expiresAt: formatTime(h.expiresAt) ?? null,
      expiresInSeconds: active ? expiresIn : null,
      expiresInBasis: !active ? 'inactive' : expiresIn !== null ? 'expiresAt' : 'unknown',
      approvalParameterPrefix: typeof prefix === 'string' ? prefix : null,
    };
  });
  return {
    schemaVersion: SCHEMA_VERSION,
    serviceDeploymentArn: d.serviceDeploymentArn ?? null,
    serviceArn: d.serviceArn ?? null,
    clusterArn: d.clusterArn ?? null,
    status: d.status ?? null,
    statusReason: d.statusReason ?? null,
    outcome: outcomeOf(d.status),
    strategy: config?.strategy ?? null,
    strategyDescription: describeStrategy(d) ?? null,
    lifecycleStage: d.lifecycleStage ?? null,
    productionTraffic: split((r) => r.requestedProductionTrafficWeight),
    testTraffic: split((r) => r.requestedTestTrafficWeight),
    trafficRules: extras.trafficRules?.rules ?? [],
    trafficRulesError: extras.trafficRules?.error ?? null,
    targetRevision: target ? {
      arn: target.arn ?? null,
      requestedTaskCount: target.requestedTaskCount ?? null,
      runningTaskCount: target.runningTaskCount ?? null,
      pendingTaskCount: target.pendingTaskCount ?? null,
    } : null,
    sourceRevisionArns: sources.map((s) => s.arn).filter((a): a is string => !!a),
    hooks,
    bakeTime: bakeTimeOf(d, now, extras.stage),
    rollback: d.rollback ? {
      reason: d.rollback.reason ?? null,
      startedAt: formatTime(d.rollback.startedAt) ?? null,
      serviceRevisionArn: d.rollback.serviceRevisionArn ?? null,
    } : null,
    circuitBreaker: d.deploymentCircuitBreaker ? {
      status: d.deploymentCircuitBreaker.status ?? null,
      failureCount: d.deploymentCircuitBreaker.failureCount ?? null,
      threshold: d.deploymentCircuitBreaker.threshold ?? null,
    } : null,
    alarms: d.alarms ? {
      status: d.alarms.status ?? null,
      alarmNames: d.alarms.alarmNames ?? [],
      triggeredAlarmNames: d.alarms.triggeredAlarmNames ?? [],
    } : null,
    createdAt: formatTime(d.createdAt) ?? null,
    startedAt: formatTime(d.startedAt) ?? null,
    finishedAt: formatTime(d.finishedAt) ?? null,
    stoppedAt: formatTime(d.stoppedAt) ?? null,
    updatedAt: formatTime(d.updatedAt) ?? null,
  };
}

/**
 * Bake time left. ECS reports the bake time's length (bakeTimeInMinutes, the BAKE_TIME stage) but
 * not when the stage began, so a single look cannot tell the time left. A watch that saw the stage
 * begin between two polls bounds it: left = bake - time in stage, with the time in stage between
 * now - firstSeenAt and now - previousPollAt.
 */
function bakeTimeOf(d: ServiceDeployment, now: number, stage: StageObservation | undefined): BakeTimeSummary | null {
  const bakeMinutes = d.deploymentConfiguration?.bakeTimeInMinutes;
  if (bakeMinutes === undefined) return null;
  if (d.lifecycleStage !== 'BAKE_TIME' || outcomeOf(d.status) !== 'running') {
    return { minutes: bakeMinutes, remainingSecondsAtMost: null, remainingSecondsAtLeast: null, basis: 'inactive' };
  }
  if (stage?.stage !== 'BAKE_TIME' || stage.previousPollAt === undefined) {
    return { minutes: bakeMinutes, remainingSecondsAtMost: null, remainingSecondsAtLeast: null, basis: 'unknown' };
  }
  const left = (since: number) => Math.max(0, Math.round((bakeMinutes * 60_000 - (now - since)) / 1000));
  return { minutes: bakeMinutes, remainingSecondsAtMost: left(stage.firstSeenAt), remainingSecondsAtLeast: left(stage.previousPollAt), basis: 'observed' };
}

/** The next observation of the stage, given the last one and a poll at `now` that saw `stage`. */
export function observeStage(
  last: StageObservation | undefined,
  stage: string | null,
  lastPollAt: number | undefined,
  now: number,
): StageObservation | undefined {
  if (stage === null) return undefined;
  if (last?.stage === stage) return last;
  // A change between two polls: the stage began after the previous poll. At the first poll: unknown.
  return { stage, firstSeenAt: now, previousPollAt: lastPollAt };
}

function round(n: number): number {
  return Math.round(n * 10) / 10;
}

function sameFunction(a: string, b: string): boolean {
  const fn = (arn: string) => /:function:([^:]+)/.exec(arn)?.[1] ?? arn;
  return a === b || fn(a) === fn(b);
}

function describeStrategy(d: ServiceDeployment): string | undefined {
  const c = d.deploymentConfiguration;
  if (!c?.strategy) return undefined;
  const bake = c.bakeTimeInMinutes !== undefined ? `; bake ${minutes(c.bakeTimeInMinutes)}` : '';
  switch (c.strategy) {
    case 'BLUE_GREEN':
      return `BLUE_GREEN: all traffic at once${bake}`;
    case 'LINEAR':
      return `LINEAR: ${c.linearConfiguration?.stepPercent ?? '?'}% every ${minutes(c.linearConfiguration?.stepBakeTimeInMinutes)}${bake}`;
    case 'CANARY':
      return `CANARY: ${c.canaryConfiguration?.canaryPercent ?? '?'}% for ${minutes(c.canaryConfiguration?.canaryBakeTimeInMinutes)}, then the rest${bake}`;
    default:
      return c.strategy;
  }
}

function minutes(n: number | undefined): string {
  return n === undefined ? '?' : formatDuration(n * 60_000);
}
