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
