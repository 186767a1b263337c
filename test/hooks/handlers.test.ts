import * as fs from 'fs';
import * as http from 'http';
import * as https from 'https';
import { AddressInfo } from 'net';
import * as path from 'path';
import { CloudWatchClient, DescribeAlarmsCommand, DescribeAlarmsCommandInput } from '@aws-sdk/client-cloudwatch';
import { GetParameterCommand, ParameterNotFound, SSMClient } from '@aws-sdk/client-ssm';
import { mockClient } from 'aws-sdk-client-mock';
import { handler as approval } from '../../src/hooks/handlers/approval-gate.lambda';
import { handler as smokeTest } from '../../src/hooks/handlers/http-smoke-test.lambda';
import { handler as metricCheck } from '../../src/hooks/handlers/metric-check.lambda';
import { EcsHookResult, MAX_STATE_BYTES, hookHandler, inProgress, parseServiceArn } from '../../src/hooks/runtime';
import { FakeAlarm, answerDescribeAlarms, answerGetMetricData, describeAlarms } from '../support/cloudwatch-mock';
import { HOOK_SERVICE_ARN, hookEvent } from '../support/hook-events';

const SERVICE_ARN = HOOK_SERVICE_ARN;

const event = hookEvent;

let errors: jest.SpyInstance;
beforeEach(() => {
  errors = jest.spyOn(console, 'error').mockImplementation(() => undefined);
  jest.spyOn(console, 'log').mockImplementation(() => undefined);
  jest.spyOn(console, 'warn').mockImplementation(() => undefined);
});
afterEach(() => jest.restoreAllMocks());

function loggedReasons(): string[] {
  return errors.mock.calls.map((c) => JSON.parse(c[0]).reason);
}

describe('hook runtime', () => {
  test.each([
    ['undefined', undefined],
    ['a string', 'hello'],
    ['an array', []],
    ['no stage', { executionDetails: { serviceArn: SERVICE_ARN } }],
    ['no execution details', { lifecycleStage: 'POST_SCALE_UP' }],
    ['no service ARN', { lifecycleStage: 'POST_SCALE_UP', executionDetails: {} }],
  ])('a malformed event (%s) is FAILED with a logged reason', async (_name, bad) => {
    const fn = jest.fn();
    const result = await hookHandler(fn)(bad);
    expect(result).toEqual({ hookStatus: 'FAILED' });
    expect(fn).not.toHaveBeenCalled();
    expect(loggedReasons()[0]).toMatch(/^malformed hook event/);
  });

  test('a thrown error becomes FAILED with the error in the log', async () => {
    const result = await hookHandler(async () => { throw new TypeError('boom'); })(event('POST_SCALE_UP'));
    expect(result).toEqual({ hookStatus: 'FAILED' });
    expect(loggedReasons()).toEqual(['hook threw: TypeError: boom']);
  });

  test('an invalid result becomes FAILED', async () => {
    const result = await hookHandler(async () => ({ hookStatus: 'MAYBE' } as unknown as EcsHookResult))(event('POST_SCALE_UP'));
    expect(result.hookStatus).toBe('FAILED');
    expect(loggedReasons()[0]).toMatch(/invalid result/);
  });

  test('a handler that would outlive its Lambda answers FAILED before the timeout', async () => {
    const never = hookHandler(() => new Promise<EcsHookResult>(() => undefined));
    const started = Date.now();
    const result = await never(event('POST_SCALE_UP'), { getRemainingTimeInMillis: () => 1700 });
    expect(result.hookStatus).toBe('FAILED');
    expect(Date.now() - started).toBeLessThan(1500);
    expect(loggedReasons()[0]).toMatch(/ran out of time/);
  });

  test('hookDetails given as a JSON string are parsed; garbage becomes {}', async () => {
    const seen: unknown[] = [];
    const h = hookHandler(async (e) => { seen.push(e.hookDetails); return { hookStatus: 'SUCCEEDED' }; });
    await h(event('POST_SCALE_UP', '{"a":1}'));
    await h(event('POST_SCALE_UP', '{not json'));
    await h(event('POST_SCALE_UP', [1, 2]));
    expect(seen).toEqual([{ a: 1 }, {}, {}]);
  });

  test('inProgress clamps the call-back delay and refuses oversized state', () => {
    expect(inProgress(0)).toEqual({ hookStatus: 'IN_PROGRESS', callBackDelay: 1 });
    expect(inProgress(5000)).toEqual({ hookStatus: 'IN_PROGRESS', callBackDelay: 900 });
    expect(inProgress(NaN).callBackDelay).toBe(30);
    expect(inProgress(10, { blob: 'x'.repeat(MAX_STATE_BYTES) }).hookStatus).toBe('FAILED');
  });

  test('parseServiceArn', () => {
    expect(parseServiceArn(SERVICE_ARN)).toEqual({ region: 'us-east-1', account: '123456789012', cluster: 'prod', service: 'api' });
    expect(parseServiceArn('arn:aws:ecs:us-east-1:123456789012:service/api')).toBeUndefined();
    expect(parseServiceArn(42)).toBeUndefined();
  });
});

