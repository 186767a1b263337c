// Each built-in handler replayed against the events ECS sends at every stage of a deployment (the
// payloads of the ECS developer guide: weights by service revision ARN at RECONCILE_SERVICE,
// TEST_TRAFFIC_SHIFT and PRODUCTION_TRAFFIC_SHIFT, empty elsewhere), including the stages ECS may
// invoke more than once (linear steps, retries) and the rollback, when ECS runs TEST_TRAFFIC_SHIFT
// and PRODUCTION_TRAFFIC_SHIFT again with the weights going back to blue. The same event always
// gets the same answer, a repeated stage counts nothing twice, and a rollback is never held up.
import * as http from 'http';
import { AddressInfo } from 'net';
import { CloudWatchClient, DescribeAlarmsCommand, GetMetricDataCommand } from '@aws-sdk/client-cloudwatch';
import { DescribeServiceRevisionsCommand, ECSClient } from '@aws-sdk/client-ecs';
import { GetParameterCommand, ParameterNotFound, SSMClient } from '@aws-sdk/client-ssm';
import { mockClient } from 'aws-sdk-client-mock';
import { handler as analysis } from '../../src/hooks/handlers/analysis.lambda';
import { handler as approval } from '../../src/hooks/handlers/approval-gate.lambda';
import { handler as smokeTest } from '../../src/hooks/handlers/http-smoke-test.lambda';
import { handler as metricCheck } from '../../src/hooks/handlers/metric-check.lambda';
import { EcsHookResult } from '../../src/hooks/runtime';
import { FakeAlarm, answerDescribeAlarms, answerGetMetricData } from '../support/cloudwatch-mock';
import { GREEN_REVISION_ARN, STAGES, stageEvent } from '../support/hook-events';

type Handler = (event: unknown) => Promise<EcsHookResult>;

const cw = mockClient(CloudWatchClient);
const ssm = mockClient(SSMClient);
const ecs = mockClient(ECSClient);
const REPEATED = ['TEST_TRAFFIC_SHIFT', 'PRODUCTION_TRAFFIC_SHIFT'] as const;
const TG_ARNS = ['arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/a/1', 'arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/b/2'];
const TG_NAMES = ['targetgroup/a/1', 'targetgroup/b/2'];
const LB = 'app/api/1';

