import { Kysely, PostgresDialect, sql } from 'kysely';
import { Pool } from 'pg';
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
  /** Told of errors on idle connections (the server restarted, the network dropped); stderr if unset. */
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
  // An idle client that loses its server must not crash the process (an
  // 'error' event without a listener would): the pool drops that client and
  // the next query reconnects, reporting any failure to its caller. Said, not
  // swallowed, so an operator sees why queries start failing.
  pool.on('error', (error) => {
    const fields = { err: error.message, code: (error as { code?: string }).code, pool: applicationName };
    if (options.logger) options.logger.warn(fields, 'Postgres connection lost while idle; it is replaced on the next query');
    else process.emitWarning(`Postgres connection lost while idle (${applicationName}): ${error.message}`);
  });
  return new Kysely<DB>({ dialect: new PostgresDialect({ pool }) });
}

/** True when the server answers a trivial query within the pool's timeout. */
export async function pingDatabase(db: Database): Promise<void> {
  await sql`select 1`.execute(db);
}
