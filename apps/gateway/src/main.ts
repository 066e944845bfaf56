import { ConfigError, loadConfig, requireDatabaseUrl, type TempestConfig } from '@tempest/config';
import { createDatabase, waitForDatabase } from '@tempest/db';
import { createLogger, type Logger } from '@tempest/logging';
import { createGatewayApp } from './app';

async function main() {
  const config = loadConfig(process.env);
  const logger = createLogger('gateway', config.logLevel);
  await databaseReachable(config, logger);
  const app = await createGatewayApp(config, logger);
  await app.listen({ host: config.gateway.host, port: config.gateway.port });
  logger.info({ url: config.gateway.publicUrl, host: config.gateway.host, port: config.gateway.port }, 'gateway listening');
}

/**
 * Started with Postgres (or while it recovers), the gateway waits for it rather
 * than exiting; its start-up tasks (loading rules, timers) need it. The app
 * itself still starts degraded if Postgres goes later, reporting it in /health.
 */
async function databaseReachable(config: TempestConfig, logger: Logger): Promise<void> {
  const db = createDatabase(requireDatabaseUrl(config), { maxConnections: 1, applicationName: 'tempest-gateway', logger });
  try {
    await waitForDatabase(db, logger);
  } finally {
    await db.destroy();
  }
}

main().catch((error) => {
  const message = error instanceof ConfigError ? error.message : `gateway failed to start: ${error instanceof Error ? error.message : error}`;
  console.error(message);
  process.exit(1);
});