let server: http.Server;
let base: string;
let requests = 0;
let status = 200;
beforeAll(async () => {
  server = http.createServer((_req, res) => { requests++; res.writeHead(status); res.end('{"status":"ok"}'); });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

let alarms: FakeAlarm[];
beforeEach(() => {
  for (const level of ['log', 'warn', 'error'] as const) jest.spyOn(console, level).mockImplementation(() => undefined);
  cw.reset();
  ssm.reset();
  ecs.reset();
  requests = 0;
  status = 200;
  alarms = [{ name: 'errors', state: 'OK' }];
  answerDescribeAlarms(cw, alarms);
  const now = Date.now();
  const minute = 60_000;
  const start = Math.floor(now / minute) * minute - 20 * minute;
  const points = (v: number) => Array.from({ length: 20 }, (_, i) => [start + i * minute, v] as [number, number]);
  answerGetMetricData(cw, [0, 1].flatMap((i) => [
    { namespace: 'AWS/ApplicationELB', metricName: 'RequestCount', dimensions: { TargetGroup: TG_NAMES[i], LoadBalancer: LB }, stat: 'Sum', period: 60, points: points(500) },
    { namespace: 'AWS/ApplicationELB', metricName: 'TargetResponseTime', dimensions: { TargetGroup: TG_NAMES[i], LoadBalancer: LB }, stat: 'p99', period: 60, points: points(0.2) },
  ]));
  ecs.on(DescribeServiceRevisionsCommand).resolves({
    serviceRevisions: [{ serviceRevisionArn: GREEN_REVISION_ARN, resolvedConfiguration: { loadBalancers: [{ targetGroupArn: TG_ARNS[1] }] } }],
  });
  ssm.on(GetParameterCommand).resolves({ Parameter: { Value: 'approve', LastModifiedDate: new Date() } });
});
afterEach(() => jest.restoreAllMocks());

/** Green answering 503s, its alarm in ALARM, no decision, and (for the analysis) 20 % target 5xx on green. */
function greenLooksBad(): void {
  status = 503;
  alarms.splice(0, alarms.length, { name: 'errors', state: 'ALARM' });
  ssm.on(GetParameterCommand).rejects(new ParameterNotFound({ message: 'no decision', $metadata: {} }));
  const minute = 60_000;
  const start = Math.floor(Date.now() / minute) * minute - 20 * minute;
  answerGetMetricData(cw, [{
    namespace: 'AWS/ApplicationELB',
    metricName: 'RequestCount',
    dimensions: { TargetGroup: TG_NAMES[1], LoadBalancer: LB },
    stat: 'Sum',
    period: 60,
    points: Array.from({ length: 20 }, (_, i) => [start + i * minute, 500]),
  }, {
    namespace: 'AWS/ApplicationELB',
    metricName: 'HTTPCode_Target_5XX_Count',
    dimensions: { TargetGroup: TG_NAMES[1], LoadBalancer: LB },
    stat: 'Sum',
    period: 60,
    points: Array.from({ length: 20 }, (_, i) => [start + i * minute, 100]),
  }]);
}

/** Each handler with details under which it decides at once, and what it calls to decide. */
const HANDLERS: Array<[string, Handler, () => Record<string, unknown>, () => number]> = [
  ['httpSmokeTest', smokeTest, () => ({ url: base, requests: 3 }), () => requests],
  ['approvalGate', approval, () => ({}), () => ssm.commandCalls(GetParameterCommand).length],
  ['metricCheck', metricCheck, () => ({ alarmNames: ['errors'], windowMinutes: 10, _startedAt: Date.now() - 11 * 60_000 }),
    () => cw.commandCalls(DescribeAlarmsCommand).length],
  ['analysis', analysis, () => ({
    loadBalancer: LB,
    targetGroupArns: TG_ARNS,
    targetGroupNames: TG_NAMES,
    measurements: 3,
    _state: { startedAt: Date.now() - 20 * 60_000, passes: 0, failures: 0 },
  }), () => cw.commandCalls(GetMetricDataCommand).length + ecs.commandCalls(DescribeServiceRevisionsCommand).length],
];

describe.each(HANDLERS)('%s replayed through a deployment', (_name, handler, details, calls) => {
  test('every stage, forward: the handler does its work and answers SUCCEEDED', async () => {
    for (const stage of STAGES) {
      const before = calls();
      expect([stage, await handler(stageEvent(stage, details()))]).toEqual([stage, { hookStatus: 'SUCCEEDED' }]);
      expect(calls()).toBeGreaterThan(before);
    }
  });

  test('repeated TEST_TRAFFIC_SHIFT / PRODUCTION_TRAFFIC_SHIFT (linear steps, retries): the same answer each time, the same work each time', async () => {
    for (const stage of REPEATED) {
      const work: number[] = [];
      const answers: EcsHookResult[] = [];
      for (const greenWeight of [10, 10, 20, 100, 100]) {
        const before = calls();
        answers.push(await handler(stageEvent(stage, details(), { greenWeight, executionId: `${stage}-${greenWeight}` })));
        work.push(calls() - before);
      }
      expect(answers).toEqual(answers.map(() => ({ hookStatus: 'SUCCEEDED' })));
      expect(new Set(work).size).toBe(1);
    }
  });

  test('rollback: traffic moving back to blue is SUCCEEDED at once, without calling anything, even when green looks bad', async () => {
    greenLooksBad();
    for (const stage of REPEATED) {
      const before = calls();
      expect(await handler(stageEvent(stage, details(), { direction: 'rollback' }))).toEqual({ hookStatus: 'SUCCEEDED' });
      expect(calls()).toBe(before);
    }
    // Forward again, the same bad state is judged (and not passed over).
    expect((await handler(stageEvent('PRODUCTION_TRAFFIC_SHIFT', details()))).hookStatus).not.toBe('SUCCEEDED');
  });
});

describe('IN_PROGRESS answers are idempotent: replaying the state ECS handed back gives the same answer', () => {
  test.each([
    ['httpSmokeTest', smokeTest, () => ({ url: base, requests: 12, batchSize: 5 })],
    ['approvalGate (no decision yet)', approval, () => {
      ssm.on(GetParameterCommand).rejects(new ParameterNotFound({ message: 'no decision', $metadata: {} }));
      return { pollSeconds: 30 };
    }],
    ['metricCheck (window still open)', metricCheck, () => ({ alarmNames: ['errors'], windowMinutes: 10 })],
  ] as Array<[string, Handler, () => Record<string, unknown>]>)('%s', async (_name, handler, details) => {
    const first = await handler(stageEvent('POST_TEST_TRAFFIC_SHIFT', details()));
    expect(first.hookStatus).toBe('IN_PROGRESS');
    // The smoke test keeps its slowest response in the state: a measurement, not a decision.
    const decision = (r: EcsHookResult) => JSON.parse(JSON.stringify(r, (k, v) => (k === 'slowest' ? 0 : v)));
    const again = await handler(stageEvent('POST_TEST_TRAFFIC_SHIFT', first.hookDetails));
    const replay = await handler(stageEvent('POST_TEST_TRAFFIC_SHIFT', first.hookDetails));
    expect(decision(replay)).toEqual(decision(again));
    // Waiting hooks keep the time they started at: the timeout counts from the first invocation.
    if (first.hookDetails?._startedAt !== undefined) expect(again.hookDetails?._startedAt).toBe(first.hookDetails._startedAt);
  });
});
