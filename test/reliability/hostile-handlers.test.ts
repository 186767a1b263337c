import * as http from 'http';
import { AddressInfo } from 'net';
import { CloudWatchClient, DescribeAlarmsCommand, GetMetricDataCommand } from '@aws-sdk/client-cloudwatch';
import { DescribeServiceRevisionsCommand, ECSClient } from '@aws-sdk/client-ecs';
import { GetParameterCommand, ParameterNotFound, SSMClient } from '@aws-sdk/client-ssm';
import { mockClient } from 'aws-sdk-client-mock';
import * as fc from 'fast-check';
import { FUZZ_SEED } from './fuzz-config';
import { handler as analysis } from '../../src/hooks/handlers/analysis.lambda';
import { handler as approval } from '../../src/hooks/handlers/approval-gate.lambda';
import { handler as smokeTest } from '../../src/hooks/handlers/http-smoke-test.lambda';
import { handler as metricCheck } from '../../src/hooks/handlers/metric-check.lambda';
import { EcsHookResult, HookContext, MAX_CALLBACK_DELAY_SECONDS, MAX_STATE_BYTES, hookHandler, inProgress, succeeded } from '../../src/hooks/runtime';
import { FakeAlarm, FakeSeries, answerDescribeAlarms, answerGetMetricData } from '../support/cloudwatch-mock';
import { GREEN_REVISION_ARN, HOOK_SERVICE_ARN, hookEvent } from '../support/hook-events';

/**
 * The hook handlers (src/hooks/handlers/*.lambda.ts) and the runtime wrapper (hookHandler) under
 * hostile input: malformed and oversized events, unknown stages, throttling, clock skew, and a
 * Lambda context with (almost) no time left. Whatever happens, a handler
 *  - never throws and never leaves an unhandled rejection,
 *  - answers before its Lambda timeout (the context's remaining time),
 *  - answers a valid result: SUCCEEDED or FAILED alone, or IN_PROGRESS with a delay of 1–900 s
 *    and a JSON object state of at most MAX_STATE_BYTES,
 *  - logs its answer, and for FAILED the reason, in bounded JSON lines.
 */

type Handler = (event: unknown, context?: HookContext) => Promise<EcsHookResult>;

const SERVICE_ARN = HOOK_SERVICE_ARN;
const MB = 1024 * 1024;

const event = hookEvent;

/** A Lambda context whose remaining time runs down from `ms`. */
function remaining(ms: number): HookContext {
  const deadline = Date.now() + ms;
  return { getRemainingTimeInMillis: () => deadline - Date.now() };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

// ------------------------------------------------------------------------------------------------
// Dependencies: SSM and CloudWatch mocked, an HTTP server whose behaviour each test picks.
// ------------------------------------------------------------------------------------------------

const ssm = mockClient(SSMClient);
const cw = mockClient(CloudWatchClient);
const ecs = mockClient(ECSClient);
const TG_ARNS = ['arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/a/1', 'arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/b/2'];
/** ECS: the green revision's tasks are in the second target group. */
const revisions = () => ({
  serviceRevisions: [{ serviceRevisionArn: GREEN_REVISION_ARN, resolvedConfiguration: { loadBalancers: [{ targetGroupArn: TG_ARNS[1] }] } }],
});
const never = () => new Promise<never>(() => undefined);
const notFound = () => new ParameterNotFound({ message: 'not found', $metadata: {} });

let server: http.Server;
let base: string;
let behaviour: (req: http.IncomingMessage, res: http.ServerResponse) => void;
const open = new Set<http.ServerResponse>();

beforeAll(async () => {
  server = http.createServer((req, res) => {
    open.add(res);
    res.on('close', () => open.delete(res));
    behaviour(req, res);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  for (const res of open) res.destroy();
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

const ok = (_req: http.IncomingMessage, res: http.ServerResponse) => {
  res.writeHead(200);
  res.end('{"status":"ok"}');
};
const hang = () => undefined;

/** The fake account's alarms and metric data (the CloudWatch mock answers by the request). */
const QUIET_ALARMS: FakeAlarm[] = [{ name: 'errors', state: 'OK' }];
function quietErrors(): FakeSeries[] {
  const now = Date.now();
  return [{ namespace: 'App', metricName: 'Errors', dimensions: {}, stat: 'Average', period: 60, points: [[now - 90_000, 1], [now - 30_000, 2]] }];
}

/** Each handler with details that make it do its normal work against the dependencies. */
const HANDLERS: Array<[string, Handler, () => Record<string, unknown>]> = [
  ['hookHandler (runtime)', hookHandler(async () => succeeded()), () => ({})],
  ['httpSmokeTest', smokeTest, () => ({ url: base, requests: 2 })],
  ['approvalGate', approval, () => ({ pollSeconds: 10 })],
  ['metricCheck', metricCheck, () => ({ alarmNames: ['errors'], metric: { namespace: 'App', metricName: 'Errors' }, threshold: 5 })],
  ['analysis', analysis, () => ({ loadBalancer: 'app/api/1', targetGroupArns: TG_ARNS, targetGroupNames: ['targetgroup/a/1', 'targetgroup/b/2'] })],
];

// ------------------------------------------------------------------------------------------------
// Logs and invariants
// ------------------------------------------------------------------------------------------------

let lines: Array<{ level: string; raw: string; json: any }> = [];
const unhandled: unknown[] = [];
const onUnhandled = (reason: unknown) => unhandled.push(reason);

beforeAll(() => process.on('unhandledRejection', onUnhandled));
afterAll(() => {
  process.off('unhandledRejection', onUnhandled);
});

beforeEach(() => {
  lines = [];
  for (const level of ['log', 'warn', 'error'] as const) {
    jest.spyOn(console, level).mockImplementation((raw?: any, ..._rest: any[]) => {
      let json: any;
      try {
        json = JSON.parse(raw);
      } catch {
        json = undefined;
      }
      lines.push({ level, raw, json });
    });
  }
  ssm.reset();
  cw.reset();
  ecs.reset();
  ecs.on(DescribeServiceRevisionsCommand).callsFake(revisions);
  ssm.on(GetParameterCommand).rejects(notFound());
  answerDescribeAlarms(cw, QUIET_ALARMS);
  answerGetMetricData(cw, quietErrors());
  behaviour = ok;
});
afterEach(() => {
  jest.restoreAllMocks();
  expect(unhandled).toEqual([]);
});

/**
 * Invokes the handler and checks every invariant; fails if it takes longer than `withinMs`
 * (by default the context's remaining time, or 5 s).
 */
async function invoke(h: Handler, ev: unknown, context?: HookContext, withinMs?: number): Promise<EcsHookResult> {
  const limit = withinMs ?? (context?.getRemainingTimeInMillis ? Math.max(0, Number(context.getRemainingTimeInMillis())) || 0 : 5_000);
  const from = lines.length;
  const started = Date.now();
  let timer: NodeJS.Timeout | undefined;
  let result: EcsHookResult;
  try {
    result = await Promise.race([
      h(ev, context),
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`no answer within ${limit + 250} ms`)), limit + 250);
      }),
    ]);
  } finally {
    clearTimeout(timer);
  }
  const elapsed = Date.now() - started;
  expect(elapsed).toBeLessThanOrEqual(limit + 250);
  expectValid(result, lines.slice(from));
  return result;
}

