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

/**
 * A Postgres connection of its own that LISTENs on channels and reconnects,
 * with backoff, whenever it is lost (a pooled connection cannot hold a LISTEN).
 */
export function listenToPostgres(url: string, options: ListenOptions): PostgresListener {
  let client: Client | undefined;
  let closed = false;
  let backoff = 250;
  let retry: NodeJS.Timeout | undefined;
  let markReady: () => void = () => undefined;
  const ready = new Promise<void>((resolve) => (markReady = resolve));

  const connect = async () => {
    const next = new Client({ connectionString: url, application_name: options.applicationName ?? 'tempest-listener', keepAlive: true, connectionTimeoutMillis: 5_000 });
    client = next;
    const lost = (error?: Error) => {
      if (client !== next) return;
      client = undefined;
      next.removeAllListeners('notification');
      void next.end().catch(() => undefined);
      if (error) options.onError?.(error);
      if (!closed) retry = setTimeout(() => void connect(), backoff);
      backoff = Math.min(backoff * 2, MAX_BACKOFF_MS);
    };
    next.on('error', lost);
    next.on('end', () => lost(closed ? undefined : new Error('listener connection ended')));
    next.on('notification', (message) => options.channels[message.channel]?.(message.payload ?? ''));
    try {
      await next.connect();
      for (const channel of Object.keys(options.channels)) await next.query(`listen "${channel.replace(/"/g, '""')}"`);
      if (closed) return;
      backoff = 250;
      await options.onConnected?.();
      markReady();
    } catch (error) {
      lost(error as Error);
    }
  };
  void connect();

  return {
    ready,
    async close() {
      closed = true;
      clearTimeout(retry);
      const current = client;
      client = undefined;
      await current?.end().catch(() => undefined);
    },
  };
}
