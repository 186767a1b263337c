// Reading ECS service deployments: find the one that matters for a service, condense it into a
// summary (the JSON output), and render that summary as text.
import {
  DescribeServiceDeploymentsCommand, ECSClient, ListServiceDeploymentsCommand, ServiceDeployment,
  ServiceDeploymentBrief, ServiceDeploymentStatus,
} from '@aws-sdk/client-ecs';
import { CliError, PROGRAM } from './command';
import { columns, formatDuration, formatTime, table } from './terminal';
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

/** Traffic shares of the green (target) and blue (source) revisions, in percent. */
export interface TrafficSplit {
  readonly green: number;
  readonly blue: number;
}

/** A lifecycle hook of the deployment, as the CLI shows it. */
export interface HookSummary {
  readonly hookId?: string;
  readonly type: string;
  readonly status?: string;
  /** Lambda function ARN (AWS_LAMBDA hooks). */
  readonly target?: string;
  /** Stages the hook is configured for. */
  readonly stages?: string[];
  readonly expiresAt?: string;
  readonly expiresInSeconds?: number;
  readonly timeoutAction?: string;
  /** The approval gate's SSM parameter prefix, when the hook is this library's approval gate. */
  readonly approvalParameterPrefix?: string;
}

/** A service deployment condensed for people and pipelines (also the JSON output). */
export interface DeploymentSummary {
  readonly serviceDeploymentArn?: string;
  readonly serviceArn?: string;
  readonly clusterArn?: string;
  readonly status?: string;
  readonly statusReason?: string;
  readonly outcome: Outcome;
  readonly strategy?: string;
  readonly strategyDescription?: string;
  readonly lifecycleStage?: string;
  readonly productionTraffic?: TrafficSplit;
  readonly testTraffic?: TrafficSplit;
  readonly targetRevision?: { arn?: string; requestedTaskCount?: number; runningTaskCount?: number; pendingTaskCount?: number };
  readonly sourceRevisionArns: string[];
  readonly hooks: HookSummary[];
  readonly bakeTime?: { minutes: number; remainingSecondsEstimate?: number };
  readonly rollback?: { reason?: string; startedAt?: string; serviceRevisionArn?: string };
  readonly circuitBreaker?: { status?: string; failureCount?: number; threshold?: number };
  readonly alarms?: { status?: string; alarmNames: string[]; triggeredAlarmNames: string[] };
  readonly createdAt?: string;
  readonly startedAt?: string;
  readonly finishedAt?: string;
  readonly stoppedAt?: string;
  readonly updatedAt?: string;
}

