import { join } from 'node:path';
import { ConfigError, loadConfig, requireDatabaseUrl } from '@tempest/config';
import { loadDatastoreKey } from '@tempest/datastore';
import { createDatabase, waitForDatabase } from '@tempest/db';
import { createLogger } from '@tempest/logging';
import { SensorContainer } from './sensor-container';

/**
 * The sensor container: runs the enabled pack sensors it holds a lease on,
 * each in a process of its own, until SIGTERM or SIGINT.
 */
async function main() {
  const config = loadConfig(process.env);
  const logger = createLogger('sensors', config.logLevel);
  const databaseUrl = requireDatabaseUrl(config);
  const datastoreKey = loadDatastoreKey(config);
  const db = createDatabase(databaseUrl, { maxConnections: 4, applicationName: 'tempest-sensors', statementTimeoutSeconds: config.statementTimeoutSeconds, logger });
  // Handlers first: a stop request that arrives right after "ready" must be honoured.
  const stopRequested = new Promise<void>((resolve) => {
    process.once('SIGTERM', resolve);
    process.once('SIGINT', resolve);
  });
  // Started with Postgres (or while it recovers), the container waits for it rather than exiting.
  await waitForDatabase(db, logger);
  const container = new SensorContainer({
    db,
    databaseUrl,
    datastoreKey,
    logger,
    leaseSeconds: config.sensors.leaseSeconds,
    logLevel: config.logLevel,
    runtimeFile: join(__dirname, 'sensor-runtime.js'),
  });
  await container.start();
  logger.info({ sensors: container.sensorCount, owner: container.owner }, 'sensor container ready');
  await stopRequested;
  await container.stop();
  await db.destroy();
  logger.info('sensor container stopped');
}

main().catch((error) => {
  const message = error instanceof ConfigError ? error.message : `sensor container failed: ${error instanceof Error ? error.message : error}`;
  console.error(message);
  process.exit(1);
});
