import { ConfigError, loadConfig, requireDatabaseUrl } from '@tempest/config';
import { createDatabase, pingDatabase } from '@tempest/db';
import { createLogger } from '@tempest/logging';

const LIVENESS_INTERVAL_MS = 30_000;

/**
 * The sensor container. Until pack sensors run here, it holds its database
 * connection and reports when it loses it, so a broken deployment shows up in
 * the logs rather than at the first event.
 */
async function main() {
  const config = loadConfig(process.env);
  const logger = createLogger('sensors', config.logLevel);
  const db = createDatabase(requireDatabaseUrl(config), { maxConnections: 2, applicationName: 'tempest-sensors' });
  // Handlers first: a stop request that arrives right after "ready" must be honoured.
  const stopRequested = new Promise<void>((resolve) => {
    process.once('SIGTERM', resolve);
    process.once('SIGINT', resolve);
  });
  await pingDatabase(db);
  logger.info({ sensors: 0 }, 'sensor container ready');
  let reachable = true;
  const liveness = setInterval(() => {
    pingDatabase(db).then(
      () => {
        if (!reachable) logger.info('database reachable again');
        reachable = true;
      },
      (error: Error) => {
        if (reachable) logger.warn({ err: error.message }, 'database unreachable');
        reachable = false;
      },
    );
  }, LIVENESS_INTERVAL_MS);
  await stopRequested;
  clearInterval(liveness);
  await db.destroy();
  logger.info('sensor container stopped');
}

main().catch((error) => {
  const message = error instanceof ConfigError ? error.message : `sensor container failed: ${error instanceof Error ? error.message : error}`;
  console.error(message);
  process.exit(1);
});
