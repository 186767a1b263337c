import { withRetry as retry } from '../../private/retry';

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

/** Traffic weights by target group ARN (or Service Connect revision), as ECS reports them. */
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

/** Minimal Lambda context the wrapper uses. */
export interface HookContext {
  awsRequestId?: string;
  getRemainingTimeInMillis?(): number;
}

/** ECS accepts a call-back delay of at most 900 seconds (and at least 1). */
export const MAX_CALLBACK_DELAY_SECONDS = 900;

/** Largest hookDetails state (serialized JSON, bytes) the helpers hand back to ECS. */
export const MAX_STATE_BYTES = 4096;

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
 * `state` as the event's hookDetails.
 */
export function inProgress(callBackDelay: number, state?: Record<string, unknown>): EcsHookResult {
  const delay = Math.min(MAX_CALLBACK_DELAY_SECONDS, Math.max(1, Math.round(Number.isFinite(callBackDelay) ? callBackDelay : 30)));
  if (state === undefined) return { hookStatus: 'IN_PROGRESS', callBackDelay: delay };
  const size = Buffer.byteLength(JSON.stringify(state));
  if (size > MAX_STATE_BYTES) {
    return failed(`hook state of ${size} bytes exceeds ${MAX_STATE_BYTES} bytes`);
  }
  return { hookStatus: 'IN_PROGRESS', callBackDelay: delay, hookDetails: state };
}

/** One JSON log line (CloudWatch Logs Insights can query its fields). */
export function log(level: 'info' | 'warn' | 'error', message: string, fields: Record<string, unknown> = {}): void {
  const line = JSON.stringify({ level, message, ...fields });
  if (level === 'error') console.error(line);
  else if (level === 'warn') console.warn(line);
  else console.log(line);
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

/**
 * Wraps a hook implementation so that it never throws and never outlives its Lambda: a thrown
 * error, a malformed event, an invalid result or running out of time all become FAILED with a
 * logged reason.
 */
export function hookHandler<D = Record<string, unknown>>(
  fn: (event: EcsHookEvent<D>, context: HookContext) => Promise<EcsHookResult>,
): (event: unknown, context?: HookContext) => Promise<EcsHookResult> {
  return async (event: unknown, context: HookContext = {}) => {
    const shape = eventProblem(event);
    if (shape) return failed(`malformed hook event: ${shape}`);
    const e = event as EcsHookEvent<D>;
    log('info', 'hook invoked', { stage: e.lifecycleStage, executionId: e.executionId, serviceArn: e.executionDetails.serviceArn });
    let timer: NodeJS.Timeout | undefined;
    try {
      const remaining = context.getRemainingTimeInMillis?.();
      const work = fn({ ...e, hookDetails: detailsOf(e) as unknown as D }, context);
      const result = remaining === undefined ? await work : await Promise.race([
        work,
        new Promise<EcsHookResult>((resolve) => {
          timer = setTimeout(() => resolve(failed('hook ran out of time before its Lambda timeout')), Math.max(0, remaining - TIMEOUT_MARGIN_MS));
        }),
      ]);
      return validResult(result);
    } catch (err) {
      return failed(`hook threw: ${err instanceof Error ? `${err.name}: ${err.message}` : String(err)}`);
    } finally {
      if (timer) clearTimeout(timer);
    }
  };
}

function eventProblem(event: unknown): string | undefined {
  if (!event || typeof event !== 'object' || Array.isArray(event)) return 'not an object';
  const e = event as Record<string, any>;
  if (typeof e.lifecycleStage !== 'string') return 'lifecycleStage missing';
  if (!e.executionDetails || typeof e.executionDetails !== 'object') return 'executionDetails missing';
  if (typeof e.executionDetails.serviceArn !== 'string') return 'executionDetails.serviceArn missing';
  return undefined;
}

function validResult(result: unknown): EcsHookResult {
  const r = result as EcsHookResult | undefined;
  if (!r || !['SUCCEEDED', 'FAILED', 'IN_PROGRESS'].includes(r.hookStatus)) {
    return failed(`hook returned an invalid result: ${JSON.stringify(result)?.slice(0, 200)}`);
  }
  if (r.hookStatus === 'IN_PROGRESS') return inProgress(r.callBackDelay ?? 30, r.hookDetails);
  return r;
}

export { isThrottling } from '../../private/retry';

/**
 * Calls `fn`, retrying throttling errors of AWS SDK calls with exponential backoff and jitter,
 * logging each retry. Other errors are thrown at once.
 */
export function withRetry<T>(fn: () => Promise<T>, attempts = 5, baseDelayMs = 100): Promise<T> {
  return retry(fn, attempts, baseDelayMs, (attempt, delayMs) => log('warn', 'throttled, retrying', { attempt, delayMs }));
}
