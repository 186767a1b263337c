// Built-in hook: sends HTTP requests to the green revision (test listener or test header) and
// fails the deployment on an unexpected status, body or latency. Samples in batches, returning
// IN_PROGRESS with its progress in hookDetails until all requests are done.
import { EcsHookResult, failed, hookHandler, inProgress, log, succeeded } from '../runtime';

interface SmokeState { sent: number; slowest: number }

export interface SmokeTestDetails {
  url?: string;
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

export const handler = hookHandler<SmokeTestDetails>(async (event) => {
  const d = event.hookDetails ?? {};
  if (typeof d.url !== 'string' || !/^https?:\/\//.test(d.url)) {
    return failed(`smoke test has no valid url (got ${JSON.stringify(d.url)}); give the service a test listener or test header, or set url`);
  }
  const target = new URL(d.path ?? '/', d.url).toString();
  const total = clamp(d.requests, 1, 1000, 10);
  const batch = clamp(d.batchSize, 1, 100, 5);
  const expected = Array.isArray(d.expectedStatus) && d.expectedStatus.length > 0 ? d.expectedStatus : [200];
  let pattern: RegExp | undefined;
  try {
    pattern = d.bodyPattern ? new RegExp(d.bodyPattern) : undefined;
  } catch {
    return failed(`bodyPattern is not a valid regular expression: ${d.bodyPattern}`);
  }
  const state: SmokeState = { sent: clamp(d._state?.sent, 0, total, 0), slowest: Number(d._state?.slowest) || 0 };

  const headers: Record<string, string> = {};
  if (d.headerName && d.headerValue) headers[d.headerName] = d.headerValue;
  const count = Math.min(batch, total - state.sent);
  for (let i = 0; i < count; i++) {
    const problem = await probe(target, headers, expected, pattern, d.maxLatencyMs, state);
    state.sent++;
    if (problem) return failed(`request ${state.sent}/${total} to ${target}: ${problem}`);
  }
  if (state.sent < total) {
    return inProgress(clamp(d.callBackDelaySeconds, 1, 900, 5), { ...d, _state: state } as Record<string, unknown>);
  }
  log('info', 'smoke test passed', { url: target, requests: total, slowestMs: state.slowest });
  return succeeded() as EcsHookResult;
});

async function probe(url: string, headers: Record<string, string>, expected: number[], pattern: RegExp | undefined,
  maxLatencyMs: number | undefined, state: SmokeState): Promise<string | undefined> {
  const started = Date.now();
  const abort = new AbortController();
  const timer = setTimeout(() => abort.abort(), maxLatencyMs ? Math.max(maxLatencyMs * 2, 1000) : REQUEST_TIMEOUT_MS);
  try {
    const response = await fetch(url, { headers, signal: abort.signal, redirect: 'manual' });
    const body = pattern ? await response.text() : (await response.arrayBuffer(), '');
    const latency = Date.now() - started;
    state.slowest = Math.max(state.slowest, latency);
    if (!expected.includes(response.status)) return `status ${response.status}, expected ${expected.join(' or ')}`;
    if (pattern && !pattern.test(body)) return `body does not match /${pattern.source}/ (first 100 chars: ${JSON.stringify(body.slice(0, 100))})`;
    if (maxLatencyMs !== undefined && latency > maxLatencyMs) return `took ${latency} ms, more than ${maxLatencyMs} ms`;
    return undefined;
  } catch (err) {
    return abort.signal.aborted ? 'timed out' : `request failed: ${err instanceof Error ? err.message : String(err)}`;
  } finally {
    clearTimeout(timer);
  }
}

function clamp(value: unknown, min: number, max: number, fallback: number): number {
  const n = Number(value);
  if (value === undefined || value === null || !Number.isFinite(n)) return fallback;
  return Math.min(max, Math.max(min, Math.floor(n)));
}
