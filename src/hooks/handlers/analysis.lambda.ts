// Built-in hook: analyses the green revision from its target group's metrics. Each measurement is
// one period of CloudWatch ALB metrics (per TargetGroup and LoadBalancer): green's target 5xx rate
// and p99 TargetResponseTime against absolute thresholds and against blue's in the same period.
// Too few green requests make a measurement inconclusive. N passing measurements in a row answer
// SUCCEEDED, more failing ones than the limit FAILED; the state between invocations is the next
// period to measure and the counts, so a repeated invocation measures nothing twice. When ECS or
// CloudWatch cannot be read (5xx, network, throttling beyond the retries), the state is kept as it
// was (the same periods are read next time) and the error becomes the last verdict, which the
// timeout's FAILED names.
import { CloudWatchClient, GetMetricDataCommand, MetricDataQuery } from '@aws-sdk/client-cloudwatch';
import { DescribeServiceRevisionsCommand, ECSClient } from '@aws-sdk/client-ecs';
import {
  HookContext, describeError, failed, hookHandler, hookStartTime, inProgress, log, readFailed, succeeded, trafficAwayFromTarget, withRetry,
} from '../runtime';
import { AnalysisSettings, Measurement, measure, settingsOf } from './analysis-verdict';
import { handlerClientConfig } from '../../private/retry';

export interface AnalysisState {
  /** When the analysis started (ms). */
  startedAt: number;
  /** Start (ms) of the next period to measure. */
  next?: number;
  /** Index in targetGroupArns of the target group that holds green. */
  green?: number;
  passes: number;
  failures: number;
  /** The last measurement's verdict, for the timeout message. */
  last?: string;
}

export interface AnalysisDetails extends Partial<Record<keyof AnalysisSettings, unknown>> {
  loadBalancer?: unknown;
  targetGroupArns?: unknown;
  targetGroupNames?: unknown;
  _state?: AnalysisState;
}

// Transient errors are retried by withRetry (logged, bounded by the Lambda's time, testable), not by the SDK.
const cloudwatch = new CloudWatchClient(handlerClientConfig());
const ecs = new ECSClient(handlerClientConfig());

/** ELB publishes a minute's metrics within about a minute; a period is read once it ended this long ago. */
export const PUBLISH_DELAY_MS = 120_000;
/** At most this many periods are read per invocation (invocations that were delayed catch up). */
const MAX_PERIODS = 60;

export const handler = hookHandler<AnalysisDetails>(async (event, context) => {
  const d = event.hookDetails ?? {};
  const s = settingsOf(d as Record<string, unknown>);
  if (typeof s === 'string') return failed(`analysis: ${s}`);
  const arns = d.targetGroupArns;
  const names = d.targetGroupNames;
  if (typeof d.loadBalancer !== 'string' || !pair(arns) || !pair(names)) {
    return failed('analysis needs loadBalancer and the two target groups (targetGroupArns, targetGroupNames) of the service');
  }
  const away = trafficAwayFromTarget(event);
  if (away) {
    log('info', 'nothing of green to judge', { reason: away });
    return succeeded();
  }
  const now = Date.now();
  const state: AnalysisState = {
    startedAt: hookStartTime(d._state?.startedAt, now),
    next: finite(d._state?.next),
    green: d._state?.green === 0 || d._state?.green === 1 ? d._state.green : undefined,
    passes: Math.max(0, Math.floor(finite(d._state?.passes) ?? 0)),
    failures: Math.max(0, Math.floor(finite(d._state?.failures) ?? 0)),
    last: typeof d._state?.last === 'string' ? d._state.last.slice(0, 300) : undefined,
  };
  const deadline = state.startedAt + s.timeoutMinutes * 60_000;
  const unreadable = (err: unknown, what: string) => {
    state.last = `${what} failed: ${describeError(err)}`;
    return readFailed(err, { what: `analysis: ${what}`, now, deadline, callBackDelay: s.intervalSeconds, state: { ...settingsDetails(d), _state: state } as Record<string, unknown> });
  };
  if (state.green === undefined) {
    let green: number | string;
    try {
      green = await greenTargetGroup(event.executionDetails.targetServiceRevisionArn, arns, context);
    } catch (err) {
      return unreadable(err, 'DescribeServiceRevisions');
    }
    if (typeof green === 'string') return failed(`analysis: ${green}`);
    state.green = green;
  }
  if (now >= deadline) {
    return failed(`analysis reached no verdict in ${s.timeoutMinutes} minutes: ${state.passes} of ${s.measurements} passing measurements in a row` +
      `${state.last ? `; last: ${state.last}` : ''}`);
  }
  const period = s.intervalSeconds * 1000;
  // The first period starts after the analysis did: green is judged by what it served since.
  const from = Math.max(state.next ?? 0, Math.ceil(state.startedAt / period) * period);
  const count = Math.min(MAX_PERIODS, Math.floor((now - PUBLISH_DELAY_MS - from) / period));
  if (count >= 1) {
    let series: Series;
    try {
      series = await readSeries(d.loadBalancer, names, state.green, from, count, period, context);
    } catch (err) {
      return unreadable(err, 'GetMetricData');
    }
    for (let i = 0; i < count; i++) {
      const t = from + i * period;
      const m = measure(s, at(series, 'g', t), at(series, 'b', t));
      const answer = record(s, state, m, new Date(t).toISOString());
      if (answer) return answer;
    }
    state.next = from + count * period;
  } else {
    state.next = from;
  }
  const wait = Math.ceil((state.next + period + PUBLISH_DELAY_MS - now) / 1000);
  return inProgress(Math.min(900, Math.max(10, wait)), { ...settingsDetails(d), _state: state } as Record<string, unknown>);
});

