// Which AWS SDK errors are worth another attempt, and the retry loop every handler uses (hooks,
// the live-weights reader, the CLEANUP precondition). One classification for all of them.
//
// It follows the AWS SDK for JavaScript v3's standard retry mode ("Retry behavior", AWS SDKs and
// Tools Reference Guide: standard mode retries throttling and transient errors, three attempts by
// default; the error lists are those of @smithy/core 3.41, retry/service-error-classification):
// - throttling: the throttling error codes, HTTP 429, or an error the SDK marks $retryable.throttling;
// - transient: HTTP 500, 502, 503 and 504; TimeoutError, RequestTimeout(Exception); the Node.js
//   network errors ECONNRESET, ECONNREFUSED, EPIPE, ETIMEDOUT, EHOSTUNREACH, ENETUNREACH, ENOTFOUND,
//   EAI_AGAIN (also as an error's cause); an error the SDK marks $retryable; an error after which
//   the SDK corrected its clock skew. An AbortError is never retried.
// Unlike the SDK, LimitExceededException is not throttling here: in ECS and CloudFormation it is a
// quota, which another attempt does not lift. Everything else (access denied, validation, not
// found, 501) is permanent and thrown at once.
//
// Handlers build their clients with maxAttempts: 1 and retry here instead: the retries are logged,
// bounded by the time the Lambda has left, and seen by tests with mocked clients
// (aws-sdk-client-mock replaces send(), so the SDK's own retries never run under test). Never both:
// three SDK attempts times five here would be fifteen calls.

/** Longest wait for a connection to an AWS endpoint. */
export const CONNECTION_TIMEOUT_MS = 3_000;
/** Longest wait for an AWS answer: a hung call ends as a TimeoutError (transient) instead of running into the Lambda timeout. */
export const REQUEST_TIMEOUT_MS = 10_000;

/**
 * The AWS SDK client settings of every handler: one attempt (withRetry retries; never both), and
 * time limits on connecting and on each request. throwOnRequestTimeout makes an exceeded
 * requestTimeout an error: recent @smithy/node-http-handler versions only log it without it.
 */
export function handlerClientConfig() {
  return {
    maxAttempts: 1,
    requestHandler: { connectionTimeout: CONNECTION_TIMEOUT_MS, requestTimeout: REQUEST_TIMEOUT_MS, throwOnRequestTimeout: true },
  };
}

const THROTTLING_ERRORS = new Set([
  'Throttling', 'ThrottlingException', 'ThrottledException', 'TooManyRequestsException', 'RequestLimitExceeded',
  'RequestThrottled', 'RequestThrottledException', 'SlowDown', 'PriorRequestNotComplete', 'BandwidthLimitExceeded',
  'EC2ThrottledException', 'ProvisionedThroughputExceededException', 'TransactionInProgressException',
]);
const TRANSIENT_ERRORS = new Set(['TimeoutError', 'RequestTimeout', 'RequestTimeoutException']);
const TRANSIENT_STATUS = new Set([500, 502, 503, 504]);
const NETWORK_ERRORS = new Set(['ECONNRESET', 'ECONNREFUSED', 'EPIPE', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'ENOTFOUND', 'EAI_AGAIN']);
const NETWORK_MESSAGE = new RegExp(`socket hang up|\\b(${[...NETWORK_ERRORS].join('|')})\\b`);
/** How deep an error's causes are followed. */
const MAX_CAUSES = 5;

interface SdkError {
  name?: unknown;
  message?: unknown;
  code?: unknown;
  cause?: unknown;
  $retryable?: { throttling?: boolean };
  $metadata?: { httpStatusCode?: number; clockSkewCorrected?: boolean };
}

function asSdkError(err: unknown): SdkError | undefined {
  return err !== null && typeof err === 'object' ? err as SdkError : undefined;
}

/** Whether an AWS SDK error is throttling (worth retrying after a pause). */
export function isThrottling(err: unknown): boolean {
  const e = asSdkError(err);
  return !!e && (THROTTLING_ERRORS.has(String(e.name)) || e.$retryable?.throttling === true || e.$metadata?.httpStatusCode === 429);
}

/** Whether an AWS SDK error is throttling or transient (5xx, time-out, network): another attempt may succeed. */
export function isTransient(err: unknown): boolean {
  return transient(err, 0);
}

function transient(err: unknown, depth: number): boolean {
  const e = asSdkError(err);
  if (!e || e.name === 'AbortError') return false;
  if (isThrottling(e) || e.$retryable !== undefined || e.$metadata?.clockSkewCorrected === true) return true;
  if (TRANSIENT_ERRORS.has(String(e.name)) || NETWORK_ERRORS.has(String(e.code))) return true;
  if (TRANSIENT_STATUS.has(Number(e.$metadata?.httpStatusCode))) return true;
  // Node's http client reports a connection closed before the answer as "socket hang up"; an error
  // the SDK had to wrap ("AWS SDK error wrapper for Error: connect ECONNREFUSED ...") keeps the
  // code in its message only.
  if (typeof e.message === 'string' && NETWORK_MESSAGE.test(e.message)) return true;
  return depth < MAX_CAUSES && e.cause !== undefined && e.cause !== err && transient(e.cause, depth + 1);
}

/** The log message of a retry: throttling, or another transient error. */
export function retryMessage(err: unknown): string {
  return isThrottling(err) ? 'throttled, retrying' : 'transient error, retrying';
}

/** `Name: message` of an error, for logs and reasons. */
export function errorText(err: unknown): string {
  const e = asSdkError(err);
  try {
    return e ? `${String(e.name ?? 'Error')}: ${String(e.message ?? '')}` : String(err);
  } catch {
    return 'unprintable error';
  }
}

/**
 * Calls `fn`, retrying throttling and transient errors (isTransient) with exponential backoff and
 * jitter (50-100 % of baseDelayMs, then twice that, ... up to `attempts` tries). Other errors are
 * thrown at once. With `timeLeftMs`, a pause that would not fit in the milliseconds it returns is
 * not taken: the error is thrown instead (undefined: no limit).
 */
export async function withRetry<T>(fn: () => Promise<T>, attempts = 5, baseDelayMs = 100,
  onRetry?: (attempt: number, delayMs: number, err: unknown) => void, timeLeftMs?: () => number | undefined): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await fn();
    } catch (err) {
      if (!isTransient(err) || attempt >= attempts) throw err;
      const delay = Math.round(baseDelayMs * 2 ** (attempt - 1) * (0.5 + Math.random() / 2));
      const left = timeLeftMs?.();
      if (left !== undefined && delay >= left) throw err;
      onRetry?.(attempt, delay, err);
      await new Promise((resolve) => setTimeout(resolve, delay));
    }
  }
}
