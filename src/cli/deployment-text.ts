// Rendering a deployment summary (deployments.ts) as text: the `status` page, the one-line progress
// of `status --watch` and `wait`, and the commands to run next.
import { PROGRAM } from './command';
import { BakeTimeSummary, DEFAULT_APPROVAL_PREFIX, DeploymentSummary, HookSummary, TrafficSplit } from './deployments';
import { columns, formatDuration, table } from './terminal';

function traffic(t: TrafficSplit | null): string | undefined {
  return t ? `green ${t.green}%, blue ${t.blue}%` : undefined;
}

function shortRevision(arn: string | null | undefined): string | undefined {
  if (!arn) return undefined;
  const i = arn.indexOf(':service-revision/');
  return i >= 0 ? arn.slice(i + 1) : arn;
}

function shortFunction(arn: string | null | undefined): string {
  if (!arn) return '';
  return /:function:([^:]+)/.exec(arn)?.[1] ?? arn;
}

/** `listener-rule/app/web/0123/4567/89ab`, `service/svc-1/listener/listener-2/rule/rule-3`. */
function shortResource(arn: string): string {
  const resource = arn.split(':').slice(5).join(':');
  return resource || arn;
}

/** A target group's name (ELB: `targetgroup/<name>/<id>`) or ID (VPC Lattice). */
function shortTargetGroup(arn: string): string {
  const elb = /:targetgroup\/([^/]+)\//.exec(arn);
  if (elb) return elb[1];
  return arn.split('/').pop() ?? arn;
}

function ago(iso: string | null, now: number): string | undefined {
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
  const gate = s.hooks.find((h) => h.approvalParameterPrefix !== null && h.status === 'IN_PROGRESS');
  if (gate) {
    const prefix = gate.approvalParameterPrefix !== DEFAULT_APPROVAL_PREFIX ? ` --parameter-prefix ${gate.approvalParameterPrefix}` : '';
    steps.push(`${PROGRAM} approve ${target}${prefix}`, `${PROGRAM} reject ${target}${prefix}`);
  }
  return steps;
}

/** `15m, 9m-9m 15s left`, `15m, time left unknown (...)`, or `15m`. */
export function bakeText(b: BakeTimeSummary | null): string | undefined {
  if (!b) return undefined;
  const total = formatDuration(b.minutes * 60_000);
  if (b.basis === 'observed') return `${total}, ${bakeLeft(b)} left`;
  if (b.basis === 'unknown') return `${total}, time left unknown (ECS does not report when baking began; status --watch and wait bound it once they see BAKE_TIME begin)`;
  return total;
}

function bakeLeft(b: BakeTimeSummary): string {
  const most = formatDuration((b.remainingSecondsAtMost ?? 0) * 1000);
  const least = formatDuration((b.remainingSecondsAtLeast ?? 0) * 1000);
  return most === least ? most : `${least} to ${most}`;
}

/** One line per production or test rule: its target groups and their share of the rule's traffic. */
export function rulesText(s: DeploymentSummary): string[] {
  const rows = s.trafficRules.map((r) => [
    r.traffic,
    shortResource(r.arn),
    r.error !== null ? `unknown (${r.error})` : r.targetGroups.map((g) =>
      `${shortTargetGroup(g.arn)} ${g.percent === null ? 'unknown' : `${g.percent}%`}${g.role !== 'other' ? ` (${g.role})` : ''}`).join(', '),
  ]);
  const lines = rows.length ? [columns(rows)] : [];
  if (s.trafficRulesError !== null) lines.push(`  unknown (${s.trafficRulesError})`);
  return lines;
}