/** Counts a measurement; returns the hook's answer when the analysis is decided. */
function record(s: AnalysisSettings, state: AnalysisState, m: Measurement, when: string) {
  log('info', 'measurement', { period: when, verdict: m.verdict, reason: m.reason, green: m.green, blue: m.blue });
  state.last = `${when} ${m.verdict}: ${m.reason}`;
  if (m.verdict === 'pass') {
    state.passes++;
    if (state.passes >= s.measurements) {
      log('info', 'analysis passed', { measurements: state.passes, failures: state.failures });
      return succeeded();
    }
    return undefined;
  }
  state.passes = 0;
  if (m.verdict === 'fail') {
    state.failures++;
    if (state.failures > s.failureLimit) return failed(`analysis failed (${state.failures} failing measurement(s), limit ${s.failureLimit}): ${state.last}`);
    return undefined;
  }
  if (s.onInconclusive === 'FAILED') return failed(`analysis inconclusive: ${state.last}`);
  if (s.onInconclusive === 'SUCCEEDED') {
    log('info', 'analysis inconclusive; succeeding as configured', { last: state.last });
    return succeeded();
  }
  return undefined;
}

/** Index (0 or 1) of the target group holding the target revision, from ECS's resolved configuration. */
async function greenTargetGroup(revisionArn: unknown, arns: [string, string], context: HookContext): Promise<number | string> {
  if (typeof revisionArn !== 'string' || revisionArn === '') return 'the event has no targetServiceRevisionArn';
  const out = await withRetry(() => ecs.send(new DescribeServiceRevisionsCommand({ serviceRevisionArns: [revisionArn] })), 5, 100, context);
  const revision = out.serviceRevisions?.find((r) => r.serviceRevisionArn === revisionArn) ?? out.serviceRevisions?.[0];
  const used = (revision?.resolvedConfiguration?.loadBalancers ?? []).map((lb) => lb.targetGroupArn);
  const index = arns.findIndex((arn) => used.includes(arn));
  if (index < 0) {
    const failure = out.failures?.[0];
    return failure
      ? `cannot describe ${revisionArn}: ${failure.reason ?? 'unknown'} ${failure.detail ?? ''}`.trim()
      : `ECS does not say which of the service's target groups ${revisionArn} uses (resolved target groups: ${used.join(', ') || 'none'})`;
  }
  return index;
}

type Series = Record<string, Map<number, number>>;

/** 5xx count, request count and p99 response time of green (g) and blue (b), per period start. */
async function readSeries(lb: string, names: [string, string], green: number, from: number, count: number, period: number,
  context: HookContext): Promise<Series> {
  const tg = { g: names[green], b: names[1 - green] };
  const queries: MetricDataQuery[] = [];
  for (const [who, name] of Object.entries(tg)) {
    for (const [id, metricName, stat] of [['e', 'HTTPCode_Target_5XX_Count', 'Sum'], ['r', 'RequestCount', 'Sum'], ['l', 'TargetResponseTime', 'p99']]) {
      queries.push({
        Id: `${who}${id}`,
        MetricStat: {
          Metric: { Namespace: 'AWS/ApplicationELB', MetricName: metricName, Dimensions: [{ Name: 'TargetGroup', Value: name }, { Name: 'LoadBalancer', Value: lb }] },
          Period: period / 1000,
          Stat: stat,
        },
      });
    }
  }
  const series: Series = {};
  let token: string | undefined;
  do {
    const out = await withRetry(() => cloudwatch.send(new GetMetricDataCommand({
      StartTime: new Date(from), EndTime: new Date(from + count * period), MetricDataQueries: queries, ScanBy: 'TimestampAscending', NextToken: token,
    })), 5, 100, context);
    for (const r of out.MetricDataResults ?? []) {
      const m = series[r.Id ?? ''] ?? (series[r.Id ?? ''] = new Map());
      (r.Timestamps ?? []).forEach((ts, i) => m.set(new Date(ts).getTime(), Number(r.Values?.[i])));
    }
    token = out.NextToken || undefined;
  } while (token);
  return series;
}

function at(series: Series, who: 'g' | 'b', t: number) {
  return { errors: series[`${who}e`]?.get(t), requests: series[`${who}r`]?.get(t), p99: series[`${who}l`]?.get(t) };
}

function pair(x: unknown): x is [string, string] {
  return Array.isArray(x) && x.length === 2 && x.every((v) => typeof v === 'string' && v.length > 0);
}

function finite(x: unknown): number | undefined {
  const n = Number(x);
  return x !== undefined && x !== null && Number.isFinite(n) ? n : undefined;
}

/** The settings the next invocation needs (unknown fields of hookDetails are not carried along). */
function settingsDetails(d: AnalysisDetails): AnalysisDetails {
  const {
    loadBalancer, targetGroupArns, targetGroupNames, maxErrorRate, maxErrorRateRatio, maxLatencyMs, maxLatencyRatio, minRequests,
    intervalSeconds, measurements, failureLimit, onInconclusive, timeoutMinutes,
  } = d;
  return {
    loadBalancer,
    targetGroupArns,
    targetGroupNames,
    maxErrorRate,
    maxErrorRateRatio,
    maxLatencyMs,
    maxLatencyRatio,
    minRequests,
    intervalSeconds,
    measurements,
    failureLimit,
    onInconclusive,
    timeoutMinutes,
  };
}
