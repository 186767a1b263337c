import { errorText, retryMessage, withRetry } from './retry';

/** Logs a retry (throttling, or another transient error) as one JSON line. */
export function logRetry(attempt: number, delayMs: number, err?: unknown): void {
  console.log(JSON.stringify({ message: retryMessage(err), attempt, delayMs, error: err === undefined ? undefined : errorText(err) }));
}

/**
 * Calls an AWS API, retrying throttling and transient errors (5xx, time-outs, network: see
 * retry.ts) with backoff, each retry logged. Five tries with pauses of 100-200, 200-400, 400-800
 * and 800-1600 ms: at most 3 s of pauses per call, far inside a custom resource's 2-minute timeout.
 */
export function call<T>(fn: () => Promise<T>): Promise<T> {
  return withRetry(fn, 5, 200, logRetry);
}

/** All pages of a list/describe call (`next` is the page's marker or token), each page retried as `call` does. */
export async function paged<T>(page: (marker: string | undefined) => Promise<{ items?: T[]; next?: string }>): Promise<T[]> {
  const all: T[] = [];
  let marker: string | undefined;
  do {
    const out = await call(() => page(marker));
    all.push(...(out.items ?? []));
    marker = out.next;
  } while (marker);
  return all;
}

/** The call's result, or undefined when it failed with `name` (the resource does not exist). */
export async function absentOn<T>(name: string, result: Promise<T>): Promise<T | undefined> {
  try {
    return await result;
  } catch (err) {
    if ((err as Error)?.name === name) return undefined;
    throw err;
  }
}

/** One promise per key: concurrent and repeated reads of the same resource share one call. */
export function once<T>(cache: Map<string, Promise<T>>, key: string, make: () => Promise<T>): Promise<T> {
  let value = cache.get(key);
  if (!value) {
    value = make();
    cache.set(key, value);
  }
  return value;
}