function expectValid(result: EcsHookResult, logged: typeof lines): void {
  expect(result).toBeInstanceOf(Object);
  expect(['SUCCEEDED', 'FAILED', 'IN_PROGRESS']).toContain(result.hookStatus);
  if (result.hookStatus === 'IN_PROGRESS') {
    expect(Object.keys(result).every((k) => ['hookStatus', 'callBackDelay', 'hookDetails'].includes(k))).toBe(true);
    expect(Number.isInteger(result.callBackDelay)).toBe(true);
    expect(result.callBackDelay).toBeGreaterThanOrEqual(1);
    expect(result.callBackDelay).toBeLessThanOrEqual(MAX_CALLBACK_DELAY_SECONDS);
    if (result.hookDetails !== undefined) {
      expect(result.hookDetails).toBeInstanceOf(Object);
      expect(Array.isArray(result.hookDetails)).toBe(false);
      expect(Buffer.byteLength(JSON.stringify(result.hookDetails))).toBeLessThanOrEqual(MAX_STATE_BYTES);
    }
  } else {
    expect(Object.keys(result)).toEqual(['hookStatus']);
  }
  // Every line is bounded JSON; the answer is logged; a FAILED answer has its reason.
  for (const line of logged) {
    expect(line.json).toBeDefined();
    expect(line.raw.length).toBeLessThanOrEqual(20_000);
  }
  expect(logged.some((l) => l.json?.message === 'hook answered' && l.json.hookStatus === result.hookStatus)).toBe(true);
  if (result.hookStatus === 'FAILED') {
    const given = logged.filter((l) => l.level === 'error' && l.json?.message === 'hook FAILED').map((l) => l.json.reason);
    expect(given.length).toBeGreaterThan(0);
    expect(typeof given[0]).toBe('string');
    expect(given[0].length).toBeGreaterThan(0);
  }
}

function reasons(): string[] {
  return lines.filter((l) => l.json?.message === 'hook FAILED').map((l) => l.json.reason);
}

/** Every handler with every case: [handler name, case name, handler, its details, case value]. */
function cross<T>(cases: Array<[string, T]>) {
  return HANDLERS.flatMap(([name, h, details]) => cases.map(([what, value]) => [name, what, h, details, value] as const));
}

// ------------------------------------------------------------------------------------------------
// Malformed events
// ------------------------------------------------------------------------------------------------

