// The analysis hook handler against a CloudWatch that answers by query (metric, dimensions,
// statistic, period, time range) and an ECS that answers DescribeServiceRevisions by ARN.
import { CloudWatchClient, GetMetricDataCommand } from '@aws-sdk/client-cloudwatch';
import { DescribeServiceRevisionsCommand, DescribeServiceRevisionsCommandInput, ECSClient } from '@aws-sdk/client-ecs';
import { mockClient } from 'aws-sdk-client-mock';
import { handler as analysis, PUBLISH_DELAY_MS } from '../../src/hooks/handlers/analysis.lambda';
import { FakeSeries, answerGetMetricData } from '../support/cloudwatch-mock';
import { BLUE_REVISION_ARN, GREEN_REVISION_ARN, stageEvent } from '../support/hook-events';

const LB = 'app/api/50dc6c495c0c9188';
const TG_ARNS = ['arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/api-a/1111', 'arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/api-b/2222'];
const TG_NAMES = ['targetgroup/api-a/1111', 'targetgroup/api-b/2222'];
const MINUTE = 60_000;
/** The analysis starts at T0 (a minute boundary); periods T0, T0+1min, ... are measured. */
const T0 = Date.UTC(2026, 11, 1, 12, 0, 0);

const cw = mockClient(CloudWatchClient);
const ecs = mockClient(ECSClient);
let reasons: string[];
let now: number;

/** ECS: the green revision's tasks are in `greenIndex`'s target group, blue's in the other. */
function answerRevisions(greenIndex: number) {
  ecs.on(DescribeServiceRevisionsCommand).callsFake((input: DescribeServiceRevisionsCommandInput) => {
    const tgOf: Record<string, string> = { [GREEN_REVISION_ARN]: TG_ARNS[greenIndex], [BLUE_REVISION_ARN]: TG_ARNS[1 - greenIndex] };
    const arns = input.serviceRevisionArns ?? [];
    return {
      serviceRevisions: arns.filter((a) => tgOf[a]).map((a) => ({
        serviceRevisionArn: a, resolvedConfiguration: { loadBalancers: [{ targetGroupArn: tgOf[a], productionListenerRule: 'arn:rule' }] },
      })),
      failures: arns.filter((a) => !tgOf[a]).map((a) => ({ arn: a, reason: 'MISSING' })),
    };
  });
}

interface Minute { requests: number; errors: number; p99: number }
/** The ALB metrics of a target group, one datapoint per minute from T0 (none for 0 requests). */
function tgSeries(tgIndex: number, minutes: Minute[]): FakeSeries[] {
  const dims = { TargetGroup: TG_NAMES[tgIndex], LoadBalancer: LB };
  const points = (f: (m: Minute) => number) => minutes
    .map((m, i) => [T0 + i * MINUTE, f(m)] as [number, number])
    .filter((_, i) => minutes[i].requests > 0);
  return [
    { namespace: 'AWS/ApplicationELB', metricName: 'RequestCount', dimensions: dims, stat: 'Sum', period: 60, points: points((m) => m.requests) },
    { namespace: 'AWS/ApplicationELB', metricName: 'HTTPCode_Target_5XX_Count', dimensions: dims, stat: 'Sum', period: 60, points: points((m) => m.errors).filter(([, v]) => v > 0) },
    { namespace: 'AWS/ApplicationELB', metricName: 'TargetResponseTime', dimensions: dims, stat: 'p99', period: 60, points: points((m) => m.p99) },
  ];
}

const repeat = (m: Minute, n = 10) => Array.from({ length: n }, () => m);
const healthy = { requests: 100, errors: 0, p99: 0.2 };
const blueBusy = { requests: 900, errors: 2, p99: 0.25 };

function details(extra: Record<string, unknown> = {}) {
  return { loadBalancer: LB, targetGroupArns: TG_ARNS, targetGroupNames: TG_NAMES, measurements: 5, ...extra };
}
const started = (overrides: Record<string, unknown> = {}) => ({ _state: { startedAt: T0, passes: 0, failures: 0, ...overrides } });