/** Condenses a DescribeServiceDeployments entry. */
export function summarize(d: ServiceDeployment, now: number): DeploymentSummary {
  const config = d.deploymentConfiguration;
  const target = d.targetServiceRevision;
  const sources = d.sourceServiceRevisions ?? [];
  type Weights = { requestedProductionTrafficWeight?: number; requestedTestTrafficWeight?: number };
  const split = (pick: (r: Weights) => number | undefined): TrafficSplit | undefined => {
    const green = target ? pick(target) : undefined;
    const blueParts = sources.map(pick).filter((w): w is number => w !== undefined);
    if (green === undefined && blueParts.length === 0) return undefined;
    const g = green ?? 0;
    return { green: round(g), blue: round(blueParts.length ? blueParts.reduce((a, b) => a + b, 0) : 100 - g) };
  };
  const configHooks = config?.lifecycleHooks ?? [];
  const hooks: HookSummary[] = (d.lifecycleHookDetails ?? []).map((h) => {
    const matching = h.targetType === 'PAUSE'
      ? configHooks.filter((c) => c.targetType === 'PAUSE')
      : configHooks.filter((c) => c.hookTargetArn !== undefined && h.targetArn !== undefined && sameFunction(c.hookTargetArn, h.targetArn));
    const stages = matching.length === 1 ? matching[0].lifecycleStages : undefined;
    // The template gives HookDetails as a JSON string; read either form back.
    const details = matching.length === 1 ? detailsOf(matching[0]) : {};
    const prefix = details.parameterPrefix;
    return {
      hookId: h.hookId,
      type: h.targetType ?? 'AWS_LAMBDA',
      status: h.status,
      target: h.targetArn,
      stages: stages ? [...stages] : undefined,
      expiresAt: formatTime(h.expiresAt),
      expiresInSeconds: h.expiresAt ? Math.max(0, Math.round((h.expiresAt.getTime() - now) / 1000)) : undefined,
      timeoutAction: h.timeoutAction,
      approvalParameterPrefix: typeof prefix === 'string' ? prefix : undefined,
    };
  });
  let bakeTime: DeploymentSummary['bakeTime'];
  if (config?.bakeTimeInMinutes !== undefined) {
    let remaining: number | undefined;
    if (d.lifecycleStage === 'BAKE_TIME' && outcomeOf(d.status) === 'running') {
      // ECS reports no bake start time; the last update is when the deployment entered BAKE_TIME
      // (or later), so this is an estimate.
      const since = (d.updatedAt ?? d.startedAt)?.getTime() ?? now;
      remaining = Math.max(0, Math.round((config.bakeTimeInMinutes * 60_000 - (now - since)) / 1000));
    }
    bakeTime = { minutes: config.bakeTimeInMinutes, remainingSecondsEstimate: remaining };
  }
  return {
    serviceDeploymentArn: d.serviceDeploymentArn,
    serviceArn: d.serviceArn,
    clusterArn: d.clusterArn,
    status: d.status,
    statusReason: d.statusReason,
    outcome: outcomeOf(d.status),
    strategy: config?.strategy,
    strategyDescription: describeStrategy(d),
    lifecycleStage: d.lifecycleStage,
    productionTraffic: split((r) => r.requestedProductionTrafficWeight),
    testTraffic: split((r) => r.requestedTestTrafficWeight),
    targetRevision: target ? {
      arn: target.arn,
      requestedTaskCount: target.requestedTaskCount,
      runningTaskCount: target.runningTaskCount,
      pendingTaskCount: target.pendingTaskCount,
    } : undefined,
    sourceRevisionArns: sources.map((s) => s.arn).filter((a): a is string => !!a),
    hooks,
    bakeTime,
    rollback: d.rollback ? {
      reason: d.rollback.reason,
      startedAt: formatTime(d.rollback.startedAt),
      serviceRevisionArn: d.rollback.serviceRevisionArn,
    } : undefined,
    circuitBreaker: d.deploymentCircuitBreaker ? { ...d.deploymentCircuitBreaker } : undefined,
    alarms: d.alarms ? {
      status: d.alarms.status,
      alarmNames: d.alarms.alarmNames ?? [],
      triggeredAlarmNames: d.alarms.triggeredAlarmNames ?? [],
    } : undefined,
    createdAt: formatTime(d.createdAt),
    startedAt: formatTime(d.startedAt),
    finishedAt: formatTime(d.finishedAt),
    stoppedAt: formatTime(d.stoppedAt),
    updatedAt: formatTime(d.updatedAt),
  };
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

function traffic(t: TrafficSplit | undefined): string | undefined {
  return t ? `green ${t.green}%, blue ${t.blue}%` : undefined;
}

function shortRevision(arn: string | undefined): string | undefined {
  if (!arn) return undefined;
  const i = arn.indexOf(':service-revision/');
  return i >= 0 ? arn.slice(i + 1) : arn;
}

function shortFunction(arn: string | undefined): string {
  if (!arn) return '';
  return /:function:([^:]+)/.exec(arn)?.[1] ?? arn;
}

function ago(iso: string | undefined, now: number): string | undefined {
  if (!iso) return undefined;
  const t = Date.parse(iso);
  return `${iso} (${formatDuration(now - t)} ago)`;
}

/** What an operator can do next, as commands to run. */
export function nextSteps(s: DeploymentSummary, cluster: string, service: string): string[] {
  if (s.outcome !== 'running') return [];
  const steps: string[] = [];
  const target = `${cluster} ${service}`;
  if (s.hooks.some((h) => h.type === 'PAUSE' && h.status === 'AWAITING_ACTION')) {
    steps.push(`${PROGRAM} continue ${target}`, `${PROGRAM} rollback ${target}`);
  }
  const gate = s.hooks.find((h) => h.approvalParameterPrefix !== undefined && h.status === 'IN_PROGRESS');
  if (gate) {
    const prefix = gate.approvalParameterPrefix !== DEFAULT_APPROVAL_PREFIX ? ` --parameter-prefix ${gate.approvalParameterPrefix}` : '';
    steps.push(`${PROGRAM} approve ${target}${prefix}`, `${PROGRAM} reject ${target}${prefix}`);
  }
  return steps;
}

/** The text form of `status`. */
export function renderStatus(s: DeploymentSummary, cluster: string, service: string, now: number): string {
  const t = s.targetRevision;
  const tasks = t ? `${t.runningTaskCount ?? 0}/${t.requestedTaskCount ?? 0} running${t.pendingTaskCount ? `, ${t.pendingTaskCount} pending` : ''}` +
    (t.arn ? ` (${shortRevision(t.arn)})` : '') : undefined;
  let bake: string | undefined;
  if (s.bakeTime) {
    bake = formatDuration(s.bakeTime.minutes * 60_000);
    if (s.bakeTime.remainingSecondsEstimate !== undefined) bake += `, about ${formatDuration(s.bakeTime.remainingSecondsEstimate * 1000)} left`;
  }
  const cb = s.circuitBreaker?.status
    ? `${s.circuitBreaker.status}${s.circuitBreaker.threshold !== undefined ? ` (${s.circuitBreaker.failureCount ?? 0} of ${s.circuitBreaker.threshold} failed tasks)` : ''}`
    : undefined;
  const alarms = s.alarms?.status && s.alarms.status !== 'DISABLED'
    ? `${s.alarms.status}${s.alarms.alarmNames.length ? `: ${s.alarms.alarmNames.join(', ')}` : ''}` +
      (s.alarms.triggeredAlarmNames.length ? ` (fired: ${s.alarms.triggeredAlarmNames.join(', ')})` : '')
    : undefined;
  const lines = [table([
    ['Service', `${service} in cluster ${cluster}`],
    ['Deployment', s.serviceDeploymentArn],
    ['Status', s.status + (s.statusReason ? ` (${s.statusReason})` : '')],
    ['Strategy', s.strategyDescription],
    ['Stage', s.lifecycleStage],
    ['Production', traffic(s.productionTraffic)],
    ['Test', traffic(s.testTraffic)],
    ['Green tasks', tasks],
    ['Started', ago(s.startedAt ?? s.createdAt, now)],
    ['Finished', s.finishedAt ?? s.stoppedAt],
    ['Bake time', bake],
    ['Circuit breaker', cb],
    ['Alarms', alarms],
    ['Rollback', s.rollback ? `${s.rollback.reason ?? 'yes'}${s.rollback.startedAt ? ` (started ${s.rollback.startedAt})` : ''}` : undefined],
  ])];
  if (s.hooks.length > 0) {
    lines.push('Hooks', columns(s.hooks.map((h) => [
      h.type,
      h.status ?? '',
      h.type === 'PAUSE' ? 'pause' : shortFunction(h.target),
      h.stages?.length ? h.stages.join(', ') : '',
      hookExpiry(h),
    ])));
  }
  const next = nextSteps(s, cluster, service);
  if (next.length > 0) {
    lines.push('Next', ...next.map((n) => `  ${n}`));
  }
  return lines.join('\n') + '\n';
}

function hookExpiry(h: HookSummary): string {
  if (h.status !== 'AWAITING_ACTION' && h.status !== 'IN_PROGRESS') return '';
  const parts: string[] = [];
  if (h.expiresInSeconds !== undefined) parts.push(`expires in ${formatDuration(h.expiresInSeconds * 1000)} (${h.expiresAt})`);
  if (h.timeoutAction) parts.push(`then ${h.timeoutAction}`);
  if (h.hookId && h.status === 'AWAITING_ACTION') parts.push(`hook id ${h.hookId}`);
  return parts.join(', ');
}

/** One line for progress displays (nothing in it changes with the clock alone). */
export function statusLine(s: DeploymentSummary): string {
  const parts = [s.status ?? 'UNKNOWN'];
  if (s.lifecycleStage) parts.push(s.lifecycleStage);
  if (s.productionTraffic) parts.push(`production green ${s.productionTraffic.green}%`);
  const waiting = s.hooks.filter((h) => h.status === 'AWAITING_ACTION' || h.status === 'IN_PROGRESS');
  for (const h of waiting) {
    parts.push(h.type === 'PAUSE' ? `paused (${h.status})` : `hook ${shortFunction(h.target)} ${h.status}`);
  }
  return parts.join(' | ');
}
