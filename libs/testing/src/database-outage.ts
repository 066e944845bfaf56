import { Client } from 'pg';
import { testServers, type TestDatabase } from './environment';

/**
 * A Postgres outage for one test database, staged without stopping the shared
 * server: refusing drops every connection to it and refuses new ones (as a
 * server that is down or starting up would); allowing lets them in again.
 */
export async function setConnectionsAllowed(database: TestDatabase, allowed: boolean): Promise<void> {
  const name = new URL(database.url).pathname.slice(1);
  const admin = new Client({ connectionString: testServers().postgresUrl });
  await admin.connect();
  try {
    await admin.query(`alter database ${name} allow_connections ${allowed}`);
    if (!allowed) await admin.query('select pg_terminate_backend(pid) from pg_stat_activity where datname = $1', [name]);
  } finally {
    await admin.end();
  }
}
