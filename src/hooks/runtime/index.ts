import { REQUEST_TIMEOUT_MS, errorText, isTransient, retryMessage, withRetry as retry } from '../../private/retry';

/**
 * Typed helpers for ECS lifecycle hook handlers written in Node.js (TypeScript or JavaScript).
 * Not part of the jsii API: import from `cdk-ecs-blue-green/lib/hooks/runtime`.
 *
 * ```ts
 * import { hookHandler, succeeded, failed, inProgress } from 'cdk-ecs-blue-green/lib/hooks/runtime';
 * export const handler = hookHandler(async (event) => {
 *   if (event.lifecycleStage !== 'POST_TEST_TRAFFIC_SHIFT') return succeeded();
 *   ...
 * });
 * ```
 */

/**
 * Traffic weights (percent) by service revision ARN, as ECS reports them (ECS developer guide,
 * "Lifecycle hooks for Amazon ECS service deployments": testTrafficWeights and
 * productionTrafficWeights map service revision ARNs to weights).
 */
export type TrafficWeights = Record<string, number>;

/** What ECS sends to a Lambda lifecycle hook. */
export interface EcsHookEvent<D = Record<string, unknown>> {
  /** The deployment's execution details. */
  readonly executionDetails: {
    readonly serviceArn: string;
    readonly targetServiceRevisionArn: string;
    readonly testTrafficWeights?: TrafficWeights;
    readonly productionTrafficWeights?: TrafficWeights;
  };
  /** Identifies this hook execution; stays the same across IN_PROGRESS re-invocations. */
  readonly executionId: string;
  /** One of the LifecycleStage values. */
  readonly lifecycleStage: string;
  /** ARN of the service deployment. */
  readonly resourceArn: string;
  /** The hook's details, or the state returned with the last IN_PROGRESS. */
  readonly hookDetails?: D;
}

/** What a hook returns to ECS. */
export interface EcsHookResult {
  readonly hookStatus: 'SUCCEEDED' | 'FAILED' | 'IN_PROGRESS';
  /** Seconds before ECS invokes the hook again (IN_PROGRESS only). */
  readonly callBackDelay?: number;
  /** State handed to the next invocation (IN_PROGRESS). */
  readonly hookDetails?: Record<string, unknown>;
}

/** Minimal Lambda context the wrapper uses (the wrapper answers FAILED before the remaining time runs out). */
export interface HookContext {
  awsRequestId?: string;
  getRemainingTimeInMillis?(): number;
}

/** ECS accepts a call-back delay of at most 900 seconds (and at least 1). */
export const MAX_CALLBACK_DELAY_SECONDS = 900;

/**
 * Largest hookDetails state (serialized JSON, bytes) the helpers hand back to ECS: the 8 KB of
 * details the constructs accept, plus 1 KB for the handler's own progress.
 */
export const MAX_STATE_BYTES = 9216;

/** Lifecycle stages ECS knows (lifecycle-hook.ts); others are run, with a warning. */
const KNOWN_STAGES = new Set([
  'RECONCILE_SERVICE', 'PRE_SCALE_UP', 'POST_SCALE_UP', 'TEST_TRAFFIC_SHIFT', 'POST_TEST_TRAFFIC_SHIFT',
  'PRE_PRODUCTION_TRAFFIC_SHIFT', 'PRODUCTION_TRAFFIC_SHIFT', 'POST_PRODUCTION_TRAFFIC_SHIFT',
]);

/** Longest string a log line carries per field, and longest log line (CloudWatch Logs events are at most 256 KB). */
const MAX_LOGGED_STRING = 2048;
const MAX_LOG_LINE = 16_384;

/** The deployment may go on. */
export function succeeded(): EcsHookResult {
  return { hookStatus: 'SUCCEEDED' };
}

/** The deployment must roll back; the reason is logged. */
export function failed(reason: string): EcsHookResult {
  log('error', 'hook FAILED', { reason });
  return { hookStatus: 'FAILED' };
}

/**
 * Not decided yet: ECS invokes the hook again after `callBackDelay` seconds (1–900), with
 * `state` as the event's hookDetails. A state that is not a JSON object of at most
 * MAX_STATE_BYTES becomes FAILED.
 */
