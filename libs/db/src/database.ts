import { Kysely, PostgresDialect, sql } from 'kysely';
import { Pool } from 'pg';
import type { DB } from './schema';

export type Database = Kysely<DB>;

export function createDatabase(url: string, options: { maxConnections?: number; applicationName?: string } = {}): Database {
  const pool = new Pool({
    connectionString: url,
    max: options.maxConnections ?? 10,
    application_name: options.applicationName ?? 'tempest',
    connectionTimeoutMillis: 5_000,
  });
  // An idle client that loses its server must not crash the process; the next
  // query reconnects and reports the failure to its caller instead.
  pool.on('error', () => undefined);
  return new Kysely<DB>({ dialect: new PostgresDialect({ pool }) });
}

/** True when the server answers a trivial query within the pool's timeout. */
export async function pingDatabase(db: Database): Promise<void> {
  await sql`select 1`.execute(db);
}
