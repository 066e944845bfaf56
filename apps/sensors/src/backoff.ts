/** Restart delays: 1 s, 2 s, 4 s... up to a minute; a sensor that ran a minute starts over at 1 s. */
export const RESTART_BACKOFF = { initialMs: 1_000, maxMs: 60_000, resetAfterMs: 60_000 };

/**
 * The wait before restarting a sensor that failed `failures` times in a row
 * (1 for the first failure).
 */
export function restartDelay(failures: number, backoff = RESTART_BACKOFF): number {
  return Math.min(backoff.initialMs * 2 ** Math.max(0, failures - 1), backoff.maxMs);
}
