// Built-in hook: sends HTTP requests to the green revision (test listener or test header) and
// fails the deployment on an unexpected status, body or latency. Samples in batches, returning
// IN_PROGRESS with its progress in hookDetails until all requests are done. With hostHeader, the
// requests carry it as Host header and TLS server name (the certificate is checked against it)
// while the connection goes to the URL's address, e.g. a load balancer's DNS name.
import * as http from 'http';
import * as https from 'https';
import * as vm from 'vm';
import { EcsHookResult, failed, hookHandler, inProgress, log, succeeded, trafficAwayFromTarget, timeLeft } from '../runtime';

interface SmokeState { sent: number; slowest: number }

export interface SmokeTestDetails {
  url?: string;
  hostHeader?: string;
  path?: string;
  headerName?: string;
  headerValue?: string;
  requests?: number;
  batchSize?: number;
  expectedStatus?: number[];
  bodyPattern?: string;
  maxLatencyMs?: number;
  callBackDelaySeconds?: number;
  _state?: SmokeState;
}

const REQUEST_TIMEOUT_MS = 10_000;
/** No request waits longer than the function's 2-minute timeout. */
const MAX_REQUEST_TIMEOUT_MS = 120_000;
/** A request needs at least this much of the Lambda's remaining time to be sent. */
const MIN_REQUEST_BUDGET_MS = 1_000;
/** Only this much of a response body is read and matched against bodyPattern. */
const MAX_BODY_BYTES = 1024 * 1024;
/** A bodyPattern match may take this long (a pathological pattern must not stall the hook). */
const MAX_MATCH_MS = 1_000;
const MATCH = new vm.Script('pattern.test(body)');
/** An HTTP Host header value: a host name or address, optionally with a port. */
const HOST_HEADER = /^[A-Za-z0-9.-]+(:\d{1,5})?$/;

export const handler = hookHandler<SmokeTestDetails>(async (event, context) => {
  const away = trafficAwayFromTarget(event);
  if (away) {
    log('info', 'nothing of green to check', { reason: away });
    return succeeded();
  }
  const d = event.hookDetails ?? {};
  if (typeof d.url !== 'string' || !/^https?:\/\//.test(d.url)) {
    return failed(`smoke test has no valid url (got ${JSON.stringify(d.url)?.slice(0, 200)}); give the service a test listener or test header, or set url`);
  }
  if (d.path !== undefined && typeof d.path !== 'string') return failed(`smoke test path must be a string, got ${typeof d.path}`);
  let target: URL;
  try {
    target = new URL(d.path ?? '/', d.url);
  } catch {
    return failed(`smoke test url ${d.url.slice(0, 200)} with path ${String(d.path ?? '/').slice(0, 200)} is not a valid URL`);
  }
  const total = clamp(d.requests, 1, 1000, 10);
  const batch = clamp(d.batchSize, 1, 100, 5);
  const expected = Array.isArray(d.expectedStatus) && d.expectedStatus.length > 0 ? d.expectedStatus.map(Number) : [200];
  if (expected.some((s) => !Number.isInteger(s) || s < 100 || s > 599)) {
    return failed(`smoke test expectedStatus must be HTTP status codes, got ${JSON.stringify(d.expectedStatus)?.slice(0, 200)}`);
  }
  let pattern: RegExp | undefined;
  try {
    pattern = d.bodyPattern !== undefined && d.bodyPattern !== '' ? new RegExp(String(d.bodyPattern)) : undefined;
  } catch {
    return failed(`bodyPattern is not a valid regular expression: ${String(d.bodyPattern).slice(0, 200)}`);
  }
  const maxLatencyMs = d.maxLatencyMs === undefined ? undefined : Number(d.maxLatencyMs);
  if (maxLatencyMs !== undefined && !(maxLatencyMs > 0)) return failed(`smoke test maxLatencyMs must be a positive number, got ${JSON.stringify(d.maxLatencyMs)}`);
  const headers: Record<string, string> = {};
  if (d.hostHeader !== undefined) {
    if (typeof d.hostHeader !== 'string' || !HOST_HEADER.test(d.hostHeader)) {
      return failed(`smoke test hostHeader must be a host name (optionally with :port), got ${JSON.stringify(d.hostHeader)?.slice(0, 200)}`);
    }
    headers.host = d.hostHeader;
  }
  if (d.headerName !== undefined || d.headerValue !== undefined) {
    if (typeof d.headerName !== 'string' || typeof d.headerValue !== 'string') {
      return failed('smoke test headerName and headerValue must both be strings');
    }
    if (d.headerName && d.headerValue) headers[d.headerName] = d.headerValue;
  }
  const state: SmokeState = { sent: clamp(d._state?.sent, 0, total, 0), slowest: Math.max(0, Number(d._state?.slowest) || 0) };

  const count = Math.min(batch, total - state.sent);
  const sentBefore = state.sent;
  for (let i = 0; i < count; i++) {
    // Leave the rest of the batch to the next invocation rather than run out of Lambda time.
    const budget = timeLeft(context);
    if (budget !== undefined && budget < MIN_REQUEST_BUDGET_MS) {
      if (state.sent === sentBefore) return failed(`only ${budget} ms of Lambda time left: not enough for one request; raise the function's timeout`);
      break;
    }
    const timeout = Math.min(maxLatencyMs ? Math.max(maxLatencyMs * 2, 1000) : REQUEST_TIMEOUT_MS, MAX_REQUEST_TIMEOUT_MS, budget ?? Infinity);
    const problem = await probe(target, headers, expected, pattern, maxLatencyMs, timeout, state);
    state.sent++;
    if (problem) return failed(`request ${state.sent}/${total} to ${shown(target, d.hostHeader)}: ${problem}`);
  }
  if (state.sent < total) {
    return inProgress(clamp(d.callBackDelaySeconds, 1, 900, 5), { ...config(d), _state: state } as Record<string, unknown>);
  }
  log('info', 'smoke test passed', { url: shown(target, d.hostHeader), requests: total, slowestMs: state.slowest });
  return succeeded() as EcsHookResult;
});

