import { setTimeout as delay } from 'node:timers/promises';

export interface WaitForOptions {
  /** What is awaited, for the error message ("coturn presenting the renewed certificate"). */
  what: string;
  /** Give up after this long (default 10 s). */
  timeoutMs?: number;
  /** Pause between two checks (default 100 ms; 0 when each check waits by itself). */
  intervalMs?: number;
}

/**
 * Checks `condition` until it returns a truthy value and resolves with that
 * value: waiting on state, never on a fixed sleep. Rejects naming `what`
 * once `timeoutMs` has passed; an error thrown by `condition` ends the wait
 * at once (throw there when waiting is pointless, e.g. the process died).
 */
export async function waitFor<T>(condition: () => T | Promise<T>, options: WaitForOptions): Promise<NonNullable<T>> {
  const { what, timeoutMs = 10_000, intervalMs = 100 } = options;
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await condition();
    if (value) return value as NonNullable<T>;
    if (Date.now() >= deadline) throw new Error(`no ${what} within ${timeoutMs} ms`);
    await delay(intervalMs);
  }
}
