const THROTTLING_ERRORS = new Set([
  'Throttling', 'ThrottlingException', 'ThrottledException', 'TooManyRequestsException', 'RequestLimitExceeded',
  'RequestThrottled', 'RequestThrottledException', 'SlowDown', 'PriorRequestNotComplete',
]);

/** Whether an AWS SDK error is throttling (worth retrying after a pause). */
export function isThrottling(err: unknown): boolean {
  const e = err as { name?: string; $retryable?: { throttling?: boolean }; $metadata?: { httpStatusCode?: number } } | undefined;
  return !!e && (THROTTLING_ERRORS.has(e.name ?? '') || e.$retryable?.throttling === true || e.$metadata?.httpStatusCode === 429);
}

/**
 * Calls `fn`, retrying throttling errors with exponential backoff and jitter (100 ms, 200 ms,
 * 400 ms, ... up to `attempts` tries). Other errors are thrown at once.
 */
export async function withRetry<T>(fn: () => Promise<T>, attempts = 5, baseDelayMs = 100,
  onRetry?: (attempt: number, delayMs: number, err: unknown) => void): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await fn();
    } catch (err) {
      if (!isThrottling(err) || attempt >= attempts) throw err;
      const delay = baseDelayMs * 2 ** (attempt - 1) * (0.5 + Math.random() / 2);
      onRetry?.(attempt, Math.round(delay), err);
      await new Promise((resolve) => setTimeout(resolve, delay));
    }
  }
}
