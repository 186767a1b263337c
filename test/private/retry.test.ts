// The one classification of transient AWS errors (src/private/retry.ts) and the retry loop every
// handler uses. The classification is checked against errors a real AWS SDK v3 client raises for
// real HTTP answers of a local endpoint (503, 500, throttling, access denied, a dropped connection,
// a refused connection, a request timeout), not only against hand-made error objects.
import * as http from 'http';
import { AddressInfo } from 'net';
import { ECSClient, ListClustersCommand } from '@aws-sdk/client-ecs';
import { isThrottling, isTransient, withRetry } from '../../src/private/retry';

type Behaviour = (req: http.IncomingMessage, res: http.ServerResponse) => void;
let server: http.Server;
let endpoint: string;
let behaviours: Behaviour[] = [];
let requests = 0;

beforeAll(async () => {
  server = http.createServer((req, res) => {
    requests++;
    req.resume();
    (behaviours.length > 1 ? behaviours.shift()! : behaviours[0])(req, res);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});
beforeEach(() => {
  requests = 0;
});

const json = (status: number, body: unknown): Behaviour => (_req, res) => {
  res.writeHead(status, { 'content-type': 'application/x-amz-json-1.1' });
  res.end(JSON.stringify(body));
};
const empty = (status: number): Behaviour => (_req, res) => {
  res.writeHead(status);
  res.end();
};
const drop: Behaviour = (req) => req.socket.destroy();
const hang: Behaviour = () => undefined;

/** A client as the handlers build theirs (one attempt: retries are withRetry's), against the local endpoint. */
function client(endpointUrl = endpoint): ECSClient {
  return new ECSClient({
    maxAttempts: 1,
    region: 'us-east-1',
    endpoint: endpointUrl,
    credentials: { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'secret' },
    requestHandler: { requestTimeout: 300, throwOnRequestTimeout: true },
  });
}

/** The error a real SDK client raises for `behaviour`. */
async function sdkError(behaviour: Behaviour): Promise<unknown> {
  behaviours = [behaviour];
  return client().send(new ListClustersCommand({})).then(() => undefined, (err: unknown) => err);
}

describe('isTransient, on errors a real SDK client raises', () => {
  test.each<[string, Behaviour]>([
    ['HTTP 503 without a body', empty(503)],
    ['HTTP 502 without a body', empty(502)],
    ['HTTP 504 without a body', empty(504)],
    ['HTTP 500 ServerException', json(500, { __type: 'ServerException', message: 'internal' })],
    ['HTTP 400 ThrottlingException', json(400, { __type: 'ThrottlingException', message: 'Rate exceeded' })],
    ['a connection dropped before the answer', drop],
    ['a request that times out', hang],
  ])('%s is transient', async (_what, behaviour) => {
    const err = await sdkError(behaviour);
    expect(err).toBeDefined();
    expect(isTransient(err)).toBe(true);
  });

  test('a refused connection is transient', async () => {
    const closed = http.createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const err = await client(`http://127.0.0.1:${port}`).send(new ListClustersCommand({})).then(() => undefined, (e: unknown) => e);
    expect(isTransient(err)).toBe(true);
  });

  test.each<[string, Behaviour]>([
    ['HTTP 400 AccessDeniedException', json(400, { __type: 'AccessDeniedException', message: 'not authorized' })],
    ['HTTP 400 InvalidParameterException', json(400, { __type: 'InvalidParameterException', message: 'bad' })],
    ['HTTP 400 ClusterNotFoundException', json(400, { __type: 'ClusterNotFoundException', message: 'no cluster' })],
    ['HTTP 501 without a body', empty(501)],
  ])('%s is permanent', async (_what, behaviour) => {
    const err = await sdkError(behaviour);
    expect(err).toBeDefined();
    expect(isTransient(err)).toBe(false);
  });
});

describe('isTransient, on error shapes', () => {
  const error = (name: string, extra: Record<string, unknown> = {}) => Object.assign(new Error(name), { name, ...extra });
  test.each<[string, unknown, boolean]>([
    ['ThrottlingException', error('ThrottlingException'), true],
    ['Throttling (ELB, CloudFormation)', error('Throttling', { $metadata: { httpStatusCode: 400 } }), true],
    ['HTTP 429', error('Unknown', { $metadata: { httpStatusCode: 429 } }), true],
    ['$retryable', error('SomethingElse', { $retryable: {} }), true],
    ['InternalFailure 500', error('InternalFailure', { $metadata: { httpStatusCode: 500 } }), true],
    ['ServiceUnavailable 503', error('ServiceUnavailable', { $metadata: { httpStatusCode: 503 } }), true],
    ['TimeoutError', error('TimeoutError'), true],
    ['RequestTimeoutException', error('RequestTimeoutException'), true],
    ['ECONNRESET', error('Error', { code: 'ECONNRESET' }), true],
    ['ETIMEDOUT', error('Error', { code: 'ETIMEDOUT' }), true],
    ['EAI_AGAIN (DNS)', error('Error', { code: 'EAI_AGAIN' }), true],
    ['socket hang up', new Error('socket hang up'), true],
    ['a network error the SDK wrapped', new Error('AWS SDK error wrapper for Error: connect ECONNREFUSED 127.0.0.1:1'), true],
    ['a code-like word inside another word', new Error('XECONNRESETX'), false],
    ['a network error as the cause', Object.assign(new Error('wrapped'), { cause: error('Error', { code: 'ECONNRESET' }) }), true],
    ['a clock-skew-corrected error', error('SignatureDoesNotMatch', { $metadata: { httpStatusCode: 403, clockSkewCorrected: true } }), true],
    ['AccessDeniedException', error('AccessDeniedException', { $metadata: { httpStatusCode: 400 } }), false],
    ['AccessDenied 403', error('AccessDenied', { $metadata: { httpStatusCode: 403 } }), false],
    ['ValidationException', error('ValidationException', { $metadata: { httpStatusCode: 400 } }), false],
    ['ResourceNotFoundException', error('ResourceNotFoundException', { $metadata: { httpStatusCode: 404 } }), false],
    ['LimitExceededException (a quota)', error('LimitExceededException', { $metadata: { httpStatusCode: 400 } }), false],
    ['HTTP 501', error('NotImplemented', { $metadata: { httpStatusCode: 501 } }), false],
    ['AbortError, even with a 503', error('AbortError', { $metadata: { httpStatusCode: 503 } }), false],
    ['a TypeError from our own code', new TypeError('x is undefined'), false],
    ['undefined', undefined, false],
    ['a string', 'ECONNRESET', false],
  ])('%s: %s', (_what, err, transient) => {
    expect(isTransient(err)).toBe(transient);
  });

  test('throttling stays its own class (it is logged as such)', () => {
    expect(isThrottling(error('ThrottlingException'))).toBe(true);
    expect(isThrottling(error('Error', { code: 'ECONNRESET' }))).toBe(false);
  });

  test('a cause chain that loops ends', () => {
    const a: Error & { cause?: unknown } = new Error('a');
    a.cause = a;
    expect(isTransient(a)).toBe(false);
  });
});

describe('withRetry', () => {
  // Pauses of 1 ms base (the SDK client's request timeout needs the real setTimeout).
  test('a 503 and then an answer: the call succeeds on the second attempt (real client)', async () => {
    behaviours = [empty(503), json(200, { clusterArns: ['arn:aws:ecs:us-east-1:123456789012:cluster/prod'] })];
    const retried: unknown[] = [];
    const out = await withRetry(() => client().send(new ListClustersCommand({})), 5, 1, (_a, _d, err) => retried.push(err));
    expect(out.clusterArns).toEqual(['arn:aws:ecs:us-east-1:123456789012:cluster/prod']);
    expect(requests).toBe(2);
    expect(retried).toHaveLength(1);
  });

  test('a dropped connection and then an answer: the call succeeds (real client)', async () => {
    behaviours = [drop, json(200, { clusterArns: [] })];
    await expect(withRetry(() => client().send(new ListClustersCommand({})), 5, 1)).resolves.toBeDefined();
    expect(requests).toBe(2);
  });

  test('a permanent error is thrown at once, without a retry', async () => {
    behaviours = [json(400, { __type: 'AccessDeniedException', message: 'not authorized' })];
    await expect(withRetry(() => client().send(new ListClustersCommand({})), 5, 1)).rejects.toThrow('not authorized');
    expect(requests).toBe(1);
  });

  test('a persistent 5xx is thrown after `attempts` tries', async () => {
    behaviours = [empty(503)];
    const err = await withRetry(() => client().send(new ListClustersCommand({})), 4, 1).catch((e: unknown) => e);
    expect(isTransient(err)).toBe(true);
    expect(requests).toBe(4);
  });

  test('backoff doubles with jitter: 50-100 % of 10, 20, 40 ms', async () => {
    const delays: number[] = [];
    const fail = Object.assign(new Error('busy'), { name: 'ServiceUnavailable', $metadata: { httpStatusCode: 503 } });
    await withRetry(() => Promise.reject(fail), 4, 10, (_a, d) => delays.push(d)).catch(() => undefined);
    expect(delays).toHaveLength(3);
    [10, 20, 40].forEach((base, i) => {
      expect(delays[i]).toBeGreaterThanOrEqual(base / 2);
      expect(delays[i]).toBeLessThanOrEqual(base);
    });
  });

  test('no retry whose pause would not fit in the time left', async () => {
    const fail = Object.assign(new Error('busy'), { name: 'ServiceUnavailable', $metadata: { httpStatusCode: 503 } });
    const fn = jest.fn(() => Promise.reject(fail));
    // 40 ms left: not even the first pause (50-100 ms) fits.
    await expect(withRetry(fn, 5, 100, undefined, () => 40)).rejects.toBe(fail);
    expect(fn).toHaveBeenCalledTimes(1);
    fn.mockClear();
    // Without a limit all five attempts run.
    await expect(withRetry(fn, 5, 1, undefined, () => undefined)).rejects.toBe(fail);
    expect(fn).toHaveBeenCalledTimes(5);
  });
});
