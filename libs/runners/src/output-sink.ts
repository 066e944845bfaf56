import type { OutputChunk } from '@tempest/db';

const FLUSH_INTERVAL_MS = 250;
const FLUSH_BYTES = 16 * 1024;

/**
 * Collects a running action's stdout and stderr and writes them out in small
 * batches while it runs, so `execution tail` shows output live. Chunks carry
 * sequence numbers, so a retried write is not duplicated.
 */
export class OutputSink {
  private pending: OutputChunk[] = [];
  private pendingBytes = 0;
  private seq = 0;
  private timer: NodeJS.Timeout | undefined;
  private flushing: Promise<void> = Promise.resolve();

  constructor(private readonly write: (chunks: OutputChunk[]) => Promise<void>) {}

  append(stream: 'stdout' | 'stderr', data: string): void {
    this.pending.push({ seq: this.seq++, stream, data });
    this.pendingBytes += data.length;
    if (this.pendingBytes >= FLUSH_BYTES) void this.flush();
    else this.timer ??= setTimeout(() => void this.flush(), FLUSH_INTERVAL_MS);
  }

  /** Writes what is pending; a failed write is kept and tried again with the next batch. */
  flush(): Promise<void> {
    clearTimeout(this.timer);
    this.timer = undefined;
    this.flushing = this.flushing.then(async () => {
      const batch = this.pending;
      if (batch.length === 0) return;
      this.pending = [];
      this.pendingBytes = 0;
      try {
        await this.write(batch);
      } catch {
        this.pending = [...batch, ...this.pending];
      }
    });
    return this.flushing;
  }

  /** Final flush: a write that fails now is reported to the caller. */
  async close(): Promise<void> {
    await this.flush();
    if (this.pending.length > 0) {
      const batch = this.pending;
      this.pending = [];
      await this.write(batch);
    }
  }
}
