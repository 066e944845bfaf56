export interface RestartPolicy {
  /** Delay before the first restart; each quick crash after it doubles the delay. */
  firstDelayMs: number;
  maxDelayMs: number;
  /** A run that lasted this long was healthy: the next crash starts the back-off afresh. */
  stableAfterMs: number;
  /** Crashes in a row (each within stableAfterMs of its start) that are restarted; one more gives up. */
  maxRestarts: number;
}

/** 0.5 s, 1 s, 2 s, 4 s, 8 s: back within seconds after a one-off crash, giving up after about 16 s of crash loop. */
export const DEFAULT_RESTART_POLICY: RestartPolicy = { firstDelayMs: 500, maxDelayMs: 8_000, stableAfterMs: 30_000, maxRestarts: 5 };

export type RestartDecision = { restart: number; delayMs: number } | { giveUp: true; crashes: number };

/** Exponential back-off of one service's restarts. */
export class RestartBackoff {
  private crashes = 0;

  constructor(private readonly policy: RestartPolicy = DEFAULT_RESTART_POLICY) {}

  /** Called when the service exited after running `ranForMs`: restart it after a delay, or give up. */
  next(ranForMs: number): RestartDecision {
    if (ranForMs >= this.policy.stableAfterMs) this.crashes = 0;
    this.crashes += 1;
    if (this.crashes > this.policy.maxRestarts) return { giveUp: true, crashes: this.crashes };
    return { restart: this.crashes, delayMs: Math.min(this.policy.firstDelayMs * 2 ** (this.crashes - 1), this.policy.maxDelayMs) };
  }
}