beforeEach(() => {
  cw.reset();
  ecs.reset();
  reasons = [];
  jest.spyOn(console, 'error').mockImplementation((line: string) => { reasons.push(JSON.parse(line).reason); });
  jest.spyOn(console, 'log').mockImplementation(() => undefined);
  jest.spyOn(console, 'warn').mockImplementation(() => undefined);
  now = T0 + 7 * MINUTE + PUBLISH_DELAY_MS; // periods T0 .. T0+6min are final
  jest.spyOn(Date, 'now').mockImplementation(() => now);
  answerRevisions(1);
});
afterEach(() => jest.restoreAllMocks());

describe('analysis handler', () => {
  test('green as healthy as blue: 5 passing measurements in a row are SUCCEEDED, read per target group', async () => {
    answerGetMetricData(cw, [...tgSeries(1, repeat(healthy)), ...tgSeries(0, repeat(blueBusy))]);
    expect(await analysis(stageEvent('PRODUCTION_TRAFFIC_SHIFT', { ...details(), ...started() }, { greenWeight: 10 }))).toEqual({ hookStatus: 'SUCCEEDED' });
    const input = cw.commandCalls(GetMetricDataCommand)[0].args[0].input;
    expect(input.StartTime).toEqual(new Date(T0));
    expect(input.MetricDataQueries!.map((q) => `${q.Id} ${q.MetricStat!.Metric!.MetricName} ${q.MetricStat!.Stat} ${q.MetricStat!.Period} ${q.MetricStat!.Metric!.Dimensions![0].Value}`))
      .toEqual([
        'ge HTTPCode_Target_5XX_Count Sum 60 targetgroup/api-b/2222', 'gr RequestCount Sum 60 targetgroup/api-b/2222', 'gl TargetResponseTime p99 60 targetgroup/api-b/2222',
        'be HTTPCode_Target_5XX_Count Sum 60 targetgroup/api-a/1111', 'br RequestCount Sum 60 targetgroup/api-a/1111', 'bl TargetResponseTime p99 60 targetgroup/api-a/1111',
      ]);
    expect(ecs.commandCalls(DescribeServiceRevisionsCommand)[0].args[0].input).toEqual({ serviceRevisionArns: [GREEN_REVISION_ARN] });
  });

  test('green is the target group ECS resolved for the green revision, whichever it is (ECS alternates them)', async () => {
    answerRevisions(0);
    // Target group A now holds green and fails; B (blue this time) is healthy.
    answerGetMetricData(cw, [...tgSeries(0, repeat({ requests: 100, errors: 20, p99: 0.2 })), ...tgSeries(1, repeat(blueBusy))]);
    expect((await analysis(stageEvent('PRODUCTION_TRAFFIC_SHIFT', { ...details(), ...started() }, { greenWeight: 10 }))).hookStatus).toBe('FAILED');
    expect(reasons[0]).toMatch(/green's 5xx rate 20\.00 % is above 5\.00 %/);
  });

  test('a 5xx rate under the absolute threshold but more than twice blue\'s fails', async () => {
    answerGetMetricData(cw, [
      ...tgSeries(1, repeat({ requests: 200, errors: 6, p99: 0.2 })),
      ...tgSeries(0, repeat({ requests: 1000, errors: 5, p99: 0.2 })),
    ]);
    expect((await analysis(stageEvent('PRODUCTION_TRAFFIC_SHIFT', { ...details(), ...started() }, { greenWeight: 20 }))).hookStatus).toBe('FAILED');
    expect(reasons[0]).toMatch(/green's 5xx rate 3\.00 % is more than 2 times blue's 0\.50 %/);
  });

  test('p99 latency: more than 1.5 times blue\'s, or above maxLatencyMs, fails', async () => {
    answerGetMetricData(cw, [...tgSeries(1, repeat({ requests: 100, errors: 0, p99: 0.9 })), ...tgSeries(0, repeat(blueBusy))]);
    expect((await analysis(stageEvent('PRODUCTION_TRAFFIC_SHIFT', { ...details(), ...started() }, { greenWeight: 10 }))).hookStatus).toBe('FAILED');
    expect(reasons[0]).toMatch(/green's p99 response time 900 ms is more than 1.5 times blue's 250 ms/);
    cw.reset();
    answerGetMetricData(cw, tgSeries(1, repeat({ requests: 100, errors: 0, p99: 0.9 })));
    expect((await analysis(stageEvent('PRODUCTION_TRAFFIC_SHIFT', { ...details({ maxLatencyMs: 500 }), ...started() }))).hookStatus).toBe('FAILED');
    expect(reasons[1]).toMatch(/green's p99 response time 900 ms is above 500 ms/);
  });

  test('blue serving nothing (all traffic on green): only the absolute thresholds apply', async () => {
    answerGetMetricData(cw, tgSeries(1, repeat({ requests: 1000, errors: 10, p99: 0.4 })));
    expect(await analysis(stageEvent('POST_PRODUCTION_TRAFFIC_SHIFT', { ...details(), ...started() }))).toEqual({ hookStatus: 'SUCCEEDED' });
  });

  test('failureLimit: a tolerated failing measurement breaks the run; the next one over the limit fails', async () => {
    const minutes = [healthy, healthy, { requests: 100, errors: 50, p99: 0.2 }, healthy, healthy, healthy, healthy];
    answerGetMetricData(cw, [...tgSeries(1, minutes), ...tgSeries(0, repeat(blueBusy))]);
    const tolerant = await analysis(stageEvent('PRODUCTION_TRAFFIC_SHIFT', { ...details({ failureLimit: 1 }), ...started() }, { greenWeight: 10 }));
    // 2 passes, 1 tolerated failure (run broken), then 4 passes: not yet 5 in a row.
    expect(tolerant).toMatchObject({ hookStatus: 'IN_PROGRESS', hookDetails: { _state: { passes: 4, failures: 1, next: T0 + 7 * MINUTE } } });
    expect((await analysis(stageEvent('PRODUCTION_TRAFFIC_SHIFT', { ...details(), ...started() }, { greenWeight: 10 }))).hookStatus).toBe('FAILED');
    expect(reasons[0]).toMatch(/^analysis failed \(1 failing measurement\(s\), limit 0\): 2026-12-01T12:02:00.000Z fail: green's 5xx rate 50.00 %/);
  });

  test.each([
    ['WAIT', 'IN_PROGRESS'],
    ['FAILED', 'FAILED'],
    ['SUCCEEDED', 'SUCCEEDED'],
  ])('too few green requests are inconclusive: onInconclusive %s answers %s', async (onInconclusive, status) => {
    answerGetMetricData(cw, [...tgSeries(1, repeat({ requests: 10, errors: 0, p99: 0.2 })), ...tgSeries(0, repeat(blueBusy))]);
    const result = await analysis(stageEvent('POST_TEST_TRAFFIC_SHIFT', { ...details({ onInconclusive }), ...started() }));
    expect(result.hookStatus).toBe(status);
    if (status === 'FAILED') expect(reasons[0]).toMatch(/analysis inconclusive: .* green served 10 requests, fewer than 50/);
    if (status === 'IN_PROGRESS') expect(result.hookDetails).toMatchObject({ _state: { passes: 0, failures: 0 } });
  });

  test('a target group without datapoints served nothing: inconclusive, not an error', async () => {
    answerGetMetricData(cw, []);
    const result = await analysis(stageEvent('POST_TEST_TRAFFIC_SHIFT', { ...details(), ...started() }));
    expect(result).toMatchObject({ hookStatus: 'IN_PROGRESS', hookDetails: { _state: { last: expect.stringMatching(/green served 0 requests/) } } });
  });

  test('periods are measured once they are final, each once: the state says which is next', async () => {
    answerGetMetricData(cw, [...tgSeries(1, repeat(healthy)), ...tgSeries(0, repeat(blueBusy))]);
    // Started half a minute in: the first full period is T0+1min, final (read) at T0+4min.
    now = T0 + 30_000;
    const first = await analysis(stageEvent('PRODUCTION_TRAFFIC_SHIFT', details(), { greenWeight: 10 }));
    expect(first).toMatchObject({ hookStatus: 'IN_PROGRESS', callBackDelay: 210, hookDetails: { _state: { startedAt: now, next: T0 + MINUTE, passes: 0 } } });
    expect(cw.commandCalls(GetMetricDataCommand)).toHaveLength(0);
    now = T0 + 2 * MINUTE + PUBLISH_DELAY_MS;
    const second = await analysis(stageEvent('PRODUCTION_TRAFFIC_SHIFT', first.hookDetails, { greenWeight: 10 }));
    expect(second).toMatchObject({ hookStatus: 'IN_PROGRESS', hookDetails: { _state: { next: T0 + 2 * MINUTE, passes: 1 } } });
    // ECS invoking again with the same state measures the same period again, with the same answer.
    expect(await analysis(stageEvent('PRODUCTION_TRAFFIC_SHIFT', first.hookDetails, { greenWeight: 10 }))).toEqual(second);
  });

  test('no verdict within the timeout is FAILED with the progress', async () => {
    answerGetMetricData(cw, []);
    now = T0 + 31 * MINUTE;
    expect((await analysis(stageEvent('POST_TEST_TRAFFIC_SHIFT', { ...details(), ...started({ passes: 2, last: 'x inconclusive: y' }) }))).hookStatus).toBe('FAILED');
    expect(reasons[0]).toBe('analysis reached no verdict in 30 minutes: 2 of 5 passing measurements in a row; last: x inconclusive: y');
  });

  test('traffic moving back to blue (rollback) answers SUCCEEDED at once, without reading anything', async () => {
    for (const stage of ['TEST_TRAFFIC_SHIFT', 'PRODUCTION_TRAFFIC_SHIFT'] as const) {
      expect(await analysis(stageEvent(stage, { ...details(), ...started() }, { direction: 'rollback' }))).toEqual({ hookStatus: 'SUCCEEDED' });
    }
    expect(cw.commandCalls(GetMetricDataCommand)).toHaveLength(0);
    expect(ecs.commandCalls(DescribeServiceRevisionsCommand)).toHaveLength(0);
  });

  test('a revision ECS does not resolve to one of the service\'s target groups is FAILED with the reason', async () => {
    const event = stageEvent('POST_PRODUCTION_TRAFFIC_SHIFT', { ...details(), ...started() });
    const other = { ...event, executionDetails: { ...event.executionDetails, targetServiceRevisionArn: 'arn:aws:ecs:us-east-1:123456789012:service-revision/prod/api/9' } };
    expect((await analysis(other)).hookStatus).toBe('FAILED');
    expect(reasons[0]).toBe('analysis: cannot describe arn:aws:ecs:us-east-1:123456789012:service-revision/prod/api/9: MISSING');
  });

  test.each([
    [{ targetGroupArns: ['x'] }, /needs loadBalancer and the two target groups/],
    [{ maxErrorRate: 2 }, /maxErrorRate must be a number from 0 to 1, got 2/],
    [{ intervalSeconds: 90 }, /intervalSeconds must be whole minutes, got 90/],
    [{ onInconclusive: 'MAYBE' }, /onInconclusive must be FAILED, SUCCEEDED or WAIT/],
  ])('details %j are FAILED with the reason', async (bad, reason) => {
    expect((await analysis(stageEvent('POST_PRODUCTION_TRAFFIC_SHIFT', { ...details(), ...bad }))).hookStatus).toBe('FAILED');
    expect(reasons[0]).toMatch(reason);
  });
});