/** The text form of `status`. */
export function renderStatus(s: DeploymentSummary, cluster: string, service: string, now: number): string {
  const t = s.targetRevision;
  const tasks = t ? `${t.runningTaskCount ?? 0}/${t.requestedTaskCount ?? 0} running${t.pendingTaskCount ? `, ${t.pendingTaskCount} pending` : ''}` +
    (t.arn ? ` (${shortRevision(t.arn)})` : '') : undefined;
  const cb = s.circuitBreaker?.status
    ? `${s.circuitBreaker.status}${s.circuitBreaker.threshold !== null ? ` (${s.circuitBreaker.failureCount ?? 0} of ${s.circuitBreaker.threshold} failed tasks)` : ''}`
    : undefined;
  const alarms = s.alarms?.status && s.alarms.status !== 'DISABLED'
    ? `${s.alarms.status}${s.alarms.alarmNames.length ? `: ${s.alarms.alarmNames.join(', ')}` : ''}` +
      (s.alarms.triggeredAlarmNames.length ? ` (fired: ${s.alarms.triggeredAlarmNames.join(', ')})` : '')
    : undefined;
  const lines = [table([
    ['Service', `${service} in cluster ${cluster}`],
    ['Deployment', s.serviceDeploymentArn ?? undefined],
    ['Status', (s.status ?? 'UNKNOWN') + (s.statusReason ? ` (${s.statusReason})` : '')],
    ['Strategy', s.strategyDescription ?? undefined],
    ['Stage', s.lifecycleStage ?? undefined],
    ['Production', traffic(s.productionTraffic)],
    ['Test', traffic(s.testTraffic)],
    ['Green tasks', tasks],
    ['Started', ago(s.startedAt ?? s.createdAt, now)],
    ['Finished', s.finishedAt ?? s.stoppedAt ?? undefined],
    ['Bake time', bakeText(s.bakeTime)],
    ['Circuit breaker', cb],
    ['Alarms', alarms],
    ['Rollback', s.rollback ? `${s.rollback.reason ?? 'yes'}${s.rollback.startedAt ? ` (started ${s.rollback.startedAt})` : ''}` : undefined],
  ])];
  const rules = rulesText(s);
  if (rules.length > 0) lines.push('Rules (weights now)', ...rules);
  if (s.hooks.length > 0) {
    lines.push('Hooks', columns(s.hooks.map((h) => [
      h.type,
      h.status ?? '',
      h.type === 'PAUSE' ? pauseLabel(h) : shortFunction(h.target),
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

/**
 * Whether a PAUSE hook is the operator bake a DeploymentStrategy's `operatorBake` renders: at
 * POST_PRODUCTION_TRAFFIC_SHIFT, going on when it times out. `continue` ends it early.
 */
function isOperatorBake(h: HookSummary): boolean {
  return h.type === 'PAUSE' && (h.stages ?? []).includes('POST_PRODUCTION_TRAFFIC_SHIFT') && h.timeoutAction === 'CONTINUE';
}

function pauseLabel(h: HookSummary): string {
  return isOperatorBake(h) ? 'operator bake' : 'pause';
}

function hookExpiry(h: HookSummary): string {
  if (h.expiresInBasis === 'inactive') return '';
  const parts: string[] = [];
  if (h.expiresInSeconds !== null) parts.push(`expires in ${formatDuration(h.expiresInSeconds * 1000)} (${h.expiresAt})`);
  else parts.push('time left unknown (ECS reports no expiresAt)');
  parts.push(`then ${h.timeoutAction ?? 'unknown'}`);
  if (h.hookId && h.status === 'AWAITING_ACTION') parts.push(`hook id ${h.hookId}`);
  return parts.join(', ');
}

/** One line for progress displays (nothing in it changes with the clock alone). */
export function statusLine(s: DeploymentSummary): string {
  const parts = [s.status ?? 'UNKNOWN'];
  if (s.lifecycleStage) parts.push(s.lifecycleStage);
  if (s.productionTraffic) parts.push(`production green ${s.productionTraffic.green}%`);
  for (const r of s.trafficRules) {
    parts.push(`${r.traffic} rule ${r.error !== null ? 'unknown' : r.targetGroups.map((g) => `${shortTargetGroup(g.arn)} ${g.percent ?? '?'}%`).join(' / ')}`);
  }
  const waiting = s.hooks.filter((h) => h.expiresInBasis !== 'inactive');
  for (const h of waiting) {
    parts.push(h.type === 'PAUSE' ? `${isOperatorBake(h) ? 'operator bake' : 'paused'} (${h.status})` : `hook ${shortFunction(h.target)} ${h.status}`);
  }
  return parts.join(' | ');
}

/**
 * The facts that change with the clock alone (a hook's time left, the bake time left), for the
 * progress display: shown beside statusLine() without making a new line in CI logs.
 */
export function clockLine(s: DeploymentSummary): string {
  const parts: string[] = [];
  for (const h of s.hooks.filter((x) => x.expiresInBasis !== 'inactive')) {
    const who = h.type === 'PAUSE' ? pauseLabel(h) : shortFunction(h.target);
    const left = h.expiresInSeconds !== null ? formatDuration(h.expiresInSeconds * 1000) : 'unknown';
    parts.push(`${who} times out in ${left} (then ${h.timeoutAction ?? 'unknown'})`);
  }
  if (s.bakeTime && s.bakeTime.basis !== 'inactive') {
    parts.push(`bake ${s.bakeTime.basis === 'observed' ? `${bakeLeft(s.bakeTime)} left` : 'time left unknown'}`);
  }
  return parts.join(', ');
}
