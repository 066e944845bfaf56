import { setTimeout as sleep } from 'node:timers/promises';
import { pingDatabase, type Database } from './database';
import { isDatabaseUnavailable } from './database-unavailable';

/** Where the wait is told: a Tempest logger (pino) fits. */
export interface WaitLogger {
  warn(fields: Record<string, unknown>, message: string): void;
  info(fields: Record<string, unknown>, message: string): void;
}

export interface WaitOptions {
  /** How long a start-up waits for Postgres before giving up; a recovery after a crash takes seconds. */
  timeoutMs?: number;
}

const FIRST_PAUSE_MS = 250;
const LONGEST_PAUSE_MS = 5_000;

/**
 * Returns once the database answers. While it is unavailable (down, starting
 * up, refusing connections) it retries with backoff up to `timeoutMs`, telling
 * each distinct reason once, so that processes started with (or just after)
 * Postgres come up instead of exiting. A wrong password or database name fails
 * at once: waiting would not fix it.
 */
export async function waitForDatabase(db: Database, logger: WaitLogger, { timeoutMs = 60_000 }: WaitOptions = {}): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let toldReason: string | undefined;
  for (let pause = FIRST_PAUSE_MS; ; pause = Math.min(pause * 2, LONGEST_PAUSE_MS)) {
    try {
      await pingDatabase(db);
      if (toldReason !== undefined) logger.info({}, 'database available');
      return;
    } catch (error) {
      if (!isDatabaseUnavailable(error)) throw error;
      const reason = error instanceof Error ? error.message : String(error);
      if (Date.now() + pause > deadline) throw new Error(`database still unavailable after ${timeoutMs / 1000} s: ${reason}`);
      if (reason !== toldReason) logger.warn({ err: reason, timeoutSeconds: timeoutMs / 1000 }, 'waiting for the database');
      toldReason = reason;
      await sleep(pause);
    }
  }
}