describe('malformed events are FAILED with the reason, never thrown', () => {
  const MALFORMED: Array<[string, unknown]> = [
    ['null', null],
    ['undefined', undefined],
    ['a string', 'POST_SCALE_UP'],
    ['a number', 42],
    ['an array', [event('POST_SCALE_UP')]],
    ['an empty object', {}],
    ['a numeric stage', { ...event('POST_SCALE_UP'), lifecycleStage: 7 }],
    ['no execution details', { lifecycleStage: 'POST_SCALE_UP' }],
    ['execution details as a string', { ...event('POST_SCALE_UP'), executionDetails: SERVICE_ARN }],
    ['execution details as an array', { ...event('POST_SCALE_UP'), executionDetails: [SERVICE_ARN] }],
    ['a numeric service ARN', { ...event('POST_SCALE_UP'), executionDetails: { serviceArn: 123 } }],
    ['a null service ARN', { ...event('POST_SCALE_UP'), executionDetails: { serviceArn: null } }],
  ];
  test.each(cross(MALFORMED))('%s: %s', async (_name, _what, h, _details, ev) => {
    expect((await invoke(h, ev)).hookStatus).toBe('FAILED');
    expect(reasons()[0]).toMatch(/^malformed hook event: /);
  });

  const BAD_DETAILS: Array<[string, unknown]> = [
    ['a number', 5],
    ['an array', [1, 2, 3]],
    ['a JSON string of an array', '[1,2]'],
    ['a string that is not JSON', '{"url": '],
    ['the string "null"', 'null'],
    ['null', null],
    ['nested wrong types', { url: { href: base }, requests: 'many', alarmNames: 'errors', metric: 'App/Errors', threshold: [5], timeoutMinutes: {} }],
  ];
  test.each(cross(BAD_DETAILS))('%s with hookDetails %s answers', async (_name, _what, h, _details, details) => {
    await invoke(h, event('POST_TEST_TRAFFIC_SHIFT', details));
  });

  test('a service ARN the approval gate cannot read is FAILED with the ARN in the reason', async () => {
    expect((await invoke(approval, { ...event('PRE_PRODUCTION_TRAFFIC_SHIFT'), executionDetails: { serviceArn: 'arn:aws:ecs:us-east-1:1:service/x' } })).hookStatus)
      .toBe('FAILED');
    expect(reasons()[0]).toMatch(/cannot read cluster and service from serviceArn arn:aws:ecs:us-east-1:1:service\/x/);
  });

  test('smoke test details of the wrong shape are FAILED with what is wrong', async () => {
    const cases: Array<[unknown, RegExp]> = [
      [{ url: 'http://' }, /is not a valid URL/],
      [{ url: base, path: 42 }, /path must be a string/],
      [{ url: base, expectedStatus: ['ok'] }, /expectedStatus must be HTTP status codes/],
      [{ url: base, headerName: 'X-Test', headerValue: 1 }, /headerName and headerValue must both be strings/],
      [{ url: base, maxLatencyMs: -1 }, /maxLatencyMs must be a positive number/],
      [{ url: base, bodyPattern: '(' }, /bodyPattern is not a valid regular expression/],
    ];
    for (const [details, reason] of cases) {
      lines = [];
      expect((await invoke(smokeTest, event('POST_TEST_TRAFFIC_SHIFT', details))).hookStatus).toBe('FAILED');
      expect(reasons()[0]).toMatch(reason);
    }
  });

  test('a metric of the wrong shape is FAILED with the reason', async () => {
    expect((await invoke(metricCheck, event('POST_PRODUCTION_TRAFFIC_SHIFT', { metric: { namespace: 'App' }, threshold: 1 }))).hookStatus).toBe('FAILED');
    expect(reasons()[0]).toMatch(/invalid metric \(needs namespace and metricName\)/);
  });
});

// ------------------------------------------------------------------------------------------------
// Oversized events
// ------------------------------------------------------------------------------------------------

