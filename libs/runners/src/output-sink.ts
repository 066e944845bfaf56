import type { OutputChunk } from '@tempest/db';

const FLUSH_INTERVAL_MS = 250;
const FLUSH_BYTES = 16 * 1024;
/** Output held while the audit trail cannot be written; beyond it the oldest is dropped. */
const MAX_PENDING_BYTES = 4 * 1024 * 1024;
/**
 * What the audit trail keeps of one attempt's output: a command that writes
 * without end (`yes`, a runaway loop) must not fill Postgres, nor the memory
 * of whoever reads it back (GET …/output).
 */
export const MAX_STORED_BYTES = 16 * 1024 * 1024;

export interface OutputLimits {
  maxPendingBytes?: number;
  maxStoredBytes?: number;
}

/**
 * Collects a running action's stdout and stderr and writes them out in small
 * batches while it runs, so `execution tail` shows output live. Chunks carry
 * sequence numbers, so a retried write is not duplicated. While writes fail
 * (Postgres down) at most `maxPendingBytes` wait: the oldest output goes
 * first, replaced by one stderr line saying how much was dropped. Only the
 * first `maxStoredBytes` are kept at all; the final flush says how much more
 * there was.
 */
export class OutputSink {
  private pending: OutputChunk[] = [];
  private pendingBytes = 0;
  private dropped: { seq: number; bytes: number } | undefined;
  private seq = 0;
  private timer: NodeJS.Timeout | undefined;
  private flushing: Promise<void> = Promise.resolve();
  /** Output taken in so far, and what came beyond maxStoredBytes. */
  private storedBytes = 0;
  private notKeptBytes = 0;
  private readonly maxPendingBytes: number;
  private readonly maxStoredBytes: number;

  constructor(
    private readonly write: (chunks: OutputChunk[]) => Promise<void>,
    limits: OutputLimits = {},
  ) {
    this.maxPendingBytes = limits.maxPendingBytes ?? MAX_PENDING_BYTES;
    this.maxStoredBytes = limits.maxStoredBytes ?? MAX_STORED_BYTES;
  }

  /** Whether the action wrote nothing at all (so there is nothing to flush). */
  get isEmpty(): boolean {
    return this.seq === 0;
  }

  append(stream: 'stdout' | 'stderr', data: string): void {
    const room = this.maxStoredBytes - this.storedBytes;
    if (data.length > room) {
      this.notKeptBytes += data.length - room;
      data = data.slice(0, room);
    }
    if (data.length === 0) return;
    this.storedBytes += data.length;
    this.pending.push({ seq: this.seq++, stream, data });
    this.pendingBytes += data.length;
    this.dropOldest();
    if (this.pendingBytes >= FLUSH_BYTES) void this.flush();
    else this.timer ??= setTimeout(() => void this.flush(), FLUSH_INTERVAL_MS);
  }

  /** Writes what is pending; a failed write is kept and tried again with the next batch. */
  flush(): Promise<void> {
    clearTimeout(this.timer);
    this.timer = undefined;
    this.flushing = this.flushing.then(async () => {
      const { chunks, dropped } = this.take();
      if (chunks.length === 0) return;
      try {
        await this.write(chunks);
      } catch {
        this.putBack(chunks, dropped);
      }
    });
    return this.flushing;
  }

  /** Final flush: a write that fails now is reported to the caller. */
  async close(): Promise<void> {
    if (this.notKeptBytes > 0) {
      this.pending.push({ seq: this.seq++, stream: 'stderr', data: `[tempest: the output beyond its first ${this.maxStoredBytes} characters was not kept: ${this.notKeptBytes} more characters]\n` });
      this.notKeptBytes = 0;
    }
    await this.flush();
    const { chunks } = this.take();
    if (chunks.length > 0) await this.write(chunks);
  }

  /** What is pending, led by the note of what was dropped (it takes the first dropped chunk's sequence number). */
  private take(): { chunks: OutputChunk[]; dropped: OutputSink['dropped'] } {
    const dropped = this.dropped;
    const note: OutputChunk[] = dropped ? [{ seq: dropped.seq, stream: 'stderr', data: `[tempest: ${dropped.bytes} bytes of output dropped while the audit trail could not be written]\n` }] : [];
    const chunks = [...note, ...this.pending];
    this.pending = [];
    this.pendingBytes = 0;
    this.dropped = undefined;
    return { chunks, dropped };
  }

  private putBack(chunks: OutputChunk[], dropped: OutputSink['dropped']): void {
    const appendedMeanwhile = this.pending;
    this.pending = [...(dropped ? chunks.slice(1) : chunks), ...appendedMeanwhile];
    this.pendingBytes = this.pending.reduce((sum, c) => sum + c.data.length, 0);
    if (dropped) this.dropped = { seq: dropped.seq, bytes: dropped.bytes + (this.dropped?.bytes ?? 0) };
    this.dropOldest();
  }

  private dropOldest(): void {
    while (this.pendingBytes > this.maxPendingBytes && this.pending.length > 1) {
      const oldest = this.pending.shift()!;
      this.pendingBytes -= oldest.data.length;
      this.dropped = { seq: this.dropped?.seq ?? oldest.seq, bytes: (this.dropped?.bytes ?? 0) + oldest.data.length };
    }
  }
}
