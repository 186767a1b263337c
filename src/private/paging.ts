import { withRetry } from './retry';

/** Logs a throttling retry as one JSON line. */
export function logRetry(attempt: number, delayMs: number): void {
  console.log(JSON.stringify({ message: 'throttled, retrying', attempt, delayMs }));
}

/** Calls an AWS API, retrying throttling with backoff (5 tries), each retry logged. */
export function call<T>(fn: () => Promise<T>): Promise<T> {
  return withRetry(fn, 5, 200, logRetry);
}

/** All pages of a list/describe call (`next` is the page's marker or token), each page retried on throttling. */
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