describe('oversized events answer promptly with bounded logs', () => {
  const big = 'x'.repeat(MB);
  const deep = `${'['.repeat(100_000)}${']'.repeat(100_000)}`;
  const OVERSIZED: Array<[string, (details: Record<string, unknown>) => unknown]> = [
    ['a 1 MB hookDetails field', (d) => event('POST_TEST_TRAFFIC_SHIFT', { ...d, junk: big })],
    ['hookDetails as a 1 MB JSON string', (d) => event('POST_TEST_TRAFFIC_SHIFT', JSON.stringify({ ...d, junk: big }))],
    ['hookDetails as a 1 MB string that is not JSON', () => event('POST_TEST_TRAFFIC_SHIFT', big)],
    ['hookDetails nested 100,000 deep', () => event('POST_TEST_TRAFFIC_SHIFT', deep)],
    ['a 1 MB lifecycle stage', (d) => event(big, d)],
    ['a 1 MB service ARN', (d) => ({ ...event('POST_TEST_TRAFFIC_SHIFT', d), executionDetails: { serviceArn: `${SERVICE_ARN}${big}` } })],
    ['a 1 MB executionId and 10,000 traffic weights', (d) => ({
      ...event('POST_TEST_TRAFFIC_SHIFT', d),
      executionId: big,
      executionDetails: {
        serviceArn: SERVICE_ARN,
        productionTrafficWeights: Object.fromEntries(Array.from({ length: 10_000 }, (_, i) => [`arn:${i}`, i])),
      },
    })],
  ];
  test.each(cross(OVERSIZED))('%s: %s', async (_name, _what, h, details, make) => {
    await invoke(h, make(details()), remaining(10_000), 3_000);
  });

  test('the approval gate carries only its settings to the next invocation, so junk in hookDetails cannot overflow its state', async () => {
    const result = await invoke(approval, event('PRE_PRODUCTION_TRAFFIC_SHIFT', { pollSeconds: 10, junk: big }));
    expect(result.hookStatus).toBe('IN_PROGRESS');
    expect(Object.keys(result.hookDetails!).sort()).toEqual(['_startedAt', 'pollSeconds']);
  });

  test('the metric check refuses more than 100 alarm names without calling CloudWatch, in a bounded answer', async () => {
    const alarmNames = Array.from({ length: 100_000 }, (_, i) => `alarm-${i}`);
    expect((await invoke(metricCheck, event('POST_PRODUCTION_TRAFFIC_SHIFT', { alarmNames }))).hookStatus).toBe('FAILED');
    expect(reasons()[0]).toBe('metric check watches at most 100 alarms (DescribeAlarms\' limit), got 100000');
    expect(cw.commandCalls(DescribeAlarmsCommand)).toHaveLength(0);
  });

  test('a response body of 20 MB is read up to 1 MB and a pathological bodyPattern is stopped', async () => {
    behaviour = (_req, res) => {
      res.writeHead(200);
      res.write(`ok${'a'.repeat(MB)}`);
      const chunk = 'a'.repeat(MB);
      let sent = 1;
      const more = () => {
        while (sent < 20 && res.write(chunk)) sent++;
        if (sent < 20) res.once('drain', more);
        else res.end();
      };
      more();
    };
    expect((await invoke(smokeTest, event('POST_TEST_TRAFFIC_SHIFT', { url: base, requests: 1, bodyPattern: '^ok' }), remaining(20_000), 5_000)).hookStatus)
      .toBe('SUCCEEDED');
    behaviour = (_req, res) => {
      res.writeHead(200);
      res.end(`${'a'.repeat(40)}!`);
    };
    lines = [];
    expect((await invoke(smokeTest, event('POST_TEST_TRAFFIC_SHIFT', { url: base, requests: 1, bodyPattern: '^(a+)+$' }), remaining(20_000), 5_000)).hookStatus)
      .toBe('FAILED');
    expect(reasons()[0]).toMatch(/took more than 1000 ms/);
  });
});

// ------------------------------------------------------------------------------------------------
// Unknown lifecycle stages
// ------------------------------------------------------------------------------------------------

describe('unexpected lifecycle stages are logged and the hook runs', () => {
  const STAGES: Array<[string, string]> = [
    ['empty', ''],
    ['unknown', 'POST_DEPLOY'],
    ['lower case', 'post_scale_up'],
    ['with a trailing space', 'POST_SCALE_UP '],
    ['emoji', '\u{1F4A5}'.repeat(8)],
  ];
  test.each(cross(STAGES))('%s at stage %s', async (_name, _what, h, details, stage) => {
    await invoke(h, event(stage, details()));
    expect(lines.some((l) => l.level === 'warn' && l.json?.message === 'unknown lifecycle stage; running the hook anyway')).toBe(true);
  });
});

// ------------------------------------------------------------------------------------------------
// Throttling
// ------------------------------------------------------------------------------------------------

