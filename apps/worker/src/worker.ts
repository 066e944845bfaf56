import { hostname } from 'node:os';
import { join, resolve } from 'node:path';
import { DefaultLogger, NativeConnection, Runtime, Worker, type LogLevel } from '@temporalio/worker';
import { findRepoRoot, type TempestConfig } from '@tempest/config';
import type { Logger } from '@tempest/logging';
import { temporalConnectionOptions } from '@tempest/temporal';
import { ActionRepository, ActionTokenRepository, ExecutionRepository, KeyValuePairRepository, PackConfigRepository, TriggerInstanceRepository, type Database } from '@tempest/db';
import { createConductorActivities, createDiagnosticsActivities, createExecutionActivities, createInquiryActivities, createTimerActivities } from '@tempest/runners';
import { DatastoreService, KeyValueCipher, loadDatastoreKey } from '@tempest/datastore';
import { createPackWorkflowActivities } from './pack-workflows/pack-workflow.activities';
import { PackWorkflowHost } from './pack-workflows/pack-workflow-host';

const temporalLevels: Record<string, LogLevel> = { trace: 'TRACE', debug: 'DEBUG', info: 'INFO', warn: 'WARN', error: 'ERROR', fatal: 'ERROR' };

/** Routes the Temporal SDK's own logs into our JSON logger. Call once per process. */
export function installTemporalRuntime(config: TempestConfig, logger: Logger): void {
  Runtime.install({
    logger: new DefaultLogger(temporalLevels[config.logLevel], ({ level, message, meta }) => {
      const method = level === 'TRACE' ? 'trace' : (level.toLowerCase() as 'debug' | 'info' | 'warn' | 'error');
      logger[method]({ ...meta, source: 'temporal-sdk' }, message);
    }),
  });
}

export interface WorkerOptions {
  config: TempestConfig;
  logger: Logger;
  workflowBundlePath: string;
  /** The audit trail the worker mirrors executions into. */
  db: Database;
  /** Absolute path of the packs folder (actions' scripts live there). */
  packsDir: string;
  /** Overrides the configured task queue (tests use one queue each). */
  taskQueue?: string;
  /** Where packs' workflow bundles are kept (default: `<dataDir>/workflow-bundles/<taskQueue>`). */
  bundlesDir?: string;
}

/**
 * Connects and creates the worker. `run()` on the result polls until a
 * shutdown signal (SIGINT/SIGTERM, handled by the Temporal runtime) or
 * `shutdown()`, lets running activities finish within the grace time, then
 * closes the connection.
 */
export async function createTempestWorker(options: WorkerOptions) {
  const { config, logger } = options;
  const taskQueue = options.taskQueue ?? config.temporal.taskQueue;
  const identity = `tempest-worker@${hostname()}:${process.pid}`;
  // Secret parameters and packs' configs are sealed with the datastore key: the worker opens them for the runner.
  const datastoreKey = loadDatastoreKey(config);
  const secretCipher = datastoreKey ? new KeyValueCipher(datastoreKey) : undefined;
  const connection = await NativeConnection.connect(await temporalConnectionOptions(config.temporal));
  try {
    const conductor = createConductorActivities({
      executions: new ExecutionRepository(options.db, secretCipher),
      actions: new ActionRepository(options.db),
      packConfigs: new PackConfigRepository(options.db, secretCipher),
      datastore: new DatastoreService(new KeyValuePairRepository(options.db), datastoreKey),
      packsDir: options.packsDir,
      secretCipher,
      db: options.db,
    });
    const repoRoot = findRepoRoot();
    const packWorkflows = new PackWorkflowHost({
      connection,
      namespace: config.temporal.namespace,
      taskQueue,
      identity,
      bundlesDir: options.bundlesDir ?? join(resolve(repoRoot, config.dataDir), 'workflow-bundles', encodeURIComponent(taskQueue)),
      repoRoot,
      packsDir: options.packsDir,
      activities: conductor,
      logger,
    });
    const worker = await Worker.create({
      connection,
      namespace: config.temporal.namespace,
      taskQueue,
      identity,
      workflowBundle: { codePath: options.workflowBundlePath },
      activities: {
        ...createDiagnosticsActivities(identity),
        ...createExecutionActivities({
          db: options.db,
          executions: new ExecutionRepository(options.db, secretCipher),
          packConfigs: new PackConfigRepository(options.db, secretCipher),
          tokens: new ActionTokenRepository(options.db),
          apiUrl: config.gateway.publicUrl,
          packsDir: options.packsDir,
          knownHostsFile: config.sshKnownHosts,
          datastore: new DatastoreService(new KeyValuePairRepository(options.db), datastoreKey),
        }),
        ...conductor,
        ...createPackWorkflowActivities({ host: packWorkflows, actions: new ActionRepository(options.db), executions: new ExecutionRepository(options.db, secretCipher) }),
        ...createTimerActivities({ triggerInstances: new TriggerInstanceRepository(options.db) }),
        ...createInquiryActivities({ executions: new ExecutionRepository(options.db, secretCipher), triggerInstances: new TriggerInstanceRepository(options.db) }),
      },
      shutdownGraceTime: '10 seconds',
    });
    // Workflows started on a pack's earlier code go on with it.
    await packWorkflows.serveKept();
    return {
      worker,
      async run(): Promise<void> {
        logger.info({ taskQueue, namespace: config.temporal.namespace, address: config.temporal.address }, 'worker polling');
        try {
          await worker.run();
        } finally {
          await packWorkflows.shutdown();
          await connection.close();
          logger.info('worker stopped');
        }
      },
    };
  } catch (error) {
    await connection.close();
    throw error;
  }
}
