/**
 * Condition waits. Nothing in the rig sleeps for a fixed time to "let things settle": it polls a condition
 * with a deadline and fails with the last observed value.
 */
export interface WaitOptions {
  timeout?: number;
  interval?: number;
  message?: string;
}

export async function waitUntil<T>(
  probe: () => Promise<T> | T,
  accept: (value: T) => boolean,
  opts: WaitOptions = {},
): Promise<T> {
  const timeout = opts.timeout ?? 10_000;
  const interval = opts.interval ?? 50;
  const deadline = Date.now() + timeout;
  let last: T | undefined;
  let lastError: unknown;
  for (;;) {
    try {
      last = await probe();
      lastError = undefined;
      if (accept(last)) return last;
    } catch (e) {
      lastError = e;
    }
    if (Date.now() >= deadline) {
      const seen = lastError ? `error ${(lastError as Error).message}` : JSON.stringify(last);
      throw new Error(`${opts.message ?? 'condition'} not met within ${timeout} ms; last seen: ${seen}`);
    }
    await new Promise((r) => setTimeout(r, interval));
  }
}

export function median(xs: number[]): number | null {
  if (!xs.length) return null;
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}
