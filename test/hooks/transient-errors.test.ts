// The built-in hooks against AWS errors that pass (5xx, network, throttling) and that do not
// (access denied): a transient error is retried within the invocation; one that outlasts the
// retries answers IN_PROGRESS (ECS invokes the hook again after callBackDelay, with the returned
// hookDetails: ECS developer guide, "Lambda hooks for Amazon ECS service deployments") until the
// hook's own deadline, then FAILED naming the error; a permanent error is FAILED at once.
import { CloudWatchClient, DescribeAlarmsCommand, DescribeAlarmsCommandInput, GetMetricDataCommand } from '@aws-sdk/client-cloudwatch';
import { DescribeServiceRevisionsCommand, ECSClient } from '@aws-sdk/client-ecs';
import { GetParameterCommand, SSMClient } from '@aws-sdk/client-ssm';
import { mockClient } from 'aws-sdk-client-mock';
import { handler as analysis } from '../../src/hooks/handlers/analysis.lambda';
import { handler as approval } from '../../src/hooks/handlers/approval-gate.lambda';
import { handler as metricCheck } from '../../src/hooks/handlers/metric-check.lambda';
import { HookContext } from '../../src/hooks/runtime';
import { describeAlarms } from '../support/cloudwatch-mock';
import { GREEN_REVISION_ARN, hookEvent } from '../support/hook-events';

const ssm = mockClient(SSMClient);
const cw = mockClient(CloudWatchClient);
const ecs = mockClient(ECSClient);

const MINUTE = 60_000;
const TG_ARNS = ['arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/a/1', 'arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/b/2'];
const ANALYSIS = { loadBalancer: 'app/api/1', targetGroupArns: TG_ARNS, targetGroupNames: ['targetgroup/a/1', 'targetgroup/b/2'] };

const unavailable = () => Object.assign(new Error('Service Unavailable'), { name: 'ServiceUnavailable', $metadata: { httpStatusCode: 503 } });
const reset = () => Object.assign(new Error('read ECONNRESET'), { name: 'Error', code: 'ECONNRESET', $metadata: {} });
const throttled = () => Object.assign(new Error('Rate exceeded'), { name: 'ThrottlingException', $metadata: { httpStatusCode: 400 } });
const denied = () => Object.assign(new Error('User is not authorized'), { name: 'AccessDeniedException', $metadata: { httpStatusCode: 400 } });

/** A Lambda context with plenty of time left. */
const context: HookContext = { getRemainingTimeInMillis: () => 25_000 };

let errors: string[];
let warnings: any[];
beforeEach(() => {
  ssm.reset();
  cw.reset();
  ecs.reset();
  errors = [];
  warnings = [];
  jest.spyOn(console, 'error').mockImplementation((line: string) => { errors.push(JSON.parse(line).reason); });
  jest.spyOn(console, 'warn').mockImplementation((line: string) => { warnings.push(JSON.parse(line)); });
  jest.spyOn(console, 'log').mockImplementation(() => undefined);
  // Retry pauses (under 5 s) pass at once; the wrapper's Lambda-timeout timer stays real.
  const realSetTimeout = global.setTimeout;
  jest.spyOn(global, 'setTimeout').mockImplementation(((fn: () => void, ms?: number) =>
    (ms !== undefined && ms < 5_000 ? (fn(), 0) : realSetTimeout(fn, ms))) as any);
});
afterEach(() => jest.restoreAllMocks());

const approved = () => ({ Parameter: { Value: 'approve', LastModifiedDate: new Date() } });

