import { resolve } from 'node:path';
import { ConfigError, findRepoRoot, loadConfig, requireDatabaseUrl } from '@tempest/config';
import { createDatabase, waitForDatabase } from '@tempest/db';
import { createLogger } from '@tempest/logging';
import { createTempestWorker, installTemporalRuntime } from './worker';
import { workflowBundlePath } from './workflow-bundle';

async function main() {
  const config = loadConfig(process.env);
  const logger = createLogger('worker', config.logLevel);
  installTemporalRuntime(config, logger);
  const db = createDatabase(requireDatabaseUrl(config), { applicationName: 'tempest-worker', statementTimeoutSeconds: config.statementTimeoutSeconds, logger });
  try {
    // Started with Postgres (or while it recovers), the worker waits for it rather than exiting.
    await waitForDatabase(db, logger);
    const repoRoot = findRepoRoot();
    const worker = await createTempestWorker({ config, logger, db, packsDir: resolve(repoRoot, config.packsDir), workflowBundlePath: workflowBundlePath(repoRoot) });
    await worker.run();
  } finally {
    await db.destroy();
  }
}

main().catch((error) => {
  const message = error instanceof ConfigError ? error.message : `worker failed: ${error instanceof Error ? error.message : error}`;
  console.error(message);
  process.exit(1);
});
