import { Client } from 'pg';

export interface PostgresListener {
  /** Resolves once the first connection listens on every channel. */
  ready: Promise<void>;
  close(): Promise<void>;
}

export interface ListenOptions {
  /** Called with the channel's payload for every notification. */
  channels: Record<string, (payload: string) => void>;
  /**
   * Called after every (re)connection, once listening: notifications sent
   * while disconnected are lost, so the caller catches up here.
   */
  onConnected?: () => void | Promise<void>;
  onError?: (error: Error) => void;
  applicationName?: string;
}

const MAX_BACKOFF_MS = 5_000;

interface Subscriber {
  options: ListenOptions;
  markReady(): void;
}

/**
 * One Postgres connection that LISTENs for every subscriber on the same
 * database in this process, and reconnects, with backoff, whenever it is lost
 * (a pooled connection cannot hold a LISTEN). Each idle connection is a
 * Postgres backend process of its own, so the gateway's rules, timers and
 * ingestion share one instead of holding three.
 */
class SharedConnection {
  private readonly subscribers = new Set<Subscriber>();
  private client?: Client;
  /** Channels LISTENed on the current connection, and the subscribers it has caught up. */
  private listening = new Set<string>();
  private served = new Set<Subscriber>();
  private closed = false;
  private backoff = 250;
  private retry?: NodeJS.Timeout;
  /** Connecting and subscribing run one at a time, so neither misses the other's channels. */
  private queue: Promise<void> = Promise.resolve();

  constructor(
    private readonly url: string,
    private readonly applicationName: string,
    private readonly onEmpty: () => void,
  ) {
    this.enqueue(() => this.connect());
  }

  add(subscriber: Subscriber): void {
    this.subscribers.add(subscriber);
    // Already connected: listen on its channels too, then let it catch up. Otherwise the next connection does both.
    this.enqueue(async () => {
      const client = this.client;
      if (!client || !this.subscribers.has(subscriber) || this.served.has(subscriber)) return;
      try {
        await this.listen(client, Object.keys(subscriber.options.channels));
        await subscriber.options.onConnected?.();
        this.served.add(subscriber);
        subscriber.markReady();
      } catch (error) {
        this.lost(client, error as Error);
      }
    });
  }

  async remove(subscriber: Subscriber): Promise<void> {
    this.subscribers.delete(subscriber);
    if (this.subscribers.size > 0) return;
    this.closed = true;
    this.onEmpty();
    clearTimeout(this.retry);
    const current = this.client;
    this.client = undefined;
    await current?.end().catch(() => undefined);
  }

  private enqueue(task: () => Promise<void>): void {
    this.queue = this.queue.then(task, task);
  }

  private async listen(client: Client, channels: string[]): Promise<void> {
    for (const channel of channels) {
      if (this.listening.has(channel)) continue;
      await client.query(`listen "${channel.replace(/"/g, '""')}"`);
      this.listening.add(channel);
    }
  }

  private readonly lost = (client: Client, error?: Error) => {
    if (this.client !== client) return;
    this.client = undefined;
    client.removeAllListeners('notification');
    void client.end().catch(() => undefined);
    if (error) for (const { options } of this.subscribers) options.onError?.(error);
    if (!this.closed) this.retry = setTimeout(() => this.enqueue(() => this.connect()), this.backoff);
    this.backoff = Math.min(this.backoff * 2, MAX_BACKOFF_MS);
  };

  private async connect(): Promise<void> {
    if (this.closed) return;
    const next = new Client({ connectionString: this.url, application_name: this.applicationName, keepAlive: true, connectionTimeoutMillis: 5_000 });
    this.client = next;
    this.listening = new Set();
    this.served = new Set();
    next.on('error', (error) => this.lost(next, error));
    next.on('end', () => this.lost(next, this.closed ? undefined : new Error('listener connection ended')));
    next.on('notification', (message) => {
      for (const { options } of this.subscribers) options.channels[message.channel]?.(message.payload ?? '');
    });
    try {
      await next.connect();
      const subscribers = [...this.subscribers];
      for (const { options } of subscribers) await this.listen(next, Object.keys(options.channels));
      if (this.closed) return;
      this.backoff = 250;
      for (const subscriber of subscribers) {
        await subscriber.options.onConnected?.();
        this.served.add(subscriber);
        subscriber.markReady();
      }
    } catch (error) {
      this.lost(next, error as Error);
    }
  }
}

/** The shared connections of this process, by application name and database URL. */
const connections = new Map<string, SharedConnection>();

/**
 * Listens on `channels` of the database at `url`, over a connection shared
 * with every other listener of this process that gives the same database and
 * application name; it reconnects whenever it is lost and then calls each
 * listener's `onConnected` to catch up.
 */
export function listenToPostgres(url: string, options: ListenOptions): PostgresListener {
  const applicationName = options.applicationName ?? 'tempest-listener';
  const key = `${applicationName}\n${url}`;
  let connection = connections.get(key);
  if (!connection) {
    connection = new SharedConnection(url, applicationName, () => connections.delete(key));
    connections.set(key, connection);
  }
  let markReady: () => void = () => undefined;
  const ready = new Promise<void>((resolve) => (markReady = resolve));
  const subscriber: Subscriber = { options, markReady };
  connection.add(subscriber);
  const shared = connection;
  let closing: Promise<void> | undefined;
  return { ready, close: () => (closing ??= shared.remove(subscriber)) };
}
