import { Injectable, Optional, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { DatastoreService } from '@tempest/datastore';
import { IngestionService } from './ingestion.service';

/**
 * Datastore changes made through this gateway become key_value_pair trigger
 * instances, queued (not processed inline) so writing a key never waits on rules.
 */
@Injectable()
export class DatastoreEvents implements OnApplicationBootstrap, OnApplicationShutdown {
  private stop?: () => void;

  constructor(
    private readonly ingestion: IngestionService,
    @Optional() private readonly datastore?: DatastoreService,
  ) {}

  onApplicationBootstrap(): void {
    this.stop = this.datastore?.onChange(async (event) => {
      await this.ingestion.enqueue({ trigger: event.trigger, payload: event.payload as unknown as Record<string, unknown>, source: 'datastore' });
    });
  }

  onApplicationShutdown(): void {
    this.stop?.();
  }
}