/** The settings the next invocation needs (unknown fields of hookDetails are not carried along). */
function config(d: SmokeTestDetails): SmokeTestDetails {
  const { url, hostHeader, path, headerName, headerValue, requests, batchSize, expectedStatus, bodyPattern, maxLatencyMs, callBackDelaySeconds } = d;
  return { url, hostHeader, path, headerName, headerValue, requests, batchSize, expectedStatus, bodyPattern, maxLatencyMs, callBackDelaySeconds };
}

async function probe(url: URL, headers: Record<string, string>, expected: number[], pattern: RegExp | undefined,
  maxLatencyMs: number | undefined, timeoutMs: number, state: SmokeState): Promise<string | undefined> {
  const started = Date.now();
  const abort = new AbortController();
  const timer = setTimeout(() => abort.abort(), timeoutMs);
  try {
    const response = await get(url, headers, pattern !== undefined, abort.signal);
    const latency = Date.now() - started;
    state.slowest = Math.max(state.slowest, latency);
    if (!expected.includes(response.status)) return `status ${response.status}, expected ${expected.join(' or ')}`;
    if (pattern) {
      let matched: boolean;
      try {
        matched = MATCH.runInNewContext({ pattern, body: response.body }, { timeout: MAX_MATCH_MS }) === true;
      } catch {
        return `matching the body against /${pattern.source.slice(0, 100)}/ took more than ${MAX_MATCH_MS} ms`;
      }
      if (!matched) return `body does not match /${pattern.source.slice(0, 100)}/ (first 100 chars: ${JSON.stringify(response.body.slice(0, 100))})`;
    }
    if (maxLatencyMs !== undefined && latency > maxLatencyMs) return `took ${latency} ms, more than ${maxLatencyMs} ms`;
    return undefined;
  } catch (err) {
    const message = typeof (err as { message?: unknown } | null)?.message === 'string' ? (err as Error).message : String(err);
    return abort.signal.aborted ? `timed out after ${timeoutMs} ms` : `request failed: ${message}`;
  } finally {
    clearTimeout(timer);
  }
}

/**
 * One GET without following redirects. The Host header (if set) is also the TLS server name, so
 * the certificate is verified against it. Reads at most MAX_BODY_BYTES of the body, and none of it
 * unless asked (the connection is closed once the status arrives).
 */
function get(url: URL, headers: Record<string, string>, readBody: boolean, signal: AbortSignal): Promise<{ status: number; body: string }> {
  const secure = url.protocol === 'https:';
  const servername = headers.host?.replace(/:\d+$/, '');
  return new Promise((resolve, reject) => {
    const options: https.RequestOptions = { method: 'GET', headers, signal, agent: false, ...(secure && servername ? { servername } : {}) };
    const request = (secure ? https : http).request(url, options, (response) => {
      const status = response.statusCode ?? 0;
      if (!readBody) {
        response.destroy();
        resolve({ status, body: '' });
        return;
      }
      const chunks: Buffer[] = [];
      let size = 0;
      const done = () => resolve({ status, body: Buffer.concat(chunks).subarray(0, MAX_BODY_BYTES).toString('utf-8') });
      response.on('data', (chunk: Buffer) => {
        chunks.push(chunk);
        size += chunk.byteLength;
        if (size >= MAX_BODY_BYTES) {
          response.destroy();
          done();
        }
      });
      response.on('end', done);
      response.on('error', reject);
    });
    request.on('error', reject);
    request.end();
  });
}

/** The URL as logged: with the host name the requests carry when it differs from the address. */
function shown(url: URL, hostHeader: string | undefined): string {
  return hostHeader ? `${url.toString()} (Host ${hostHeader})` : url.toString();
}

function clamp(value: unknown, min: number, max: number, fallback: number): number {
  const n = Number(value);
  if (value === undefined || value === null || !Number.isFinite(n)) return fallback;
  return Math.min(max, Math.max(min, Math.floor(n)));
}
