export interface GroupCommitOptions {
  /** The most items one commit takes. */
  maxBatch: number;
  /** The most commits under way at once (each holds a database connection). */
  maxInFlight: number;
  /**
   * Whether a failed commit of several items is retried item by item: only
   * when the database refused it for its data (nothing was committed and one
   * item may be at fault), never when the outcome is unknown (a lost connection).
   */
  isolates(error: unknown): boolean;
}

interface Waiting<T, R> {
  item: T;
  resolve: (result: R) => void;
  reject: (error: unknown) => void;
}

/**
 * Group commit: items submitted while commits are under way wait and go
 * together in the next one, so a burst costs one round trip and one WAL flush
 * per batch instead of one per item, and a lone item is committed at once
 * (no added delay when idle). Each submit resolves only after the commit that
 * carried its item succeeded. When a commit of several items fails, each is
 * committed alone (see `isolates`), so one item the database refuses fails only its own caller.
 * (DataLoader batches by event-loop tick and caches; this batches by what
 * arrived while the previous commits were under way, which is what bounds
 * the round trips under load.)
 */
export class GroupCommit<T, R> {
  private readonly waiting: Waiting<T, R>[] = [];
  private inFlight = 0;
  private scheduled = false;

  constructor(
    /** Commits the items; answers one result per item, in order. */
    private readonly commit: (items: T[]) => Promise<R[]>,
    private readonly options: GroupCommitOptions,
  ) {}

  submit(item: T): Promise<R> {
    return new Promise<R>((resolve, reject) => {
      this.waiting.push({ item, resolve, reject });
      this.schedule();
    });
  }

  /** Starts commits after the current I/O callbacks, so requests that arrived together go together. */
  private schedule(): void {
    if (this.scheduled) return;
    this.scheduled = true;
    setImmediate(() => {
      this.scheduled = false;
      this.pump();
    });
  }

  private pump(): void {
    while (this.inFlight < this.options.maxInFlight && this.waiting.length > 0) {
      const batch = this.waiting.splice(0, this.options.maxBatch);
      this.inFlight++;
      void this.run(batch).finally(() => {
        this.inFlight--;
        this.pump();
      });
    }
  }

  private async run(batch: Waiting<T, R>[]): Promise<void> {
    try {
      const results = await this.commit(batch.map((w) => w.item));
      if (results.length !== batch.length) throw new Error(`a group commit of ${batch.length} items answered ${results.length} results`);
      batch.forEach((w, i) => w.resolve(results[i]));
    } catch (error) {
      if (batch.length === 1 || !this.options.isolates(error)) return batch.forEach((w) => w.reject(error));
      await Promise.all(batch.map((w) => this.run([w])));
    }
  }
}
