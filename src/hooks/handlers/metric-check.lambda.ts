// Built-in hook: watches CloudWatch alarms (and optionally one metric against a threshold) for a
// window; FAILED as soon as an alarm is in ALARM or the metric crosses the threshold, SUCCEEDED
// once the window has passed quietly.
import { CloudWatchClient, DescribeAlarmsCommand, GetMetricDataCommand } from '@aws-sdk/client-cloudwatch';
import { failed, hookHandler, hookStartTime, inProgress, log, succeeded, withRetry } from '../runtime';

export interface MetricCheckDetails {
  alarmNames?: string[];
  metric?: { namespace: string; metricName: string; dimensions?: Record<string, string>; statistic?: string; periodSeconds?: number };
  threshold?: number;
  comparison?: 'GreaterThanThreshold' | 'LessThanThreshold';
  windowMinutes?: number;
  pollSeconds?: number;
  _startedAt?: number;
}

// Throttling is retried by withRetry (visible in logs and testable), not by the SDK.
const cloudwatch = new CloudWatchClient({ maxAttempts: 1 });

/** Clock difference between this Lambda and the time kept in the hook's state that is tolerated. */

export const handler = hookHandler<MetricCheckDetails>(async (event) => {
  const d = event.hookDetails ?? {};
  const alarmNames = Array.isArray(d.alarmNames) ? d.alarmNames.filter((n) => typeof n === 'string' && n.length > 0).slice(0, 100) : [];
  const metric = d.metric;
  if (metric !== undefined && (metric === null || typeof metric !== 'object' || typeof metric.namespace !== 'string' || typeof metric.metricName !== 'string')) {
    return failed(`metric check has an invalid metric (needs namespace and metricName): ${JSON.stringify(metric)?.slice(0, 200)}`);
  }
  if (alarmNames.length === 0 && !metric) return failed('metric check has neither alarmNames nor metric');
  const now = Date.now();
  const startedAt = hookStartTime(d._startedAt, now);
  const windowMs = Math.min(1440, Math.max(1, Number(d.windowMinutes) || 10)) * 60_000;

  if (alarmNames.length > 0) {
    const alarms = await withRetry(() => cloudwatch.send(new DescribeAlarmsCommand({ AlarmNames: alarmNames })));
    const firing = [...(alarms.MetricAlarms ?? []), ...(alarms.CompositeAlarms ?? [])].filter((a) => a.StateValue === 'ALARM');
    if (firing.length > 0) return failed(`alarm(s) in ALARM: ${firing.map((a) => a.AlarmName).join(', ')}`);
  }
  if (metric) {
    const threshold = Number(d.threshold);
    if (!Number.isFinite(threshold)) return failed('metric check needs a numeric threshold');
    // Whole minutes from 1 minute to 1 day (CloudWatch periods of 60 s and more are multiples of 60).
    const period = Math.min(86_400, Math.max(60, Math.round((Number(metric.periodSeconds) || 60) / 60) * 60));
    const dimensions = metric.dimensions && typeof metric.dimensions === 'object' ? Object.entries(metric.dimensions) : [];
    const data = await withRetry(() => cloudwatch.send(new GetMetricDataCommand({
      // Only the window matters, however long ago the state says the check started.
      StartTime: new Date(Math.max(startedAt, now - windowMs) - period * 1000),
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
    })));
    const values = data.MetricDataResults?.[0]?.Values ?? [];
    const below = d.comparison === 'LessThanThreshold';
    const crossing = values.find((v) => (below ? v < threshold : v > threshold));
    if (crossing !== undefined) {
      return failed(`${metric.namespace}/${metric.metricName} was ${crossing}, ${below ? 'below' : 'above'} the threshold ${threshold}`);
    }
  }
  if (now - startedAt >= windowMs) {
    log('info', 'metric check window passed', { windowMinutes: windowMs / 60_000 });
    return succeeded();
  }
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
  return inProgress(Math.min(poll, Math.ceil((startedAt + windowMs - now) / 1000)), state as Record<string, unknown>);
});

