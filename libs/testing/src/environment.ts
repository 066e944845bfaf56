import { randomBytes } from 'node:crypto';
import { loadConfig, type TempestConfig } from '@tempest/config';
import { createDatabase, migrateToLatest, type Database } from '@tempest/db';
import { Client } from 'pg';

/**
 * The servers `npm test` started for this run. Tests never start their own
 * Temporal or Postgres; they get isolated databases and task queues instead.
 */
export function testServers(): { postgresUrl: string; temporalAddress: string } {
  const postgresUrl = process.env.TEST_POSTGRES_URL;
  const temporalAddress = process.env.TEST_TEMPORAL_ADDRESS;
  if (!postgresUrl || !temporalAddress) {
    throw new Error('TEST_POSTGRES_URL and TEST_TEMPORAL_ADDRESS are not set: run the tests with `npm test`, which starts Postgres and Temporal for them');
  }
  return { postgresUrl, temporalAddress };
}

/** A unique name for this test's resources (databases, task queues). */
export function uniqueName(prefix: string): string {
  return `${prefix}_${Date.now().toString(36)}_${randomBytes(4).toString('hex')}`;
}

export interface TestDatabase {
  url: string;
  db: Database;
  drop(): Promise<void>;
}

/** A fresh, migrated database of its own on the test Postgres server. */
export async function createTestDatabase(options: { migrate?: boolean } = {}): Promise<TestDatabase> {
  const { postgresUrl } = testServers();
  const name = uniqueName('tempest_test');
  const admin = new Client({ connectionString: postgresUrl });
  await admin.connect();
  await admin.query(`create database ${name}`);
  await admin.end();
  const url = new URL(postgresUrl);
  url.pathname = `/${name}`;
  const db = createDatabase(url.toString(), { maxConnections: 5, applicationName: 'tempest-test' });
  if (options.migrate !== false) await migrateToLatest(db);
  return {
    url: url.toString(),
    db,
    async drop() {
      await db.destroy();
      const client = new Client({ connectionString: postgresUrl });
      await client.connect();
      await client.query(`drop database if exists ${name} with (force)`);
      await client.end();
    },
  };
}

/** A datastore key for this test process, so secrets work as under `npm start`. */
const TEST_DATASTORE_KEY = randomBytes(32).toString('hex');

/**
 * Config as the apps would load it, pointed at the test servers, with a datastore
 * key unless `env` names a key file (pass TEMPEST_DATASTORE_KEY: '' for none).
 */
export function testConfig(env: Record<string, string> = {}): TempestConfig {
  const { temporalAddress } = testServers();
  const datastore = env.TEMPEST_DATASTORE_KEY_FILE ? {} : { TEMPEST_DATASTORE_KEY: TEST_DATASTORE_KEY };
  return loadConfig({ TEMPORAL_ADDRESS: temporalAddress, TEMPEST_LOG_LEVEL: 'warn', ...datastore, ...env });
}
