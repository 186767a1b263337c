// The analysis hook's judgement of one measurement, without AWS calls: what green and blue served
// in one period against the thresholds. Shared by the handler (analysis.lambda.ts) and its tests.

/** The analysis settings as the handler reads them from hookDetails. */
export interface AnalysisSettings {
  readonly maxErrorRate: number;
  readonly maxErrorRateRatio: number;
  readonly maxLatencyMs?: number;
  readonly maxLatencyRatio: number;
  readonly minRequests: number;
  readonly intervalSeconds: number;
  readonly measurements: number;
  readonly failureLimit: number;
  readonly onInconclusive: 'FAILED' | 'SUCCEEDED' | 'WAIT';
  readonly timeoutMinutes: number;
}

/** One target group in one period: 5xx count, request count, p99 TargetResponseTime (seconds). */
export interface Sample {
  readonly errors?: number;
  readonly requests?: number;
  readonly p99?: number;
}

export interface Measurement {
  readonly verdict: 'pass' | 'fail' | 'inconclusive';
  readonly reason: string;
  readonly green: { requests: number; errorRate?: number; p99Ms?: number };
  readonly blue: { requests: number; errorRate?: number; p99Ms?: number };
}

/** The settings from hookDetails, or why they are unusable. */
export function settingsOf(d: Record<string, unknown>): AnalysisSettings | string {
  const num = (key: string, min: number, max: number, fallback: number | undefined): number | undefined | string => {
    const v = d[key];
    if (v === undefined) return fallback;
    const n = Number(v);
    return typeof v === 'number' && Number.isFinite(n) && n >= min && n <= max ? n : `${key} must be a number from ${min} to ${max}, got ${JSON.stringify(v)?.slice(0, 100)}`;
  };
  const s = {
    maxErrorRate: num('maxErrorRate', 0, 1, 0.05),
    maxErrorRateRatio: num('maxErrorRateRatio', 1, 1e9, 2),
    maxLatencyMs: num('maxLatencyMs', 1, 600_000, undefined),
    maxLatencyRatio: num('maxLatencyRatio', 1, 1e9, 1.5),
    minRequests: num('minRequests', 1, 1e9, 50),
    intervalSeconds: num('intervalSeconds', 60, 3600, 60),
    measurements: num('measurements', 1, 100, 5),
    failureLimit: num('failureLimit', 0, 100, 0),
    timeoutMinutes: num('timeoutMinutes', 1, 20160, 30),
  };
  const bad = Object.values(s).find((v) => typeof v === 'string');
  if (typeof bad === 'string') return bad;
  if (Number(s.intervalSeconds) % 60 !== 0) return `intervalSeconds must be whole minutes, got ${s.intervalSeconds}`;
  const onInconclusive = d.onInconclusive ?? 'WAIT';
  if (onInconclusive !== 'FAILED' && onInconclusive !== 'SUCCEEDED' && onInconclusive !== 'WAIT') {
    return `onInconclusive must be FAILED, SUCCEEDED or WAIT, got ${JSON.stringify(onInconclusive)?.slice(0, 100)}`;
  }
  return { ...s, onInconclusive } as AnalysisSettings;
}

/**
 * Judges one period. Missing counts are 0 (ELB publishes no datapoint for a target group that
 * served nothing). Inconclusive when green served fewer than minRequests. Fails when green's 5xx
 * rate exceeds maxErrorRate, or its p99 maxLatencyMs; and, when blue served at least minRequests
 * too, when green's rate exceeds maxErrorRateRatio times blue's, or its p99 maxLatencyRatio times
 * blue's. For the rate ratio, either rate counts as at least one request of the smaller sample
 * (1 / min(requests)): below that, a sample cannot tell rates apart.
 */
export function measure(s: AnalysisSettings, green: Sample, blue: Sample): Measurement {
  const g = summary(green);
  const b = summary(blue);
  const result = (verdict: Measurement['verdict'], reason: string): Measurement => ({ verdict, reason, green: g, blue: b });
  if (g.requests < s.minRequests) return result('inconclusive', `green served ${g.requests} requests, fewer than ${s.minRequests}`);
  const rate = g.errorRate!;
  if (rate > s.maxErrorRate) return result('fail', `green's 5xx rate ${pct(rate)} is above ${pct(s.maxErrorRate)}`);
  if (s.maxLatencyMs !== undefined && g.p99Ms !== undefined && g.p99Ms > s.maxLatencyMs) {
    return result('fail', `green's p99 response time ${g.p99Ms} ms is above ${s.maxLatencyMs} ms`);
  }
  if (b.requests >= s.minRequests) {
    const resolution = 1 / Math.min(g.requests, b.requests);
    const baseline = Math.max(b.errorRate!, resolution);
    if (Math.max(rate, resolution) > s.maxErrorRateRatio * baseline) {
      return result('fail', `green's 5xx rate ${pct(rate)} is more than ${s.maxErrorRateRatio} times blue's ${pct(b.errorRate!)}`);
    }
    if (g.p99Ms !== undefined && b.p99Ms !== undefined && b.p99Ms > 0 && g.p99Ms > s.maxLatencyRatio * b.p99Ms) {
      return result('fail', `green's p99 response time ${g.p99Ms} ms is more than ${s.maxLatencyRatio} times blue's ${b.p99Ms} ms`);
    }
    return result('pass', `green ${pct(rate)} 5xx, p99 ${g.p99Ms ?? '-'} ms; blue ${pct(b.errorRate!)}, p99 ${b.p99Ms ?? '-'} ms`);
  }
  return result('pass', `green ${pct(rate)} 5xx, p99 ${g.p99Ms ?? '-'} ms (blue served ${b.requests} requests: no comparison)`);
}

function summary(x: Sample): { requests: number; errorRate?: number; p99Ms?: number } {
  const requests = Math.max(0, Number(x.requests) || 0);
  const errors = Math.max(0, Number(x.errors) || 0);
  const p99 = Number(x.p99);
  return {
    requests,
    errorRate: requests > 0 ? Math.min(1, errors / requests) : undefined,
    p99Ms: x.p99 !== undefined && Number.isFinite(p99) ? Math.round(p99 * 1000) : undefined,
  };
}

function pct(x: number): string {
  return `${(x * 100).toFixed(2)} %`;
}
