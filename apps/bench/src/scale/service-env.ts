import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { TempestConfig } from '@tempest/config';
import { prepareEmbeddedPostgres } from '@tempest/db';
import { BenchSetupError } from '../benchmark';

/**
 * The environment `npm start` gives its gateway, worker and sensor container
 * (apps/launcher/src/start.ts), rebuilt from the same configuration: its own
 * environment plus the embedded servers' addresses, the admin key and the
 * datastore key file it kept under the data folder. Apps may not import each
 * other, so this follows the launcher rather than calling it.
 */
export async function launcherServiceEnv(config: TempestConfig, repoRoot: string, env: NodeJS.ProcessEnv): Promise<NodeJS.ProcessEnv> {
  const dataDir = resolve(repoRoot, config.dataDir);
  const adminKeyFile = join(dataDir, 'admin-api-key');
  const adminKey = config.adminApiKey ?? (existsSync(adminKeyFile) ? readFileSync(adminKeyFile, 'utf8').trim() : undefined);
  if (!adminKey) throw new BenchSetupError(`no admin key: neither TEMPEST_ADMIN_API_KEY nor ${adminKeyFile}; start Tempest with npm start (same TEMPEST_* settings)`);
  const datastoreKeyFile = join(dataDir, 'datastore-key');
  const datastoreKey = config.datastore.key || config.datastore.keyFile || !existsSync(datastoreKeyFile) ? {} : { TEMPEST_DATASTORE_KEY_FILE: datastoreKeyFile };
  return {
    ...env,
    DATABASE_URL: config.databaseUrl ?? (await embeddedDatabaseUrl(dataDir, config.embedded.postgresPort)),
    TEMPORAL_ADDRESS: config.temporal.external ? config.temporal.address : `127.0.0.1:${config.embedded.temporalPort}`,
    TEMPEST_ADMIN_API_KEY: adminKey,
    ...datastoreKey,
  };
}

/** The URL the launcher gives its services for the embedded Postgres of `dataDir` (its cluster must exist). */
async function embeddedDatabaseUrl(dataDir: string, port: number): Promise<string> {
  if (!existsSync(join(dataDir, 'postgres', 'PG_VERSION'))) {
    throw new BenchSetupError(`no embedded Postgres under ${dataDir}: start Tempest with npm start (same TEMPEST_DATA_DIR), or set DATABASE_URL`);
  }
  const { server } = await prepareEmbeddedPostgres({ dataDir, port });
  return server.url('tempest');
}
