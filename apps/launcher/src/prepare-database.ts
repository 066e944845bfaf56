import { resolve } from 'node:path';
import { findRepoRoot, loadConfig, requireDatabaseUrl } from '@tempest/config';
import { KeyValueCipher, loadDatastoreKey } from '@tempest/datastore';
import { createDatabase, ensureDatabase, migrateToLatest } from '@tempest/db';
import { registerPacks, summarizeRegistration } from '@tempest/packs';
import { say, warn } from './console';

/**
 * `npm start`'s database step, as a process of its own (`node prepare-database.js
 * [--create]`, run by the launcher): creates the database on the embedded server
 * (`--create`), migrates it and registers the packs. Kysely, pg and the pack
 * loader leave with this process instead of staying in the launcher.
 */
export async function prepareDatabase(env: NodeJS.ProcessEnv, create: boolean): Promise<void> {
  const config = loadConfig(env);
  const databaseUrl = requireDatabaseUrl(config);
  if (create) {
    const server = new URL(databaseUrl);
    const database = decodeURIComponent(server.pathname.slice(1));
    server.pathname = '/postgres';
    await ensureDatabase(server.toString(), database);
  }
  const repoRoot = findRepoRoot();
  const db = createDatabase(databaseUrl, { maxConnections: 1, applicationName: 'tempest-launcher' });
  try {
    const applied = await migrateToLatest(db);
    if (applied.length > 0) say(`applied migrations: ${applied.join(', ')}`);
    const key = loadDatastoreKey(config);
    const packs = await registerPacks(db, resolve(repoRoot, config.packsDir), resolve(repoRoot, config.configsDir), key ? new KeyValueCipher(key) : undefined);
    say(summarizeRegistration(packs));
    for (const problem of packs.problems) warn(`pack skipped: ${problem}`);
    for (const warning of packs.packs.flatMap((p) => p.warnings)) warn(`registered, fails when run: ${warning}`);
  } finally {
    await db.destroy();
  }
}

if (require.main === module) {
  prepareDatabase(process.env, process.argv.includes('--create')).catch((error: unknown) => {
    warn(error instanceof Error ? error.message : String(error));
    process.exit(1);
  });
}