export function inProgress(callBackDelay: number, state?: Record<string, unknown>): EcsHookResult {
  const seconds = Number(callBackDelay);
  const delay = Math.min(MAX_CALLBACK_DELAY_SECONDS, Math.max(1, Math.round(Number.isFinite(seconds) ? seconds : 30)));
  if (state === undefined) return { hookStatus: 'IN_PROGRESS', callBackDelay: delay };
  if (state === null || typeof state !== 'object' || Array.isArray(state)) {
    return failed(`hook state must be a JSON object, got ${Array.isArray(state) ? 'an array' : state === null ? 'null' : typeof state}`);
  }
  let json: string;
  try {
    json = JSON.stringify(state);
  } catch (err) {
    return failed(`hook state is not JSON-serializable: ${describeError(err)}`);
  }
  const size = Buffer.byteLength(json);
  if (size > MAX_STATE_BYTES) {
    return failed(`hook state of ${size} bytes exceeds ${MAX_STATE_BYTES} bytes`);
  }
  return { hookStatus: 'IN_PROGRESS', callBackDelay: delay, hookDetails: JSON.parse(json) };
}

/**
 * One JSON log line (CloudWatch Logs Insights can query its fields). Long strings are cut to
 * 2 KB and the line to 16 KB, and a field that cannot be serialized never makes logging throw.
 */
export function log(level: 'info' | 'warn' | 'error', message: string, fields: Record<string, unknown> = {}): void {
  let line: string;
  try {
    line = JSON.stringify({ level, message, ...fields }, (_key, value) => {
      if (typeof value === 'string' && value.length > MAX_LOGGED_STRING) return `${value.slice(0, MAX_LOGGED_STRING)}... (${value.length} characters)`;
      if (typeof value === 'bigint') return value.toString();
      return value;
    });
  } catch (err) {
    line = JSON.stringify({ level, message, logError: `fields not serializable: ${describeError(err)}` });
  }
  if (line.length > MAX_LOG_LINE) line = JSON.stringify({ level, message, truncated: line.slice(0, MAX_LOG_LINE) });
  if (level === 'error') console.error(line);
  else if (level === 'warn') console.warn(line);
  else console.log(line);
}

/**
 * Milliseconds the hook may still spend before it must answer (the Lambda's remaining time minus
 * a margin to answer in), or undefined when the context has no getRemainingTimeInMillis. A
 * remaining time that is not a number counts as none left.
 */
export function timeLeft(context: HookContext | undefined): number | undefined {
  const get = context?.getRemainingTimeInMillis;
  if (typeof get !== 'function') return undefined;
  const remaining = Number(get.call(context));
  if (Number.isNaN(remaining)) return 0;
  return Math.min(MAX_TIMER_MS, Math.max(0, remaining - TIMEOUT_MARGIN_MS));
}

/** `Name: message` of an error, or its string form. */
/** Tolerance for clocks of different Lambda instances (and of the SDK's timestamps). */
export const CLOCK_SKEW_MS = 5_000;

/**
 * When a hook execution started: the time kept in its IN_PROGRESS state, or now. A start in the
 * future (this Lambda's clock was ahead on an earlier invocation, or the state was tampered with)
 * would ignore every decision and never time out, so it counts from now, with a warning.
 */
export function hookStartTime(kept: unknown, now: number): number {
  const t = Number(kept);
  if (!Number.isFinite(t) || t <= 0) return now;
  if (t > now + CLOCK_SKEW_MS) {
    log('warn', 'hook state starts in the future (clock skew?); counting from now', { startedAt: t, now });
    return now;
  }
  return t;
}

export function describeError(err: unknown): string {
  try {
    return err instanceof Error ? `${err.name}: ${err.message}` : String(err);
  } catch {
    return 'unprintable error';
  }
}

/**
 * Why there is nothing of the target revision to judge in this invocation, or undefined: the
 * event's production (else test) weights give the target revision (green) no traffic while
 * another revision has some. That is the state before a shift, and a rollback, in which ECS runs
 * TEST_TRAFFIC_SHIFT and PRODUCTION_TRAFFIC_SHIFT again with traffic moving back to blue. The
 * built-in hooks answer SUCCEEDED then: a rollback must not wait for, or be failed by, a check of
 * the revision it is leaving.
 */