describe('httpSmokeTest handler', () => {
  let server: http.Server;
  let base: string;
  const seen: http.IncomingHttpHeaders[] = [];
  let behaviour: (req: http.IncomingMessage, res: http.ServerResponse) => void;

  beforeAll(async () => {
    server = http.createServer((req, res) => { seen.push(req.headers); behaviour(req, res); });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));
  beforeEach(() => {
    seen.length = 0;
    behaviour = (_req, res) => { res.writeHead(200); res.end('{"status":"ok"}'); };
  });

  test('samples in batches: IN_PROGRESS with progress, then SUCCEEDED', async () => {
    const details = { url: base, path: '/health', requests: 7, batchSize: 5, bodyPattern: '"ok"', headerName: 'X-Test-Traffic', headerValue: 'true' };
    const first = await smokeTest(event('POST_TEST_TRAFFIC_SHIFT', details));
    expect(first.hookStatus).toBe('IN_PROGRESS');
    expect(first.callBackDelay).toBe(5);
    expect(first.hookDetails).toMatchObject({ ...details, _state: { sent: 5 } });
    const second = await smokeTest(event('POST_TEST_TRAFFIC_SHIFT', first.hookDetails));
    expect(second).toEqual({ hookStatus: 'SUCCEEDED' });
    expect(seen).toHaveLength(7);
    expect(seen.every((h) => h['x-test-traffic'] === 'true')).toBe(true);
  });

  test('an unexpected status fails with the reason', async () => {
    behaviour = (_req, res) => { res.writeHead(503); res.end('down'); };
    expect(await smokeTest(event('POST_TEST_TRAFFIC_SHIFT', { url: base, requests: 3 }))).toEqual({ hookStatus: 'FAILED' });
    expect(loggedReasons()[0]).toMatch(/request 1\/3 to http:\/\/127.0.0.1:\d+\/: status 503, expected 200/);
  });

  test('a body that does not match fails', async () => {
    expect((await smokeTest(event('POST_TEST_TRAFFIC_SHIFT', { url: base, requests: 1, bodyPattern: 'healthy' }))).hookStatus).toBe('FAILED');
    expect(loggedReasons()[0]).toMatch(/body does not match \/healthy\//);
  });

  test('a slow response fails the latency check', async () => {
    behaviour = (_req, res) => setTimeout(() => { res.writeHead(200); res.end('ok'); }, 150);
    expect((await smokeTest(event('POST_TEST_TRAFFIC_SHIFT', { url: base, requests: 1, maxLatencyMs: 50 }))).hookStatus).toBe('FAILED');
    expect(loggedReasons()[0]).toMatch(/took \d+ ms, more than 50 ms/);
  });

  test('hostHeader is sent as the Host header while the connection goes to the URL', async () => {
    const hosts: Array<string | undefined> = [];
    behaviour = (req, res) => { hosts.push(req.headers.host); res.writeHead(200); res.end('ok'); };
    expect(await smokeTest(event('POST_TEST_TRAFFIC_SHIFT', { url: base, hostHeader: 'api.example.com', requests: 2 }))).toEqual({ hookStatus: 'SUCCEEDED' });
    expect(hosts).toEqual(['api.example.com', 'api.example.com']);
  });

  test('over HTTPS, hostHeader is the TLS server name and the certificate is verified, not skipped', async () => {
    const names: string[] = [];
    const tls = https.createServer({
      key: fs.readFileSync(path.join(__dirname, '..', 'support', 'tls', 'green.test.key')),
      cert: fs.readFileSync(path.join(__dirname, '..', 'support', 'tls', 'green.test.crt')),
      SNICallback: (name, cb) => { names.push(name); cb(null); },
    }, (_req, res) => { res.writeHead(200); res.end('ok'); });
    await new Promise<void>((resolve) => tls.listen(0, '127.0.0.1', resolve));
    try {
      const url = `https://127.0.0.1:${(tls.address() as AddressInfo).port}`;
      expect(await smokeTest(event('POST_TEST_TRAFFIC_SHIFT', { url, hostHeader: 'green.test', requests: 1 }))).toEqual({ hookStatus: 'FAILED' });
      expect(names).toEqual(['green.test']);
      // The certificate is self-signed: trusted by nothing, it must be refused.
      expect(loggedReasons()[0]).toMatch(/^request 1\/1 to https:\/\/127\.0\.0\.1:\d+\/ \(Host green\.test\): request failed: self-signed certificate/);
    } finally {
      await new Promise<void>((resolve) => tls.close(() => resolve()));
    }
  });

  test('an unreachable endpoint fails, and so does a missing url', async () => {
    expect((await smokeTest(event('POST_TEST_TRAFFIC_SHIFT', { url: 'http://127.0.0.1:1', requests: 1 }))).hookStatus).toBe('FAILED');
    expect(loggedReasons()[0]).toMatch(/request failed/);
    expect((await smokeTest(event('POST_TEST_TRAFFIC_SHIFT', {}))).hookStatus).toBe('FAILED');
    expect(loggedReasons()[1]).toMatch(/no valid url/);
  });
});

describe('approvalGate handler', () => {
  const ssm = mockClient(SSMClient);
  beforeEach(() => ssm.reset());
  const name = '/ecs-blue-green/approvals/prod/api';

  test('waits (IN_PROGRESS) while there is no decision, remembering when it started', async () => {
    ssm.on(GetParameterCommand, { Name: name }).rejects(new ParameterNotFound({ message: 'not found', $metadata: {} }));
    const result = await approval(event('PRE_PRODUCTION_TRAFFIC_SHIFT', { pollSeconds: 20 }));
    expect(result).toMatchObject({ hookStatus: 'IN_PROGRESS', callBackDelay: 20, hookDetails: { _startedAt: expect.any(Number) } });
  });

  test('approve after the start succeeds; reject fails', async () => {
    const startedAt = Date.now() - 60_000;
    ssm.on(GetParameterCommand).resolves({ Parameter: { Name: name, Value: 'approve', LastModifiedDate: new Date() } });
    expect(await approval(event('PRE_PRODUCTION_TRAFFIC_SHIFT', { _startedAt: startedAt }))).toEqual({ hookStatus: 'SUCCEEDED' });
    ssm.on(GetParameterCommand).resolves({ Parameter: { Name: name, Value: ' Reject ', LastModifiedDate: new Date() } });
    expect(await approval(event('PRE_PRODUCTION_TRAFFIC_SHIFT', { _startedAt: startedAt }))).toEqual({ hookStatus: 'FAILED' });
    expect(loggedReasons()).toEqual([`rejected by ${name}`]);
  });

  test('a decision older than this execution is ignored (beyond 5 s of clock skew)', async () => {
    const startedAt = Date.now();
    ssm.on(GetParameterCommand).resolves({ Parameter: { Name: name, Value: 'approve', LastModifiedDate: new Date(startedAt - 60_000) } });
    expect((await approval(event('PRE_PRODUCTION_TRAFFIC_SHIFT', { _startedAt: startedAt }))).hookStatus).toBe('IN_PROGRESS');
    ssm.on(GetParameterCommand).resolves({ Parameter: { Name: name, Value: 'approve', LastModifiedDate: new Date(startedAt - 3_000) } });
    expect((await approval(event('PRE_PRODUCTION_TRAFFIC_SHIFT', { _startedAt: startedAt }))).hookStatus).toBe('SUCCEEDED');
  });

  test.each([
    ['CONTINUE', 'SUCCEEDED'],
    ['ROLLBACK', 'FAILED'],
    [undefined, 'FAILED'],
  ])('after the timeout with onTimeout %s the hook is %s', async (onTimeout, status) => {
    ssm.on(GetParameterCommand).rejects(new ParameterNotFound({ message: 'not found', $metadata: {} }));
    const result = await approval(event('PRE_PRODUCTION_TRAFFIC_SHIFT', { timeoutMinutes: 1, onTimeout, _startedAt: Date.now() - 61_000 }));
    expect(result.hookStatus).toBe(status);
  });

  test('throttled reads are retried', async () => {
    const throttle = Object.assign(new Error('slow down'), { name: 'ThrottlingException' });
    ssm.on(GetParameterCommand).rejectsOnce(throttle).resolves({ Parameter: { Value: 'approve', LastModifiedDate: new Date() } });
    expect((await approval(event('PRE_PRODUCTION_TRAFFIC_SHIFT', {}))).hookStatus).toBe('SUCCEEDED');
    expect(ssm.commandCalls(GetParameterCommand)).toHaveLength(2);
  });

  test('a custom prefix is used; SSM errors other than not-found fail the hook', async () => {
    ssm.on(GetParameterCommand, { Name: '/team/gates/prod/api' }).resolves({ Parameter: { Value: 'approve', LastModifiedDate: new Date() } });
    expect((await approval(event('PRE_PRODUCTION_TRAFFIC_SHIFT', { parameterPrefix: '/team/gates/' }))).hookStatus).toBe('SUCCEEDED');
    ssm.on(GetParameterCommand).rejects(Object.assign(new Error('denied'), { name: 'AccessDeniedException' }));
    expect((await approval(event('PRE_PRODUCTION_TRAFFIC_SHIFT', {}))).hookStatus).toBe('FAILED');
    expect(loggedReasons()[0]).toMatch(/hook threw: AccessDeniedException: denied/);
  });
});

describe('metricCheck handler', () => {
  const cw = mockClient(CloudWatchClient);
  beforeEach(() => cw.reset());
  const ALARMS: FakeAlarm[] = [
    { name: 'errors', state: 'ALARM' },
    { name: 'latency', state: 'OK' },
    { name: 'service-health', state: 'ALARM', composite: true },
    { name: 'quiet-composite', state: 'OK', composite: true },
  ];

  test('an alarm in ALARM fails at once', async () => {
    answerDescribeAlarms(cw, ALARMS);
    expect(await metricCheck(event('POST_PRODUCTION_TRAFFIC_SHIFT', { alarmNames: ['errors', 'latency'] }))).toEqual({ hookStatus: 'FAILED' });
    expect(loggedReasons()).toEqual(['alarm(s) in ALARM: errors']);
  });

  test('a composite alarm in ALARM fails: both alarm types are asked for', async () => {
    answerDescribeAlarms(cw, ALARMS);
    expect(await metricCheck(event('POST_PRODUCTION_TRAFFIC_SHIFT', { alarmNames: ['latency', 'service-health'] }))).toEqual({ hookStatus: 'FAILED' });
    expect(loggedReasons()).toEqual(['alarm(s) in ALARM: service-health']);
    expect(cw.commandCalls(DescribeAlarmsCommand)[0].args[0].input).toMatchObject({
      AlarmNames: ['latency', 'service-health'], AlarmTypes: ['MetricAlarm', 'CompositeAlarm'], MaxRecords: 100,
    });
  });

  test('an alarm that does not come back (deleted, misspelled, or not readable) fails, naming it', async () => {
    answerDescribeAlarms(cw, ALARMS);
    expect(await metricCheck(event('POST_PRODUCTION_TRAFFIC_SHIFT', { alarmNames: ['latency', 'latncy', 'quiet-composite'] }))).toEqual({ hookStatus: 'FAILED' });
    expect(loggedReasons()[0]).toMatch(/^alarm\(s\) not found: latncy \(deleted or misspelled, or composite alarms .* cloudwatch:DescribeAlarms on \*\)$/);
  });

  test('every page is read: an alarm in ALARM on the second page fails', async () => {
    const many: FakeAlarm[] = Array.from({ length: 60 }, (_, i) => ({ name: `a${i}`, state: i === 55 ? 'ALARM' : 'OK' }));
    answerDescribeAlarms(cw, many, 50);
    expect((await metricCheck(event('POST_PRODUCTION_TRAFFIC_SHIFT', { alarmNames: many.map((a) => a.name) }))).hookStatus).toBe('FAILED');
    expect(loggedReasons()).toEqual(['alarm(s) in ALARM: a55']);
    expect(cw.commandCalls(DescribeAlarmsCommand).map((c) => c.args[0].input.NextToken)).toEqual([undefined, '50']);
  });

  test('more than 100 alarm names is FAILED without a call', async () => {
    answerDescribeAlarms(cw, ALARMS);
    const alarmNames = Array.from({ length: 101 }, (_, i) => `a${i}`);
    expect((await metricCheck(event('POST_PRODUCTION_TRAFFIC_SHIFT', { alarmNames }))).hookStatus).toBe('FAILED');
    expect(loggedReasons()[0]).toBe('metric check watches at most 100 alarms (DescribeAlarms\' limit), got 101');
    expect(cw.commandCalls(DescribeAlarmsCommand)).toHaveLength(0);
  });

  test('quiet alarms: IN_PROGRESS inside the window, SUCCEEDED after it', async () => {
    answerDescribeAlarms(cw, ALARMS);
    const first = await metricCheck(event('POST_PRODUCTION_TRAFFIC_SHIFT', { alarmNames: ['latency', 'quiet-composite'], windowMinutes: 10, pollSeconds: 60 }));
    expect(first).toMatchObject({ hookStatus: 'IN_PROGRESS', callBackDelay: 60 });
    const later = await metricCheck(event('POST_PRODUCTION_TRAFFIC_SHIFT', { ...first.hookDetails, _startedAt: Date.now() - 11 * 60_000 }));
    expect(later).toEqual({ hookStatus: 'SUCCEEDED' });
  });

  test('a metric above its threshold fails; below-threshold mode too', async () => {
    const now = Date.now();
    answerGetMetricData(cw, [{
      namespace: 'App',
      metricName: 'Errors',
      dimensions: { Service: 'api' },
      stat: 'Average',
      period: 60,
      points: [[now - 180_000, 0], [now - 120_000, 2], [now - 30_000, 7]],
    }]);
    const metric = { namespace: 'App', metricName: 'Errors', dimensions: { Service: 'api' } };
    expect((await metricCheck(event('POST_PRODUCTION_TRAFFIC_SHIFT', { metric, threshold: 5 }))).hookStatus).toBe('FAILED');
    expect(loggedReasons()[0]).toBe('App/Errors was 7, above the threshold 5');
    expect((await metricCheck(event('POST_PRODUCTION_TRAFFIC_SHIFT', { metric, threshold: 8, comparison: 'LessThanThreshold' }))).hookStatus).toBe('FAILED');
    expect((await metricCheck(event('POST_PRODUCTION_TRAFFIC_SHIFT', { metric, threshold: 10 }))).hookStatus).toBe('IN_PROGRESS');
    // Only the last period since the start counts (the 0 and 2 are older); another dimension is another series.
    expect((await metricCheck(event('POST_PRODUCTION_TRAFFIC_SHIFT', { metric: { ...metric, dimensions: { Service: 'web' } }, threshold: 5 }))).hookStatus)
      .toBe('IN_PROGRESS');
  });

  test('throttling is retried with backoff, then the check goes on; endless throttling waits, then fails after the window', async () => {
    const throttle = Object.assign(new Error('Rate exceeded'), { name: 'ThrottlingException', $metadata: { httpStatusCode: 400 } });
    cw.on(DescribeAlarmsCommand).rejectsOnce(throttle).rejectsOnce(throttle)
      .callsFake((input: DescribeAlarmsCommandInput) => describeAlarms(ALARMS, input));
    const result = await metricCheck(event('POST_PRODUCTION_TRAFFIC_SHIFT', { alarmNames: ['latency'] }));
    expect(result.hookStatus).toBe('IN_PROGRESS');
    expect(cw.commandCalls(DescribeAlarmsCommand)).toHaveLength(3);
    cw.reset();
    cw.on(DescribeAlarmsCommand).rejects(throttle);
    // Within the window: ECS asks again later (a transient error is no verdict).
    expect((await metricCheck(event('POST_PRODUCTION_TRAFFIC_SHIFT', { alarmNames: ['latency'] }))).hookStatus).toBe('IN_PROGRESS');
    expect(cw.commandCalls(DescribeAlarmsCommand)).toHaveLength(5);
    // Once the window has passed: FAILED, naming the error.
    expect((await metricCheck(event('POST_PRODUCTION_TRAFFIC_SHIFT', { alarmNames: ['latency'], _startedAt: Date.now() - 11 * 60_000 }))).hookStatus)
      .toBe('FAILED');
    expect(loggedReasons()[0]).toMatch(/ThrottlingException/);
  });

  test('no alarms and no metric is FAILED with the reason', async () => {
    expect((await metricCheck(event('POST_PRODUCTION_TRAFFIC_SHIFT', {}))).hookStatus).toBe('FAILED');
    expect(loggedReasons()[0]).toMatch(/neither alarmNames nor metric/);
  });
});