describe('approval gate', () => {
  const event = (details: Record<string, unknown> = {}) => hookEvent('PRE_PRODUCTION_TRAFFIC_SHIFT', details);

  test.each([
    ['a 503', unavailable],
    ['a network error', reset],
    ['throttling', throttled],
  ])('%s, then the decision: SUCCEEDED in the same invocation', async (_what, error) => {
    ssm.on(GetParameterCommand).rejectsOnce(error()).resolves(approved());
    expect(await approval(event(), context)).toEqual({ hookStatus: 'SUCCEEDED' });
    expect(ssm.commandCalls(GetParameterCommand)).toHaveLength(2);
    expect(warnings.map((w) => w.message)).toContain(error === throttled ? 'throttled, retrying' : 'transient error, retrying');
  });

  test('access denied is not retried: FAILED at once with the reason', async () => {
    ssm.on(GetParameterCommand).rejects(denied());
    expect(await approval(event(), context)).toEqual({ hookStatus: 'FAILED' });
    expect(ssm.commandCalls(GetParameterCommand)).toHaveLength(1);
    expect(errors[0]).toMatch(/AccessDeniedException: User is not authorized/);
  });

  test('a 5xx that lasts: IN_PROGRESS, keeping the start, until the timeout; then FAILED naming the error', async () => {
    ssm.on(GetParameterCommand).rejects(unavailable());
    const first = await approval(event({ timeoutMinutes: 10, pollSeconds: 30 }), context);
    expect(first.hookStatus).toBe('IN_PROGRESS');
    expect(first.callBackDelay).toBe(30);
    expect(ssm.commandCalls(GetParameterCommand)).toHaveLength(5);
    const startedAt = first.hookDetails?._startedAt as number;
    expect(startedAt).toBeGreaterThan(Date.now() - MINUTE);
    expect(first.hookDetails).toMatchObject({ timeoutMinutes: 10, pollSeconds: 30 });
    expect(errors).toEqual([]);

    // Later, before the deadline: still waiting; a minute before it, the next call comes at the deadline.
    expect((await approval(event({ ...first.hookDetails, _startedAt: Date.now() - 9 * MINUTE - 30_000 }), context)))
      .toMatchObject({ hookStatus: 'IN_PROGRESS', callBackDelay: 30 });
    // At the deadline, even with onTimeout CONTINUE: nothing could be read, so a rejection may have been missed.
    const last = await approval(event({ ...first.hookDetails, onTimeout: 'CONTINUE', _startedAt: Date.now() - 10 * MINUTE }), context);
    expect(last).toEqual({ hookStatus: 'FAILED' });
    expect(errors[0]).toMatch(/ServiceUnavailable: Service Unavailable/);
    expect(errors[0]).toMatch(/approval-gates?\b|\/ecs-blue-green\/approvals\/prod\/api/);
  });
});

describe('metric check', () => {
  const event = (details: Record<string, unknown>) => hookEvent('POST_PRODUCTION_TRAFFIC_SHIFT', details);
  const quiet = (input: DescribeAlarmsCommandInput) => describeAlarms([{ name: 'errors', state: 'OK' }], input);

  test.each([
    ['a 503', unavailable],
    ['a network error', reset],
  ])('%s on DescribeAlarms, then an answer: the check goes on (IN_PROGRESS, not FAILED)', async (_what, error) => {
    cw.on(DescribeAlarmsCommand).rejectsOnce(error()).callsFake(quiet);
    const result = await metricCheck(event({ alarmNames: ['errors'], windowMinutes: 10 }), context);
    expect(result.hookStatus).toBe('IN_PROGRESS');
    expect(errors).toEqual([]);
    expect(cw.commandCalls(DescribeAlarmsCommand)).toHaveLength(2);
  });

  test('a 5xx that lasts: IN_PROGRESS within the window, FAILED with the error once it passed', async () => {
    cw.on(DescribeAlarmsCommand).rejects(unavailable());
    const first = await metricCheck(event({ alarmNames: ['errors'], windowMinutes: 10, pollSeconds: 60 }), context);
    expect(first).toMatchObject({ hookStatus: 'IN_PROGRESS', callBackDelay: 60, hookDetails: { alarmNames: ['errors'], windowMinutes: 10 } });
    expect(typeof first.hookDetails?._startedAt).toBe('number');
    // A quiet window is never concluded from alarms that could not be read.
    const last = await metricCheck(event({ ...first.hookDetails, _startedAt: Date.now() - 11 * MINUTE }), context);
    expect(last).toEqual({ hookStatus: 'FAILED' });
    expect(errors[0]).toMatch(/metric check.*ServiceUnavailable: Service Unavailable/);
  });

  test('access denied on GetMetricData is FAILED at once', async () => {
    cw.on(GetMetricDataCommand).rejects(denied());
    expect(await metricCheck(event({ metric: { namespace: 'App', metricName: 'Errors' }, threshold: 5 }), context)).toEqual({ hookStatus: 'FAILED' });
    expect(cw.commandCalls(GetMetricDataCommand)).toHaveLength(1);
    expect(errors[0]).toMatch(/AccessDeniedException/);
  });
});

