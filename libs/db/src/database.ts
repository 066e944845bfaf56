import { Kysely, PostgresDialect, sql } from 'kysely';
import { Pool } from 'pg';
import { DatabaseUnavailableError, isConfigurationError } from './database-unavailable';
import type { DB } from './schema';

export type Database = Kysely<DB>;

/** Where pool errors are told: a Tempest logger (pino) fits. */
export interface PoolErrorLogger {
  warn(fields: Record<string, unknown>, message: string): void;
}

export interface DatabaseOptions {
  maxConnections?: number;
  applicationName?: string;
  /**
   * Postgres cancels any statement that runs longer (TEMPEST_STATEMENT_TIMEOUT_SECONDS),
   * so a stuck query fails its caller instead of holding a connection forever.
   * Unset: no limit, for migrations, which may rightly run long or wait for another migrator.
   */
  statementTimeoutSeconds?: number;
  /** Told of connections lost (the server restarted, the network dropped); stderr if unset. */
  logger?: PoolErrorLogger;
}

export function createDatabase(url: string, options: DatabaseOptions = {}): Database {
  const applicationName = options.applicationName ?? 'tempest';
  const pool = new Pool({
    connectionString: url,
    max: options.maxConnections ?? 10,
    application_name: applicationName,
    connectionTimeoutMillis: 5_000,
    ...(options.statementTimeoutSeconds ? { statement_timeout: options.statementTimeoutSeconds * 1000 } : {}),
  });
  // A client that loses its server (restart, crash, network drop) emits 'error'.
  // While idle, the pool listens and drops it; while checked out (mid-query,
  // mid-transaction) pg-pool removes its listener, and an 'error' event without
  // one would crash the process. So every client keeps a listener of its own:
  // the query in flight rejects to its caller, the broken client is discarded
  // on release, and the next query reconnects. Said, not swallowed, so an
  // operator sees why queries start failing.
  pool.on('connect', (client) => {
    client.on('error', (error) => {
      const fields = { err: error.message, code: (error as { code?: string }).code, pool: applicationName };
      if (options.logger) options.logger.warn(fields, 'Postgres connection lost; it is replaced on the next query');
      else process.emitWarning(`Postgres connection lost (${applicationName}): ${error.message}`);
    });
  });
  // The pool re-emits an idle client's error, already told by the listener above;
  // it needs a listener of its own all the same, or it would crash the process.
  pool.on('error', () => undefined);
  // A connection that cannot be opened is the database being unavailable (down,
  // starting up, refusing connections), told apart from a wrong query, unless an
  // operator must fix it (password, database name).
  const connect = () =>
    pool.connect().catch((error: unknown) => {
      throw isConfigurationError(error) ? error : new DatabaseUnavailableError(error);
    });
  return new Kysely<DB>({ dialect: new PostgresDialect({ pool: { connect, end: () => pool.end() } }) });
}

/** True when the server answers a trivial query within the pool's timeout. */
export async function pingDatabase(db: Database): Promise<void> {
  await sql`select 1`.execute(db);
}
