// Built-in hook: watches CloudWatch alarms (and optionally one metric against a threshold) for a
// window; FAILED as soon as an alarm is in ALARM or the metric crosses the threshold, SUCCEEDED
// once the window has passed quietly.
import { CloudWatchClient, DescribeAlarmsCommand, GetMetricDataCommand } from '@aws-sdk/client-cloudwatch';
import { failed, hookHandler, inProgress, log, succeeded, withRetry } from '../runtime';

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

export const handler = hookHandler<MetricCheckDetails>(async (event) => {
  const d = event.hookDetails ?? {};
  const alarmNames = Array.isArray(d.alarmNames) ? d.alarmNames.filter((n) => typeof n === 'string').slice(0, 100) : [];
  if (alarmNames.length === 0 && !d.metric) return failed('metric check has neither alarmNames nor metric');
  const now = Date.now();
  const startedAt = Number(d._startedAt) > 0 ? Number(d._startedAt) : now;
  const windowMs = Math.max(1, Number(d.windowMinutes) || 10) * 60_000;

  if (alarmNames.length > 0) {
    const alarms = await withRetry(() => cloudwatch.send(new DescribeAlarmsCommand({ AlarmNames: alarmNames })));
    const firing = [...(alarms.MetricAlarms ?? []), ...(alarms.CompositeAlarms ?? [])].filter((a) => a.StateValue === 'ALARM');
    if (firing.length > 0) return failed(`alarm(s) in ALARM: ${firing.map((a) => a.AlarmName).join(', ')}`);
  }
  const metric = d.metric;
  if (metric) {
    const threshold = Number(d.threshold);
    if (!Number.isFinite(threshold)) return failed('metric check needs a numeric threshold');
    const period = Math.max(60, Number(metric.periodSeconds) || 60);
    const data = await withRetry(() => cloudwatch.send(new GetMetricDataCommand({
      StartTime: new Date(startedAt - period * 1000),
      EndTime: new Date(now),
      MetricDataQueries: [{
        Id: 'm',
        MetricStat: {
          Metric: {
            Namespace: metric.namespace,
            MetricName: metric.metricName,
            Dimensions: Object.entries(metric.dimensions ?? {}).map(([Name, Value]) => ({ Name, Value })),
          },
          Period: period,
          Stat: metric.statistic ?? 'Average',
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
  return inProgress(Math.min(poll, Math.ceil((startedAt + windowMs - now) / 1000)), { ...d, _startedAt: startedAt } as Record<string, unknown>);
});
