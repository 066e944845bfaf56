import { ConfigError, findRepoRoot, loadConfig } from '@tempest/config';
import { createLogger } from '@tempest/logging';
import { createTempestWorker, installTemporalRuntime } from './worker';
import { workflowBundlePath } from './workflow-bundle';

async function main() {
  const config = loadConfig(process.env);
  const logger = createLogger('worker', config.logLevel);
  installTemporalRuntime(config, logger);
  const worker = await createTempestWorker({ config, logger, workflowBundlePath: workflowBundlePath(findRepoRoot()) });
  await worker.run();
}

main().catch((error) => {
  const message = error instanceof ConfigError ? error.message : `worker failed: ${error instanceof Error ? error.message : error}`;
  console.error(message);
  process.exit(1);
});