export function trafficAwayFromTarget(event: EcsHookEvent<unknown>): string | undefined {
  const details = event.executionDetails;
  const target = details.targetServiceRevisionArn;
  for (const [kind, weights] of [['production', details.productionTrafficWeights], ['test', details.testTrafficWeights]] as const) {
    if (!weights || typeof weights !== 'object' || Array.isArray(weights)) continue;
    const entries = Object.entries(weights).slice(0, 100);
    if (entries.length === 0) continue;
    const mine = Number(weights[target]) || 0;
    const others = entries.filter(([arn]) => arn !== target).reduce((n, [, w]) => n + (Number(w) || 0), 0);
    return mine === 0 && others > 0 ? `${kind} traffic is on another revision (${others} %): before the shift, or a rollback back to blue` : undefined;
  }
  return undefined;
}

/** Parses the service ARN `arn:aws:ecs:region:account:service/cluster/service`. */
export function parseServiceArn(arn: unknown): { region: string; account: string; cluster: string; service: string } | undefined {
  if (typeof arn !== 'string') return undefined;
  const m = /^arn:aws[a-z-]*:ecs:([a-z0-9-]+):(\d{12}):service\/([^/]+)\/([^/]+)$/.exec(arn);
  return m ? { region: m[1], account: m[2], cluster: m[3], service: m[4] } : undefined;
}

/** Reads hookDetails as an object (ECS may pass it as a JSON string). */
export function detailsOf(event: unknown): Record<string, unknown> {
  const raw = (event as { hookDetails?: unknown } | null)?.hookDetails;
  if (typeof raw === 'string') {
    try {
      const parsed = JSON.parse(raw);
      return parsed && typeof parsed === 'object' && !Array.isArray(parsed) ? parsed : {};
    } catch {
      return {};
    }
  }
  return raw && typeof raw === 'object' && !Array.isArray(raw) ? raw as Record<string, unknown> : {};
}

/** Time the wrapper keeps in reserve before the Lambda timeout to answer FAILED. */
const TIMEOUT_MARGIN_MS = 1500;
/** Longest delay setTimeout honours (longer ones fire at once). */
const MAX_TIMER_MS = 2 ** 31 - 1;

/**
 * Wraps a hook implementation so that it never throws and never outlives its Lambda: a thrown
 * error, a malformed event, an invalid result or running out of time all become FAILED with a
 * logged reason. An unknown lifecycle stage is logged and the hook runs. Every answer is logged.
 */
export function hookHandler<D = Record<string, unknown>>(
  fn: (event: EcsHookEvent<D>, context: HookContext) => Promise<EcsHookResult>,
): (event: unknown, context?: HookContext) => Promise<EcsHookResult> {
  return async (event: unknown, context?: HookContext) => {
    const ctx: HookContext = context && typeof context === 'object' ? context : {};
    let timer: NodeJS.Timeout | undefined;
    let result: EcsHookResult;
    try {
      const shape = eventProblem(event);
      if (shape) {
        result = failed(`malformed hook event: ${shape}`);
      } else {
        const e = event as EcsHookEvent<D>;
        if (!KNOWN_STAGES.has(e.lifecycleStage)) log('warn', 'unknown lifecycle stage; running the hook anyway', { stage: e.lifecycleStage });
        log('info', 'hook invoked', { stage: e.lifecycleStage, executionId: e.executionId, serviceArn: e.executionDetails.serviceArn });
        const budget = timeLeft(ctx);
        // A synchronous throw in fn becomes a rejection of `work`.
        const work = Promise.resolve().then(() => fn({ ...e, hookDetails: detailsOf(e) as unknown as D }, ctx));
        const outcome = budget === undefined ? await work : await Promise.race([
          work,
          new Promise<EcsHookResult>((resolve) => {
            timer = setTimeout(() => resolve(failed('hook ran out of time before its Lambda timeout')), budget);
          }),
        ]);
        // The work may still settle after the answer: never let it become an unhandled rejection.
        work.catch((err) => log('warn', 'hook failed after it answered', { error: describeError(err) }));
        result = validResult(outcome);
      }
    } catch (err) {
      result = failed(`hook threw: ${describeError(err)}`);
    } finally {
      if (timer) clearTimeout(timer);
    }
    log('info', 'hook answered', { hookStatus: result.hookStatus, callBackDelay: result.callBackDelay });
    return result;
  };
}

