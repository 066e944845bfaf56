export interface CoalescedRunnerOptions {
  /** Wait this long after a request, so a burst of changes (a pack's registration) makes one run. */
  debounceMs: number;
  /** Retry a failed run after 1 s, doubling up to this. */
  maxBackoffMs: number;
  onError(error: unknown, retryInMs: number): void;
}

/**
 * Runs `task` after requests, one run at a time: requests during a run cause
 * exactly one more run, and a failed run is retried with backoff until one
 * succeeds.
 */
export class CoalescedRunner {
  private timer?: NodeJS.Timeout;
  private running?: Promise<void>;
  private requested = false;
  private failures = 0;
  private closed = false;

  constructor(
    private readonly task: () => Promise<unknown>,
    private readonly options: CoalescedRunnerOptions,
  ) {}

  request(): void {
    if (this.closed) return;
    this.requested = true;
    this.arm(this.options.debounceMs);
  }

  /** Stops running; resolves once a run under way has ended. */
  async close(): Promise<void> {
    this.closed = true;
    clearTimeout(this.timer);
    this.timer = undefined;
    await this.running;
  }

  private arm(delayMs: number): void {
    if (this.running || this.timer || this.closed) return;
    this.timer = setTimeout(() => this.run(), delayMs);
  }

  private run(): void {
    this.timer = undefined;
    this.requested = false;
    this.running = this.task().then(
      () => {
        this.failures = 0;
      },
      (error: unknown) => {
        if (this.closed) return;
        const retryInMs = Math.min(1_000 * 2 ** this.failures++, this.options.maxBackoffMs);
        this.options.onError(error, retryInMs);
        this.requested = true;
        this.running = undefined;
        this.timer = setTimeout(() => this.run(), retryInMs);
      },
    );
    void this.running.finally(() => {
      if (this.timer) return;
      this.running = undefined;
      if (this.requested) this.arm(this.options.debounceMs);
    });
  }
}
