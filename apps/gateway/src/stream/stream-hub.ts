import { Inject, Injectable, type OnApplicationBootstrap, type OnApplicationShutdown, type OnModuleDestroy } from '@nestjs/common';
import { requireDatabaseUrl, type TempestConfig } from '@tempest/config';
import { AnnouncementRepository, ExecutionRepository, listenToPostgres, STREAM_CHANNEL, type Database, type PostgresListener } from '@tempest/db';
import type { Logger } from '@tempest/logging';
import { ExecutionService } from '../executions/execution.service';
import { CONFIG, DATABASE, LOGGER } from '../tokens';
import type { StreamEvent } from './stream-filter';
import { executionEvents, outputEvent } from './stream-events';

interface StreamSubscriber {
  send(event: StreamEvent): void;
  end(): void;
}

/**
 * This replica's side of the event stream: one LISTEN on the stream channel,
 * each notification read once (one row, by id) and handed to every connected
 * client. Whichever process wrote the change, every replica is told, so any
 * replica serves the stream. Reads run one after another, so clients get the
 * events in the order Postgres committed them.
 */
@Injectable()
export class StreamHub implements OnApplicationBootstrap, OnModuleDestroy, OnApplicationShutdown {
  private listener?: PostgresListener;
  private readonly subscribers = new Set<StreamSubscriber>();
  private reads: Promise<void> = Promise.resolve();
  private readonly announcements: AnnouncementRepository;

  constructor(
    @Inject(CONFIG) private readonly config: TempestConfig,
    @Inject(LOGGER) private readonly logger: Logger,
    private readonly executions: ExecutionService,
    private readonly rows: ExecutionRepository,
    @Inject(DATABASE) db: Database,
  ) {
    this.announcements = new AnnouncementRepository(db);
  }

  onApplicationBootstrap(): void {
    if (!this.config.databaseUrl) return;
    this.listener = listenToPostgres(requireDatabaseUrl(this.config), {
      applicationName: 'tempest-gateway-stream',
      channels: { [STREAM_CHANNEL]: (payload) => this.told(payload) },
      onError: (error) => this.logger.warn({ err: error.message }, 'event stream listener lost its Postgres connection; reconnecting (events meanwhile are not streamed)'),
    });
  }

  /** Open streams would hold the HTTP server open: they end before it closes. */
  onModuleDestroy(): void {
    this.subscribers.forEach((subscriber) => subscriber.end());
  }

  async onApplicationShutdown(): Promise<void> {
    await this.listener?.close();
  }

  /** Resolves once this replica listens, so a client subscribed after it misses nothing committed later. */
  async ready(): Promise<void> {
    await this.listener?.ready;
  }

  /** Clients connected to this replica. */
  get size(): number {
    return this.subscribers.size;
  }

  /** `end` is called when this replica shuts down; the returned function unsubscribes. */
  subscribe(send: (event: StreamEvent) => void, end: () => void): () => void {
    const subscriber = { send, end };
    this.subscribers.add(subscriber);
    return () => this.subscribers.delete(subscriber);
  }

  private told(payload: string): void {
    // Nobody listening: nothing to read.
    if (this.subscribers.size === 0) return;
    this.reads = this.reads.then(() =>
      this.read(payload).then(
        (events) => events.forEach((event) => this.subscribers.forEach((subscriber) => subscriber.send(event))),
        (error: Error) => this.logger.warn({ err: error.message, payload }, 'event stream could not read what it was told about; that event is not streamed'),
      ),
    );
  }

  private async read(payload: string): Promise<StreamEvent[]> {
    const [kind, ...rest] = payload.split(' ');
    if (kind === 'output') {
      const chunk = await this.rows.getOutputChunkWithAction(rest[0]);
      return chunk ? [outputEvent(chunk)] : [];
    }
    if (kind === 'announcement') {
      const announcement = await this.announcements.getById(rest[0]);
      return announcement ? [{ name: `st2.announcement__${announcement.route}`, data: announcement.body }] : [];
    }
    if (kind === 'execution') {
      const [change, status, ...id] = rest;
      const execution = await this.executions.get(id.join(' ')).catch(() => undefined);
      return execution ? executionEvents(change === 'create' ? 'create' : 'update', { ...execution, status }) : [];
    }
    return [];
  }
}