function eventProblem(event: unknown): string | undefined {
  if (!event || typeof event !== 'object' || Array.isArray(event)) return 'not an object';
  const e = event as Record<string, any>;
  if (typeof e.lifecycleStage !== 'string') return 'lifecycleStage missing';
  if (!e.executionDetails || typeof e.executionDetails !== 'object' || Array.isArray(e.executionDetails)) return 'executionDetails missing';
  if (typeof e.executionDetails.serviceArn !== 'string') return 'executionDetails.serviceArn missing';
  return undefined;
}

/** The result as ECS expects it: only hookStatus, and callBackDelay and hookDetails for IN_PROGRESS. */
function validResult(result: unknown): EcsHookResult {
  const r = result !== null && typeof result === 'object' ? result as Partial<EcsHookResult> : undefined;
  switch (r?.hookStatus) {
    case 'SUCCEEDED':
      return { hookStatus: 'SUCCEEDED' };
    case 'FAILED':
      return { hookStatus: 'FAILED' };
    case 'IN_PROGRESS':
      return inProgress(r.callBackDelay ?? 30, r.hookDetails);
    default: {
      let shown: string;
      try {
        shown = String(JSON.stringify(result)).slice(0, 200);
      } catch {
        shown = typeof result;
      }
      return failed(`hook returned an invalid result: ${shown}`);
    }
  }
}

export { isThrottling, isTransient } from '../../private/retry';

/**
 * Time a retry keeps for its own call and the answer: no pause is taken that would eat into it.
 * A call of the built-in hooks' clients ends within REQUEST_TIMEOUT_MS (10 s).
 */
const RETRY_RESERVE_MS = REQUEST_TIMEOUT_MS + 2_000;

/**
 * Calls `fn`, retrying throttling and transient errors of AWS SDK calls (HTTP 5xx, time-outs,
 * network errors: see isTransient) with exponential backoff and jitter, logging each retry. Other
 * errors are thrown at once. With the Lambda `context`, no pause is taken that would leave less
 * than 12 seconds of the Lambda's time: the error is thrown instead, for readFailed to answer.
 */
export function withRetry<T>(fn: () => Promise<T>, attempts = 5, baseDelayMs = 100, context?: HookContext): Promise<T> {
  const left = () => {
    const ms = timeLeft(context);
    return ms === undefined ? undefined : ms - RETRY_RESERVE_MS;
  };
  return retry(fn, attempts, baseDelayMs, (attempt, delayMs, err) => log('warn', retryMessage(err), { attempt, delayMs, error: errorText(err) }), left);
}

/** What a hook was reading when AWS failed, and how it goes on. */
export interface ReadFailure {
  /** What was being read, for the log and the reason (e.g. "reading /ecs-blue-green/approvals/prod/api"). */
  readonly what: string;
  /** Now (ms). */
  readonly now: number;
  /** The hook's own deadline (ms): after it, a transient error is FAILED. */
  readonly deadline: number;
  /** Seconds before ECS invokes the hook again (capped at the time left to the deadline). */
  readonly callBackDelay: number;
  /** The state the next invocation needs (the same as for a normal IN_PROGRESS). */
  readonly state: Record<string, unknown>;
}

/**
 * The answer to an AWS error that outlasted withRetry. A permanent error (access denied,
 * validation, not found) is thrown again: the hook answers FAILED with it at once. A transient one
 * (isTransient) answers IN_PROGRESS, so that ECS invokes the hook again after callBackDelay with
 * `state` (ECS developer guide, "Lambda hooks for Amazon ECS service deployments": IN_PROGRESS,
 * callBackDelay, hookDetails), until the hook's deadline; then FAILED, naming the error.
 */
export function readFailed(err: unknown, o: ReadFailure): EcsHookResult {
  if (!isTransient(err)) throw err;
  const error = errorText(err);
  if (o.now >= o.deadline) {
    return failed(`${o.what} failed until the hook's deadline (${new Date(o.deadline).toISOString()}) with transient AWS errors; last: ${error}`);
  }
  const delay = Math.max(1, Math.min(Number(o.callBackDelay) || 30, Math.ceil((o.deadline - o.now) / 1000)));
  log('warn', 'transient AWS error; trying again in the next invocation', { what: o.what, error, callBackDelay: delay, deadline: new Date(o.deadline).toISOString() });
  return inProgress(delay, o.state);
}
