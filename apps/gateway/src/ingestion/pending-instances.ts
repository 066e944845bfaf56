import { setTimeout as delay } from 'node:timers/promises';
import { Inject, Injectable, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { requireDatabaseUrl, type TempestConfig } from '@tempest/config';
import { listenToPostgres, TriggerInstanceRepository, type PostgresListener } from '@tempest/db';
import type { Logger } from '@tempest/logging';
import { RuleCatalog } from '../rules/rule-catalog';
import { CONFIG, LOGGER } from '../tokens';
import { IngestionService } from './ingestion.service';

export const PENDING_CHANNEL = 'tempest_trigger_instances';
/**
 * Instances claimed and processed at once: enough to keep Temporal's starts
 * overlapping in a storm, few enough to leave the event loop and the pool's
 * connections to the requests being accepted meanwhile.
 */
const BATCH = 8;
/**
 * In a storm the queue takes one instance at a time, this long apart: its
 * executions would otherwise take the cores the storm's acceptance needs
 * (each event durably stored before its 202). They run once the storm passes.
 */
const STORM_PACE_MS = 100;
const SWEEP_MS = 15_000;

/**
 * Processes trigger instances nobody is processing: those queued `pending`
 * (the worker's actiontrigger, datastore changes; a NOTIFY wakes every
 * replica, and each instance is claimed by one), those a refused start put
 * back, and those a crashed gateway left `processing`: a gateway renews its
 * claim on what it processes every third of TEMPEST_TRIGGER_INSTANCE_LEASE_SECONDS,
 * so an instance unrenewed for a whole lease has lost its gateway, and one a
 * live gateway holds is never taken, not even by a gateway that starts.
 * Processing is idempotent, so taking over an instance that was half done
 * never runs an action twice.
 */
@Injectable()
export class PendingInstanceProcessor implements OnApplicationBootstrap, OnApplicationShutdown {
  private listener?: PostgresListener;
  private sweep?: NodeJS.Timeout;
  private draining?: Promise<void>;
  private again = false;
  private staleBefore?: Date;
  private stopped = false;

  constructor(
    private readonly instances: TriggerInstanceRepository,
    private readonly ingestion: IngestionService,
    private readonly catalog: RuleCatalog,
    @Inject(CONFIG) private readonly config: TempestConfig,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  onApplicationBootstrap(): void {
    if (!this.config.databaseUrl) return;
    void this.catalog
      .whenLoaded()
      .then(() => this.drain())
      .catch(() => undefined);
    this.listener = listenToPostgres(requireDatabaseUrl(this.config), {
      applicationName: 'tempest-gateway-listener',
      channels: { [PENDING_CHANNEL]: () => void this.drain() },
      onConnected: () => void this.drain(),
      onError: (error) => this.logger.warn({ err: error.message }, 'trigger instance listener lost its Postgres connection; reconnecting'),
    });
    // Often enough that a lapsed claim is taken over soon after the lease.
    this.sweep = setInterval(() => void this.drain(), Math.min(SWEEP_MS, (this.config.triggerInstanceLeaseSeconds * 1000) / 2));
    this.sweep.unref();
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopped = true;
    clearInterval(this.sweep);
    await this.listener?.close();
    await this.draining;
  }

  /**
   * Claims and processes until nothing is left. `staleBefore`: also take over
   * `processing` instances last touched before then. A call while draining
   * makes it go round once more, with the latest cut-off asked for.
   */
  drain(staleBefore = new Date(Date.now() - this.config.triggerInstanceLeaseSeconds * 1000)): Promise<void> {
    if (!this.staleBefore || staleBefore > this.staleBefore) this.staleBefore = staleBefore;
    if (this.draining) {
      this.again = true;
      return this.draining;
    }
    this.draining = (async () => {
      try {
        do {
          this.again = false;
          const cutoff = this.staleBefore!;
          this.staleBefore = undefined;
          for (let batch = await this.claim(cutoff); batch.length > 0 && !this.stopped; batch = await this.claim(cutoff)) {
            let failed = false;
            await Promise.all(
              batch.map((instance) => {
                if (instance.taken_over) this.logger.warn({ triggerInstance: instance.id }, 'taking over a trigger instance whose gateway stopped renewing its claim');
                return this.ingestion.process(instance).catch((error: Error) => {
                  failed = true;
                  this.logger.warn({ triggerInstance: instance.id, err: error.message }, 'queued trigger instance not processed');
                });
              }),
            );
            // What failed went back to pending: the next sweep retries it, not this loop.
            if (failed) return;
          }
        } while (this.again && !this.stopped);
      } catch (error) {
        this.logger.warn({ err: (error as Error).message }, 'could not process queued trigger instances');
      } finally {
        this.draining = undefined;
      }
    })();
    return this.draining;
  }

  private async claim(staleBefore: Date) {
    await this.catalog.whenLoaded();
    const storm = this.ingestion.inStorm();
    if (storm) await delay(STORM_PACE_MS);
    const limit = storm ? 1 : BATCH;
    const batch = await this.instances.claim({ limit, staleBefore });
    this.ingestion.queueBacklogged = batch.length === limit;
    return batch;
  }
}