describe('analysis', () => {
  const event = (details: Record<string, unknown>) => hookEvent('POST_TEST_TRAFFIC_SHIFT', details);
  const revisions = () => ({
    serviceRevisions: [{ serviceRevisionArn: GREEN_REVISION_ARN, resolvedConfiguration: { loadBalancers: [{ targetGroupArn: TG_ARNS[1] }] } }],
  });

  test('a 503 from ECS, then the revision: the analysis goes on', async () => {
    ecs.on(DescribeServiceRevisionsCommand).rejectsOnce(unavailable()).callsFake(revisions);
    const result = await analysis(event(ANALYSIS), context);
    expect(result.hookStatus).toBe('IN_PROGRESS');
    expect(result.hookDetails).toMatchObject({ _state: { green: 1 } });
    expect(errors).toEqual([]);
  });

  test('GetMetricData failing with a 5xx: IN_PROGRESS keeping the periods to measure, FAILED after the timeout', async () => {
    ecs.on(DescribeServiceRevisionsCommand).callsFake(revisions);
    cw.on(GetMetricDataCommand).rejects(unavailable());
    const startedAt = Date.now() - 10 * MINUTE;
    const state = { startedAt, passes: 1, failures: 0, green: 1 };
    const result = await analysis(event({ ...ANALYSIS, timeoutMinutes: 30, _state: state }), context);
    expect(result.hookStatus).toBe('IN_PROGRESS');
    // Nothing was measured: the next invocation reads the same periods again.
    expect(result.hookDetails).toMatchObject({ timeoutMinutes: 30, _state: { startedAt, passes: 1, failures: 0, green: 1 } });
    const kept = result.hookDetails?._state as Record<string, unknown>;
    expect(kept.next).toBeUndefined();
    expect(kept.last).toMatch(/ServiceUnavailable: Service Unavailable/);
    expect(errors).toEqual([]);

    const almost = { ...state, startedAt: Date.now() - 30 * MINUTE + 1000 };
    const late = await analysis(event({ ...ANALYSIS, timeoutMinutes: 30, _state: almost }), context);
    expect(late.hookStatus).toBe('IN_PROGRESS');
    expect(late.callBackDelay).toBeLessThanOrEqual(1);
    expect((await analysis(event({ ...ANALYSIS, timeoutMinutes: 30, _state: { ...kept, startedAt: Date.now() - 31 * MINUTE } }), context)))
      .toEqual({ hookStatus: 'FAILED' });
    expect(errors[0]).toMatch(/analysis reached no verdict in 30 minutes.*ServiceUnavailable: Service Unavailable/);
  });

  test('access denied from ECS is FAILED at once', async () => {
    ecs.on(DescribeServiceRevisionsCommand).rejects(denied());
    expect(await analysis(event(ANALYSIS), context)).toEqual({ hookStatus: 'FAILED' });
    expect(ecs.commandCalls(DescribeServiceRevisionsCommand)).toHaveLength(1);
    expect(errors[0]).toMatch(/AccessDeniedException/);
  });
});

describe('retries within an invocation stay inside the Lambda timeout', () => {
  test('with little time left, no pause is taken: IN_PROGRESS rather than a timeout', async () => {
    (global.setTimeout as unknown as jest.SpyInstance).mockRestore();
    ssm.on(GetParameterCommand).rejects(unavailable());
    const result = await approval(hookEvent('PRE_PRODUCTION_TRAFFIC_SHIFT', {}), { getRemainingTimeInMillis: () => 2_000 });
    expect(result.hookStatus).toBe('IN_PROGRESS');
    expect(ssm.commandCalls(GetParameterCommand)).toHaveLength(1);
  });
});
