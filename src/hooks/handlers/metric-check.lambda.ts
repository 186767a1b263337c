// Built-in hook: watches CloudWatch alarms (and optionally one metric against a threshold) for a
// window; FAILED as soon as an alarm is in ALARM or the metric crosses the threshold, SUCCEEDED
// once the window has passed quietly. An alarm it cannot see is FAILED too: a deleted, misspelled
// or undescribable alarm must not pass for a quiet one. When CloudWatch cannot be read (5xx,
// network, throttling beyond the retries), the check polls again until the window has passed, then
// answers FAILED with the error: a quiet window is never concluded from data it could not read.
import { CloudWatchClient, DescribeAlarmsCommand, GetMetricDataCommand } from '@aws-sdk/client-cloudwatch';
import { handlerClientConfig } from '../../private/retry';
import { HookContext, failed, hookHandler, hookStartTime, inProgress, log, readFailed, succeeded, trafficAwayFromTarget, withRetry } from '../runtime';

export interface MetricCheckDetails {
  alarmNames?: string[];
  metric?: { namespace: string; metricName: string; dimensions?: Record<string, string>; statistic?: string; periodSeconds?: number };
  threshold?: number;
  comparison?: 'GreaterThanThreshold' | 'LessThanThreshold';
  windowMinutes?: number;
  pollSeconds?: number;
  _startedAt?: number;
}

// Transient errors are retried by withRetry (logged, bounded by the Lambda's time, testable), not by the SDK.
const cloudwatch = new CloudWatchClient(handlerClientConfig());

/** DescribeAlarms takes at most 100 names (CloudWatch API reference, AlarmNames). */
const MAX_ALARM_NAMES = 100;
/** DescribeAlarms returns at most 100 alarms per page (MaxRecords 1–100); more come with NextToken. */
const PAGE_SIZE = 100;
/** 100 names fit in one or two pages; a longer chain of NextTokens is a fault, not data. */
const MAX_PAGES = 10;

export const handler = hookHandler<MetricCheckDetails>(async (event, context) => {
  const away = trafficAwayFromTarget(event);
  if (away) {
    log('info', 'nothing of green to check', { reason: away });
    return succeeded();
  }
  const d = event.hookDetails ?? {};
  const alarmNames = Array.isArray(d.alarmNames) ? [...new Set(d.alarmNames.filter((n) => typeof n === 'string' && n.length > 0))] : [];
  if (alarmNames.length > MAX_ALARM_NAMES) {
    return failed(`metric check watches at most ${MAX_ALARM_NAMES} alarms (DescribeAlarms' limit), got ${alarmNames.length}`);
  }
  const metric = d.metric;
  if (metric !== undefined && (metric === null || typeof metric !== 'object' || typeof metric.namespace !== 'string' || typeof metric.metricName !== 'string')) {
    return failed(`metric check has an invalid metric (needs namespace and metricName): ${JSON.stringify(metric)?.slice(0, 200)}`);
  }
  if (alarmNames.length === 0 && !metric) return failed('metric check has neither alarmNames nor metric');
  const now = Date.now();
  const startedAt = hookStartTime(d._startedAt, now);
  const windowMs = Math.min(1440, Math.max(1, Number(d.windowMinutes) || 10)) * 60_000;
  const poll = Math.min(900, Math.max(10, Number(d.pollSeconds) || 60));
  // Only the settings are carried to the next invocation, not whatever else hookDetails held.
  const state: MetricCheckDetails = {
    alarmNames: d.alarmNames,
    metric: d.metric,
    threshold: d.threshold,
    comparison: d.comparison,
    windowMinutes: d.windowMinutes,
    pollSeconds: d.pollSeconds,
    _startedAt: startedAt,
  };

  let problem: string | undefined;
  try {
    // Only the window matters, however long ago the state says the check started.
    problem = await check(d, alarmNames, Math.max(startedAt, now - windowMs), now, context);
  } catch (err) {
    return readFailed(err, { what: 'metric check: reading CloudWatch', now, deadline: startedAt + windowMs, callBackDelay: poll, state: state as Record<string, unknown> });
  }
  if (problem) return failed(problem);
  if (now - startedAt >= windowMs) {
    log('info', 'metric check window passed', { windowMinutes: windowMs / 60_000 });
    return succeeded();
  }
  return inProgress(Math.min(poll, Math.ceil((startedAt + windowMs - now) / 1000)), state as Record<string, unknown>);
});

