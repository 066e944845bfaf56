import { BeforeApplicationShutdown, Inject, Injectable, OnApplicationBootstrap } from '@nestjs/common';
import { Client, Connection } from '@temporalio/client';
import { requireDatabaseUrl, type TempestConfig } from '@tempest/config';
import { listenToPostgres, RuleRepository, type Database, type PostgresListener } from '@tempest/db';
import type { Logger } from '@tempest/logging';
import { temporalConnectionOptions } from '@tempest/temporal';
import { CONFIG, DATABASE, LOGGER } from '../tokens';
import { CoalescedRunner } from './coalesced-runner';
import { TimerReconciler } from './timer-reconciler';

/**
 * Keeps the timer schedules in step with the rules: reconciles at start,
 * after every rule change on any replica (channel `tempest_rules`), after a
 * lost listener connection comes back, and again with backoff after a
 * failure (Temporal or Postgres down). Runs in the background: the gateway
 * serves while Temporal is still coming up.
 */
@Injectable()
export class TimerService implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private listener?: PostgresListener;
  private readonly connection: Promise<Connection>;
  private readonly runner: CoalescedRunner;
  private readonly logger: Logger;

  constructor(
    @Inject(CONFIG) private readonly config: TempestConfig,
    @Inject(DATABASE) db: Database,
    @Inject(LOGGER) logger: Logger,
  ) {
    this.logger = logger.child({ component: 'timers' });
    // A connection of its own without the SDK's retry interceptor: the runner
    // retries, and closing it at shutdown ends a pass under way at once.
    this.connection = temporalConnectionOptions(config.temporal).then((options) => Connection.lazy({ ...options, interceptors: [] }));
    const reconciler = this.connection.then(
      (connection) => new TimerReconciler(new RuleRepository(db), new Client({ connection, namespace: config.temporal.namespace }), this.logger, { taskQueue: config.temporal.taskQueue }),
    );
    this.runner = new CoalescedRunner(async () => {
      const { invalid, ...changes } = await (await reconciler).reconcile();
      this.logger.debug({ ...Object.fromEntries(Object.entries(changes).map(([k, ids]) => [k, ids.length])), invalid: invalid.length }, 'timer schedules reconciled');
    }, {
      debounceMs: 100,
      maxBackoffMs: 30_000,
      onError: (error, retryInMs) => this.logger.warn({ err: describeError(error), retryInMs }, 'timer schedules not reconciled; retrying'),
    });
  }

  onApplicationBootstrap(): void {
    if (!this.config.databaseUrl) return;
    this.listener = listenToPostgres(requireDatabaseUrl(this.config), {
      applicationName: 'tempest-gateway-listener',
      channels: { tempest_rules: () => this.runner.request() },
      // At start, and after a reconnection: changes made meanwhile were not heard.
      onConnected: () => this.runner.request(),
      onError: (error) => this.logger.warn({ err: error.message }, 'rules listener lost its connection; reconnecting'),
    });
  }

  async beforeApplicationShutdown(): Promise<void> {
    await this.listener?.close();
    const closing = this.runner.close();
    await (await this.connection).close();
    await closing;
  }
}

/** The message, and the cause's (the SDK wraps gRPC errors: "Failed to list schedules" says little alone). */
function describeError(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  return error.cause instanceof Error ? `${error.message}: ${error.cause.message}` : error.message;
}
