import { ConfigError, loadConfig, requireDatabaseUrl } from '@tempest/config';
import { createDatabase, migrateToLatest } from '@tempest/db';
import { createLogger } from '@tempest/logging';

// `node dist/apps/gateway/src/migrate.js`: brings the schema up to date and exits.
// Deployments run it before the services (docker-compose's migrate job); `npm start` does the same itself.
async function main() {
  const config = loadConfig(process.env);
  const logger = createLogger('migrate', config.logLevel);
  const db = createDatabase(requireDatabaseUrl(config), { maxConnections: 1, applicationName: 'tempest-migrate', logger });
  try {
    const applied = await migrateToLatest(db);
    logger.info({ applied }, applied.length > 0 ? 'migrations applied' : 'schema is up to date');
  } finally {
    await db.destroy();
  }
}

main().catch((error) => {
  console.error(error instanceof ConfigError ? error.message : `migration failed: ${error instanceof Error ? error.message : error}`);
  process.exit(1);
});