/**
 * Why the deployment must roll back: an alarm in ALARM or missing, or the metric across the
 * threshold since `from`; undefined when all is quiet. AWS errors are thrown (after withRetry).
 */
async function check(d: MetricCheckDetails, alarmNames: string[], from: number, now: number, context: HookContext): Promise<string | undefined> {
  if (alarmNames.length > 0) {
    const problem = await alarmProblem(alarmNames, context);
    if (problem) return problem;
  }
  const metric = d.metric;
  if (!metric) return undefined;
  const threshold = Number(d.threshold);
  if (!Number.isFinite(threshold)) return 'metric check needs a numeric threshold';
  // Whole minutes from 1 minute to 1 day (CloudWatch periods of 60 s and more are multiples of 60).
  const period = Math.min(86_400, Math.max(60, Math.round((Number(metric.periodSeconds) || 60) / 60) * 60));
  const dimensions = metric.dimensions && typeof metric.dimensions === 'object' ? Object.entries(metric.dimensions) : [];
  const data = await withRetry(() => cloudwatch.send(new GetMetricDataCommand({
    StartTime: new Date(from - period * 1000),
    EndTime: new Date(now),
    MetricDataQueries: [{
      Id: 'm',
      MetricStat: {
        Metric: {
          Namespace: metric.namespace,
          MetricName: metric.metricName,
          Dimensions: dimensions.filter(([, v]) => typeof v === 'string').map(([Name, Value]) => ({ Name, Value })),
        },
        Period: period,
        Stat: typeof metric.statistic === 'string' ? metric.statistic : 'Average',
      },
    }],
  })), 5, 100, context);
  const values = data.MetricDataResults?.[0]?.Values ?? [];
  const below = d.comparison === 'LessThanThreshold';
  const crossing = values.find((v) => (below ? v < threshold : v > threshold));
  return crossing === undefined ? undefined : `${metric.namespace}/${metric.metricName} was ${crossing}, ${below ? 'below' : 'above'} the threshold ${threshold}`;
}

/**
 * Reads the states of the named alarms, metric and composite, through every page. Returns why the
 * deployment must roll back (alarms in ALARM, alarms that were not returned), or undefined.
 * Without AlarmTypes, DescribeAlarms returns metric alarms only; composite alarms are returned
 * only to callers allowed cloudwatch:DescribeAlarms on * (CloudWatch API reference,
 * DescribeAlarms), so a composite alarm the role may not describe is missing, not quiet.
 */
async function alarmProblem(names: string[], context: HookContext): Promise<string | undefined> {
  const states = new Map<string, string | undefined>();
  let token: string | undefined;
  let pages = 0;
  do {
    const page = await withRetry(() => cloudwatch.send(new DescribeAlarmsCommand({
      AlarmNames: names,
      AlarmTypes: ['MetricAlarm', 'CompositeAlarm'],
      MaxRecords: PAGE_SIZE,
      NextToken: token,
    })), 5, 100, context);
    for (const alarm of [...(page.MetricAlarms ?? []), ...(page.CompositeAlarms ?? [])]) {
      if (typeof alarm.AlarmName === 'string') states.set(alarm.AlarmName, alarm.StateValue);
    }
    token = typeof page.NextToken === 'string' && page.NextToken !== '' ? page.NextToken : undefined;
    pages++;
  } while (token && pages < MAX_PAGES);
  if (token) return `DescribeAlarms returned more than ${MAX_PAGES} pages for ${names.length} alarm names; cannot read every alarm`;
  const firing = names.filter((n) => states.get(n) === 'ALARM');
  const missing = names.filter((n) => !states.has(n));
  const problems: string[] = [];
  if (firing.length > 0) problems.push(`alarm(s) in ALARM: ${firing.join(', ')}`);
  if (missing.length > 0) {
    problems.push(`alarm(s) not found: ${missing.join(', ')} (deleted or misspelled, or composite alarms this function may not read: ` +
      'CloudWatch returns composite alarms only to roles allowed cloudwatch:DescribeAlarms on *)');
  }
  return problems.length > 0 ? problems.join('; ') : undefined;
}