describe('SDK throttling: retried, then IN_PROGRESS until the hook\'s deadline, then FAILED with the error', () => {
  // Retries that outlive an answer finish in the background; let them, before other tests run.
  afterAll(() => sleep(1_600));

  const THROTTLES: Array<[string, () => Error]> = [
    ['ThrottlingException', () => Object.assign(new Error('Rate exceeded'), { name: 'ThrottlingException' })],
    ['TooManyRequestsException', () => Object.assign(new Error('Too many'), { name: 'TooManyRequestsException' })],
    ['an HTTP 429', () => Object.assign(new Error('slow down'), { name: 'Unknown', $metadata: { httpStatusCode: 429 } })],
    ['$retryable.throttling', () => Object.assign(new Error('retry later'), { name: 'SomethingElse', $retryable: { throttling: true } })],
  ];

  test.each(THROTTLES)('approvalGate, persistent %s', async (_what, make) => {
    ssm.on(GetParameterCommand).rejects(make());
    expect((await invoke(approval, event('PRE_PRODUCTION_TRAFFIC_SHIFT', {}))).hookStatus).toBe('IN_PROGRESS');
    expect(ssm.commandCalls(GetParameterCommand)).toHaveLength(5);
    expect(lines.filter((l) => l.json?.message === 'throttled, retrying')).toHaveLength(4);
    expect((await invoke(approval, event('PRE_PRODUCTION_TRAFFIC_SHIFT', { timeoutMinutes: 1, _startedAt: Date.now() - 61_000 }))).hookStatus).toBe('FAILED');
    expect(reasons()[0]).toMatch(/failed until the hook's deadline .* with transient AWS errors; last: /);
  });

  test.each(THROTTLES)('metricCheck, persistent %s on GetMetricData', async (_what, make) => {
    cw.on(GetMetricDataCommand).rejects(make());
    const details = { metric: { namespace: 'App', metricName: 'Errors' }, threshold: 5 };
    expect((await invoke(metricCheck, event('POST_PRODUCTION_TRAFFIC_SHIFT', details))).hookStatus).toBe('IN_PROGRESS');
    expect(cw.commandCalls(GetMetricDataCommand)).toHaveLength(5);
    expect((await invoke(metricCheck, event('POST_PRODUCTION_TRAFFIC_SHIFT', { ...details, _startedAt: Date.now() - 11 * 60_000 }))).hookStatus)
      .toBe('FAILED');
  });

  test('throttling that clears is retried and the hook goes on', async () => {
    const throttle = THROTTLES[0][1]();
    ssm.on(GetParameterCommand).rejectsOnce(throttle).rejectsOnce(throttle).resolves({ Parameter: { Value: 'approve', LastModifiedDate: new Date() } });
    expect((await invoke(approval, event('PRE_PRODUCTION_TRAFFIC_SHIFT', {}))).hookStatus).toBe('SUCCEEDED');
    expect(ssm.commandCalls(GetParameterCommand)).toHaveLength(3);
  });

  test('retries stop before the Lambda timeout: IN_PROGRESS (read again later), not a time-out', async () => {
    cw.on(DescribeAlarmsCommand).rejects(THROTTLES[0][1]());
    expect((await invoke(metricCheck, event('POST_PRODUCTION_TRAFFIC_SHIFT', { alarmNames: ['errors'] }), remaining(1_700))).hookStatus).toBe('IN_PROGRESS');
    expect(reasons()).toEqual([]);
  });

  test('other SDK errors are not retried', async () => {
    ssm.on(GetParameterCommand).rejects(Object.assign(new Error('denied'), { name: 'AccessDeniedException' }));
    expect((await invoke(approval, event('PRE_PRODUCTION_TRAFFIC_SHIFT', {}))).hookStatus).toBe('FAILED');
    expect(ssm.commandCalls(GetParameterCommand)).toHaveLength(1);
    expect(reasons()[0]).toBe('hook threw: AccessDeniedException: denied');
  });
});

// ------------------------------------------------------------------------------------------------
// Clock skew
// ------------------------------------------------------------------------------------------------

describe('clock skew', () => {
  const HOUR = 3_600_000;

  test('approval: a start time in the future counts from now, so a decision made now is honoured', async () => {
    ssm.on(GetParameterCommand).resolves({ Parameter: { Value: 'approve', LastModifiedDate: new Date() } });
    expect((await invoke(approval, event('PRE_PRODUCTION_TRAFFIC_SHIFT', { _startedAt: Date.now() + 24 * HOUR }))).hookStatus).toBe('SUCCEEDED');
    expect(lines.some((l) => l.json?.message === 'hook state starts in the future (clock skew?); counting from now')).toBe(true);
  });

  test('approval: without a decision, a start time in the future waits (from now) rather than never timing out', async () => {
    const result = await invoke(approval, event('PRE_PRODUCTION_TRAFFIC_SHIFT', { _startedAt: Date.now() + 24 * HOUR, timeoutMinutes: 1 }));
    expect(result.hookStatus).toBe('IN_PROGRESS');
    expect(result.hookDetails!._startedAt).toBeLessThanOrEqual(Date.now());
  });

  test('approval: a start time far in the past has timed out', async () => {
    expect((await invoke(approval, event('PRE_PRODUCTION_TRAFFIC_SHIFT', { _startedAt: 1, timeoutMinutes: 60, onTimeout: 'CONTINUE' }))).hookStatus).toBe('SUCCEEDED');
    expect((await invoke(approval, event('PRE_PRODUCTION_TRAFFIC_SHIFT', { _startedAt: 1, timeoutMinutes: 60 }))).hookStatus).toBe('FAILED');
  });

  test('approval: SSM\'s clock a few seconds behind this Lambda\'s still counts the decision; one from an earlier deployment does not', async () => {
    const startedAt = Date.now();
    ssm.on(GetParameterCommand).resolves({ Parameter: { Value: 'approve', LastModifiedDate: new Date(startedAt - 4_000) } });
    expect((await invoke(approval, event('PRE_PRODUCTION_TRAFFIC_SHIFT', { _startedAt: startedAt }))).hookStatus).toBe('SUCCEEDED');
    ssm.on(GetParameterCommand).resolves({ Parameter: { Value: 'approve', LastModifiedDate: new Date(startedAt - HOUR) } });
    expect((await invoke(approval, event('PRE_PRODUCTION_TRAFFIC_SHIFT', { _startedAt: startedAt }))).hookStatus).toBe('IN_PROGRESS');
  });

  test('approval: a decision time in the future (SSM ahead) counts; a missing or invalid one does not', async () => {
    ssm.on(GetParameterCommand).resolves({ Parameter: { Value: 'approve', LastModifiedDate: new Date(Date.now() + HOUR) } });
    expect((await invoke(approval, event('PRE_PRODUCTION_TRAFFIC_SHIFT', {}))).hookStatus).toBe('SUCCEEDED');
    for (const LastModifiedDate of [undefined, new Date(NaN), 'yesterday' as unknown as Date]) {
      ssm.on(GetParameterCommand).resolves({ Parameter: { Value: 'approve', LastModifiedDate } });
      expect((await invoke(approval, event('PRE_PRODUCTION_TRAFFIC_SHIFT', {}))).hookStatus).toBe('IN_PROGRESS');
    }
  });

  test('metric check: a start time in the future counts from now and never queries the future', async () => {
    const result = await invoke(metricCheck, event('POST_PRODUCTION_TRAFFIC_SHIFT', {
      metric: { namespace: 'App', metricName: 'Errors' }, threshold: 5, windowMinutes: 10, _startedAt: Date.now() + 24 * HOUR,
    }));
    expect(result.hookStatus).toBe('IN_PROGRESS');
    expect(result.callBackDelay).toBeLessThanOrEqual(60);
    const input = cw.commandCalls(GetMetricDataCommand)[0].args[0].input;
    expect(input.StartTime!.getTime()).toBeLessThan(input.EndTime!.getTime());
  });

  test('metric check: a start time far in the past queries the window only, then succeeds', async () => {
    const result = await invoke(metricCheck, event('POST_PRODUCTION_TRAFFIC_SHIFT', {
      metric: { namespace: 'App', metricName: 'Errors', periodSeconds: 60 }, threshold: 5, windowMinutes: 10, _startedAt: 1,
    }));
    expect(result.hookStatus).toBe('SUCCEEDED');
    const input = cw.commandCalls(GetMetricDataCommand)[0].args[0].input;
    expect(input.EndTime!.getTime() - input.StartTime!.getTime()).toBeLessThanOrEqual(11 * 60_000);
  });

  test('timestamps in executionDetails, future or past, change nothing', async () => {
    for (const when of [Date.now() + 365 * 24 * HOUR, 0, -1]) {
      const ev = { ...event('POST_SCALE_UP', { alarmNames: ['errors'] }), timestamp: when };
      (ev.executionDetails as Record<string, unknown>).startedAt = new Date(when).toISOString();
      expect((await invoke(metricCheck, ev)).hookStatus).toBe('IN_PROGRESS');
    }
  });
});

// ------------------------------------------------------------------------------------------------
// Little or no Lambda time left
// ------------------------------------------------------------------------------------------------

describe('a context with little time left: the answer comes before the Lambda timeout', () => {
  beforeEach(() => {
    // Every dependency hangs: only the time guard can answer.
    ssm.on(GetParameterCommand).callsFake(never);
    cw.on(DescribeAlarmsCommand).callsFake(never);
    cw.on(GetMetricDataCommand).callsFake(never);
    ecs.on(DescribeServiceRevisionsCommand).callsFake(never);
    behaviour = hang;
  });

  const TIMES: Array<[string, number]> = [['0 ms', 0], ['1 ms', 1], ['500 ms', 500], ['1,499 ms', 1_499], ['1,600 ms', 1_600], ['-5 ms', -5]];
  test.each(cross(TIMES))('%s with %s left', async (name, _what, h, details, ms) => {
    const result = await invoke(h, event('POST_TEST_TRAFFIC_SHIFT', details()), remaining(ms), Math.max(ms, 0));
    if (name !== 'hookHandler (runtime)') expect(result.hookStatus).toBe('FAILED');
  });

  test.each(cross<HookContext | null>([
    ['a remaining time of NaN', { getRemainingTimeInMillis: () => NaN }],
    ['a remaining time of "soon"', { getRemainingTimeInMillis: () => 'soon' as unknown as number }],
    ['getRemainingTimeInMillis throwing', { getRemainingTimeInMillis: () => { throw new Error('no clock'); } }],
  ]))('%s with %s answers at once', async (_name, _what, h, details, context) => {
    await invoke(h, event('POST_TEST_TRAFFIC_SHIFT', details()), context ?? undefined, 0);
  });

  test.each(HANDLERS)('%s with a null context still answers', async (_name, h, details) => {
    behaviour = ok;
    ssm.on(GetParameterCommand).rejects(notFound());
    answerDescribeAlarms(cw, QUIET_ALARMS);
    answerGetMetricData(cw, []);
    ecs.on(DescribeServiceRevisionsCommand).callsFake(revisions);
    await invoke(h, event('POST_TEST_TRAFFIC_SHIFT', details()), null as unknown as HookContext);
  });

  test('a slow smoke-test endpoint: the batch stops in time and goes on at the next invocation', async () => {
    behaviour = (_req, res) => setTimeout(() => ok(_req, res), 600);
    // 4 s left: requests are sent while 1 s is left after the 1.5 s margin, so 3 of the 5.
    const result = await invoke(smokeTest, event('POST_TEST_TRAFFIC_SHIFT', { url: base, requests: 5, batchSize: 5 }), remaining(4_000));
    expect(result.hookStatus).toBe('IN_PROGRESS');
    const sent = (result.hookDetails!._state as { sent: number }).sent;
    expect(sent).toBeGreaterThan(0);
    expect(sent).toBeLessThan(5);
  });
});

// ------------------------------------------------------------------------------------------------
// The runtime wrapper around hostile hook code
// ------------------------------------------------------------------------------------------------

describe('hookHandler around misbehaving hook code', () => {
  const circular: Record<string, unknown> = {};
  circular.self = circular;
  const BEHAVIOURS: Array<[string, () => unknown, 'SUCCEEDED' | 'FAILED' | 'IN_PROGRESS']> = [
    ['throws synchronously', () => { throw new TypeError('sync'); }, 'FAILED'],
    ['rejects with a string', () => Promise.reject('nope'), 'FAILED'],
    ['rejects with null', () => Promise.reject(null), 'FAILED'],
    ['rejects with an error whose message getter throws', () => Promise.reject({ get message(): string { throw new Error('x'); }, toString() { throw new Error('y'); } }), 'FAILED'],
    ['returns undefined', () => undefined, 'FAILED'],
    ['returns a status string', () => 'SUCCEEDED', 'FAILED'],
    ['returns a lower-case status', () => ({ hookStatus: 'succeeded' }), 'FAILED'],
    ['returns a BigInt field', () => ({ hookStatus: 'MAYBE', n: BigInt(1) }), 'FAILED'],
    ['returns extra fields with SUCCEEDED', () => ({ hookStatus: 'SUCCEEDED', callBackDelay: 5, hookDetails: { a: 1 }, extra: 'x'.repeat(MB) }), 'SUCCEEDED'],
    ['returns IN_PROGRESS with a delay of NaN', () => ({ hookStatus: 'IN_PROGRESS', callBackDelay: NaN }), 'IN_PROGRESS'],
    ['returns IN_PROGRESS with a delay of -1', () => ({ hookStatus: 'IN_PROGRESS', callBackDelay: -1 }), 'IN_PROGRESS'],
    ['returns IN_PROGRESS with a delay of 10^9', () => ({ hookStatus: 'IN_PROGRESS', callBackDelay: 1e9 }), 'IN_PROGRESS'],
    ['returns IN_PROGRESS with a delay of "60"', () => ({ hookStatus: 'IN_PROGRESS', callBackDelay: '60' }), 'IN_PROGRESS'],
    ['returns IN_PROGRESS with array state', () => ({ hookStatus: 'IN_PROGRESS', hookDetails: [1] }), 'FAILED'],
    ['returns IN_PROGRESS with string state', () => ({ hookStatus: 'IN_PROGRESS', hookDetails: 'state' }), 'FAILED'],
    ['returns IN_PROGRESS with circular state', () => ({ hookStatus: 'IN_PROGRESS', hookDetails: circular }), 'FAILED'],
    ['returns IN_PROGRESS with BigInt state', () => ({ hookStatus: 'IN_PROGRESS', hookDetails: { n: BigInt(1) } }), 'FAILED'],
    ['returns IN_PROGRESS with 1 MB of state', () => ({ hookStatus: 'IN_PROGRESS', hookDetails: { blob: 'x'.repeat(MB) } }), 'FAILED'],
    ['never settles', () => never(), 'FAILED'],
  ];
  test.each(BEHAVIOURS)('hook code that %s: %s', async (_what, behaviourOf, status) => {
    const h = hookHandler(async () => behaviourOf() as EcsHookResult);
    expect((await invoke(h, event('POST_SCALE_UP'), remaining(1_800))).hookStatus).toBe(status);
  });

  test('hook code that fails after the wrapper answered leaves no unhandled rejection', async () => {
    const h = hookHandler(() => new Promise<EcsHookResult>((_, reject) => setTimeout(() => reject(new Error('late')), 200)));
    expect((await invoke(h, event('POST_SCALE_UP'), remaining(1_550))).hookStatus).toBe('FAILED');
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(lines.some((l) => l.json?.message === 'hook failed after it answered' && /late/.test(l.json.error))).toBe(true);
  });

  test('inProgress and log never throw on hostile values', () => {
    expect(inProgress(10, circular).hookStatus).toBe('FAILED');
    expect(inProgress(10, null as unknown as Record<string, unknown>).hookStatus).toBe('FAILED');
    expect(inProgress('ten' as unknown as number)).toEqual({ hookStatus: 'IN_PROGRESS', callBackDelay: 30 });
  });
});

// ------------------------------------------------------------------------------------------------
// Random hostile events (property-based)
// ------------------------------------------------------------------------------------------------

describe('random events and dependency behaviours (property-based)', () => {
  afterAll(() => sleep(1_600));
  const RUNS = Math.max(10, Math.round(Number(process.env.FUZZ_RUNS ?? 60) / 2));

  const detailsArb = fc.oneof(
    fc.anything({ maxDepth: 2 }),
    fc.record({
      url: fc.oneof(fc.constant('BASE'), fc.constantFrom('ftp://x', '', 'http://', 'not a url')),
      path: fc.oneof(fc.constantFrom('/', '/health', '?x=1'), fc.anything({ maxDepth: 0 })),
      requests: fc.oneof(fc.integer({ min: -5, max: 3 }), fc.anything({ maxDepth: 0 })),
      expectedStatus: fc.oneof(fc.constant([200]), fc.anything({ maxDepth: 1 })),
      bodyPattern: fc.oneof(fc.constantFrom('ok', '(', ''), fc.anything({ maxDepth: 0 })),
      alarmNames: fc.oneof(fc.constant(['errors']), fc.anything({ maxDepth: 1 })),
      metric: fc.oneof(fc.constant({ namespace: 'App', metricName: 'Errors' }), fc.anything({ maxDepth: 1 })),
      threshold: fc.anything({ maxDepth: 0 }),
      _startedAt: fc.oneof(fc.integer(), fc.double(), fc.anything({ maxDepth: 0 })),
      timeoutMinutes: fc.anything({ maxDepth: 0 }),
      pollSeconds: fc.anything({ maxDepth: 0 }),
    }, { requiredKeys: [] }),
  );
  const eventArb = fc.oneof(
    { weight: 1, arbitrary: fc.anything({ maxDepth: 2 }) },
    {
      weight: 4,
      arbitrary: fc.record({
        lifecycleStage: fc.oneof(fc.constantFrom('POST_SCALE_UP', 'POST_TEST_TRAFFIC_SHIFT', 'BOGUS'), fc.anything({ maxDepth: 0 })),
        serviceArn: fc.oneof(fc.constant(SERVICE_ARN), fc.anything({ maxDepth: 0 })),
        details: detailsArb,
      }).map(({ lifecycleStage, serviceArn, details }) => ({
        ...event('x'), lifecycleStage, executionDetails: { serviceArn }, hookDetails: details,
      })),
    },
  );
  const dependencyArb = fc.constantFrom('answers', 'throttles', 'fails', 'hangs');
  const timeArb = fc.oneof(fc.constantFrom(undefined, NaN, 0, 1_600), fc.integer({ min: 1_500, max: 2_000 }));

  test.each(HANDLERS.filter(([name]) => name !== 'hookHandler (runtime)'))(`%s: ${RUNS} random invocations keep every invariant`, async (_name, h) => {
    await fc.assert(fc.asyncProperty(eventArb, dependencyArb, timeArb, async (ev, dependency, ms) => {
      lines = [];
      ssm.reset();
      cw.reset();
      ecs.reset();
      const throttle = Object.assign(new Error('Rate exceeded'), { name: 'ThrottlingException' });
      const failure = Object.assign(new Error('boom'), { name: 'InternalFailure' });
      switch (dependency) {
        case 'answers':
          ssm.on(GetParameterCommand).resolves({ Parameter: { Value: 'approve', LastModifiedDate: new Date() } });
          answerDescribeAlarms(cw, QUIET_ALARMS);
          answerGetMetricData(cw, quietErrors());
          ecs.on(DescribeServiceRevisionsCommand).callsFake(revisions);
          behaviour = ok;
          break;
        case 'throttles':
          ssm.on(GetParameterCommand).rejects(throttle);
          cw.on(DescribeAlarmsCommand).rejects(throttle);
          cw.on(GetMetricDataCommand).rejects(throttle);
          ecs.on(DescribeServiceRevisionsCommand).rejects(throttle);
          behaviour = (_req, res) => { res.writeHead(429); res.end(); };
          break;
        case 'fails':
          ssm.on(GetParameterCommand).rejects(failure);
          cw.on(DescribeAlarmsCommand).rejects(failure);
          cw.on(GetMetricDataCommand).rejects(failure);
          ecs.on(DescribeServiceRevisionsCommand).rejects(failure);
          behaviour = (req) => req.socket.destroy();
          break;
        case 'hangs':
          ssm.on(GetParameterCommand).callsFake(never);
          cw.on(DescribeAlarmsCommand).callsFake(never);
          cw.on(GetMetricDataCommand).callsFake(never);
          ecs.on(DescribeServiceRevisionsCommand).callsFake(never);
          behaviour = hang;
          break;
      }
      const withBase = JSON.parse(JSON.stringify(ev ?? null, (_k, v) => (v === 'BASE' ? base : typeof v === 'bigint' ? String(v) : v)) ?? 'null');
      // Without a remaining time nothing bounds a hanging dependency but the Lambda itself: skip that pair.
      if (ms === undefined && dependency === 'hangs') return;
      await invoke(h, withBase, ms === undefined ? undefined : remaining(ms), ms === undefined ? 5_000 : Math.max(0, ms || 0));
    }), { seed: FUZZ_SEED, numRuns: RUNS });
  }, 120_000);
});
