import { Inject, Injectable, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { requireDatabaseUrl, type TempestConfig } from '@tempest/config';
import { EXECUTION_CHANGES_CHANNEL, listenToPostgres, type PostgresListener } from '@tempest/db';
import type { Logger } from '@tempest/logging';
import { CONFIG, LOGGER } from '../tokens';

/** One wait for the next change of one execution. */
export interface ExecutionWatch {
  /** Resolves at the next change of its status or output, or after `ms`, whichever comes first. */
  next(ms: number): Promise<void>;
  close(): void;
}

/**
 * Wakes whoever waits on an execution (`GET …/output?wait`) when any process
 * changes its status or appends output: Postgres notifies, whichever replica
 * or worker wrote. Watch before reading, so no change falls between the read
 * and the wait; a caller still re-reads now and then, for notifications lost
 * while the listener reconnected.
 */
@Injectable()
export class ExecutionChanges implements OnApplicationBootstrap, OnApplicationShutdown {
  private listener?: PostgresListener;
  private readonly watchers = new Map<string, Set<(change?: string) => void>>();

  constructor(
    @Inject(CONFIG) private readonly config: TempestConfig,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  onApplicationBootstrap(): void {
    if (!this.config.databaseUrl) return;
    this.listener = listenToPostgres(requireDatabaseUrl(this.config), {
      applicationName: 'tempest-gateway-listener',
      channels: {
        [EXECUTION_CHANGES_CHANNEL]: (payload) => {
          const [id, change] = payload.split(' ');
          this.wake(this.watchers.get(id), change);
        },
      },
      // What changed while disconnected was not told: everyone looks again.
      onConnected: () => [...this.watchers.values()].forEach((set) => this.wake(set)),
      onError: (error) => this.logger.warn({ err: error.message }, 'execution change listener lost its Postgres connection; reconnecting'),
    });
  }

  async onApplicationShutdown(): Promise<void> {
    await this.listener?.close();
  }

  /**
   * `wakesOn` picks the changes that matter to the caller (a new status, or
   * `output`); unset, all do. After a reconnection every watch wakes.
   */
  watch(id: string, wakesOn: (change: string) => boolean = () => true): ExecutionWatch {
    let changed = false;
    let resolveNext: (() => void) | undefined;
    const onChange = (change?: string) => {
      if (change !== undefined && !wakesOn(change)) return;
      changed = true;
      resolveNext?.();
    };
    const set = this.watchers.get(id) ?? new Set();
    set.add(onChange);
    this.watchers.set(id, set);
    return {
      next: (ms) =>
        new Promise<void>((resolve) => {
          if (changed) return resolve();
          const timer = setTimeout(resolve, ms);
          resolveNext = () => {
            clearTimeout(timer);
            resolve();
          };
        }),
      close: () => {
        set.delete(onChange);
        if (set.size === 0 && this.watchers.get(id) === set) this.watchers.delete(id);
      },
    };
  }

  private wake(set: Set<(change?: string) => void> | undefined, change?: string): void {
    for (const onChange of set ?? []) onChange(change);
  }
}
