// A CloudWatch stand-in for the hook handler tests that answers by the request, as CloudWatch
// does: DescribeAlarms returns only the alarms asked for, of the types asked for, a page at a
// time; GetMetricData answers each query by its metric, dimensions, statistic and period.
import {
  CloudWatchClient, DescribeAlarmsCommand, DescribeAlarmsCommandInput, DescribeAlarmsCommandOutput,
  GetMetricDataCommand, GetMetricDataCommandInput, GetMetricDataCommandOutput,
} from '@aws-sdk/client-cloudwatch';
import { AwsClientStub } from 'aws-sdk-client-mock';

/** An alarm of the fake account. */
export interface FakeAlarm {
  readonly name: string;
  readonly state: 'OK' | 'ALARM' | 'INSUFFICIENT_DATA';
  /** A composite alarm (returned only when AlarmTypes asks for CompositeAlarm). @default false */
  readonly composite?: boolean;
}

/**
 * Page size when the request gives no MaxRecords. Our handlers always set MaxRecords; a small
 * page here makes a request without it show up as a missing alarm in the tests.
 */
const UNSET_PAGE_SIZE = 50;

/**
 * DescribeAlarms over `alarms`: filtered by AlarmNames (or AlarmNamePrefix) and AlarmTypes
 * (metric alarms only when AlarmTypes is omitted, as CloudWatch documents), paged by MaxRecords
 * with NextToken (the index of the next alarm).
 */
export function describeAlarms(alarms: FakeAlarm[], input: DescribeAlarmsCommandInput, pageLimit = Infinity): DescribeAlarmsCommandOutput {
  const types = input.AlarmTypes && input.AlarmTypes.length > 0 ? input.AlarmTypes : ['MetricAlarm'];
  const matching = alarms.filter((a) =>
    (input.AlarmNames ? input.AlarmNames.includes(a.name) : true)
    && (input.AlarmNamePrefix ? a.name.startsWith(input.AlarmNamePrefix) : true)
    && types.includes(a.composite ? 'CompositeAlarm' : 'MetricAlarm'));
  const start = input.NextToken ? Number(input.NextToken) : 0;
  const size = Math.min(input.MaxRecords ?? UNSET_PAGE_SIZE, pageLimit);
  const page = matching.slice(start, start + size);
  const next = start + size < matching.length ? String(start + size) : undefined;
  return {
    MetricAlarms: page.filter((a) => !a.composite).map((a) => ({ AlarmName: a.name, StateValue: a.state })),
    CompositeAlarms: page.filter((a) => a.composite).map((a) => ({ AlarmName: a.name, StateValue: a.state })),
    NextToken: next,
    $metadata: {},
  };
}

/**
 * Makes the mocked client answer DescribeAlarms from `alarms`; `pageLimit` makes pages smaller
 * than MaxRecords asks (a service may return fewer records than the maximum).
 */
export function answerDescribeAlarms(cw: AwsClientStub<CloudWatchClient>, alarms: FakeAlarm[], pageLimit?: number): void {
  cw.on(DescribeAlarmsCommand).callsFake((input: DescribeAlarmsCommandInput) => describeAlarms(alarms, input, pageLimit));
}

/** One series of the fake account: a metric with its dimensions, statistic and period. */
export interface FakeSeries {
  readonly namespace: string;
  readonly metricName: string;
  readonly dimensions: Record<string, string>;
  readonly stat: string;
  readonly period: number;
  /** Datapoints: [timestamp in ms, value]. */
  readonly points: Array<[number, number]>;
}

/**
 * GetMetricData over `series`: each MetricStat query gets the datapoints of the series with the
 * same namespace, metric name, dimensions (all of them, no more), statistic and period, between
 * StartTime (inclusive) and EndTime (exclusive), newest first; a query that matches no series gets
 * no values, as CloudWatch answers for a metric without data.
 */
export function getMetricData(series: FakeSeries[], input: GetMetricDataCommandInput): GetMetricDataCommandOutput {
  const from = new Date(input.StartTime as Date).getTime();
  const to = new Date(input.EndTime as Date).getTime();
  return {
    MetricDataResults: (input.MetricDataQueries ?? []).map((q) => {
      const stat = q.MetricStat;
      const dims = Object.fromEntries((stat?.Metric?.Dimensions ?? []).map((d) => [d.Name, d.Value]));
      const found = series.find((s) => stat
        && s.namespace === stat.Metric?.Namespace && s.metricName === stat.Metric?.MetricName
        && s.stat === stat.Stat && s.period === stat.Period
        && Object.keys(dims).length === Object.keys(s.dimensions).length
        && Object.entries(s.dimensions).every(([k, v]) => dims[k] === v));
      const points = (found?.points ?? []).filter(([t]) => t >= from && t < to).sort(([a], [b]) => b - a);
      return { Id: q.Id, Timestamps: points.map(([t]) => new Date(t)), Values: points.map(([, v]) => v), StatusCode: 'Complete' };
    }),
    $metadata: {},
  };
}

/** Makes the mocked client answer GetMetricData from `series`. */
export function answerGetMetricData(cw: AwsClientStub<CloudWatchClient>, series: FakeSeries[]): void {
  cw.on(GetMetricDataCommand).callsFake((input: GetMetricDataCommandInput) => getMetricData(series, input));
}
