import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import type { temporal as proto } from '@temporalio/proto';
import { Worker } from '@temporalio/worker';
import type { TempestConfig } from '@tempest/config';
import { createDiagnosticsActivities } from '@tempest/runners';
import type { PingResult } from '@tempest/workflows';
import { connectTemporal, requireWorkflowBundle } from '../temporal-setup';

/** A bare one-activity workflow on the platform's Temporal: the floor Tempest's executions are measured against. */
export interface PingWorker {
  /** Starts one ping workflow and waits for its result. */
  execute(seq: number): Promise<PingResult>;
  /** The workflow id of run `seq`. */
  workflowId(seq: number): string;
  /** The history of any workflow on the platform's Temporal (Tempest's executions too), for where its time went. */
  history(workflowId: string): Promise<proto.api.history.v1.IHistoryEvent[]>;
  close(): Promise<void>;
}

/**
 * Client → Temporal → worker → one activity → result, on a worker set up like
 * apps/worker's but polling a task queue of its own, so a running Tempest
 * worker neither steals nor slows these workflows.
 */
export async function startPingWorker(config: TempestConfig, repoRoot: string): Promise<PingWorker> {
  const codePath = requireWorkflowBundle(repoRoot);
  const taskQueue = `tempest-bench-${randomUUID().slice(0, 8)}`;
  const identity = `tempest-bench@${hostname()}:${process.pid}`;
  const temporal = await connectTemporal(config.temporal);
  try {
    const worker = await Worker.create({
      connection: temporal.connection,
      namespace: config.temporal.namespace,
      taskQueue,
      identity,
      workflowBundle: { codePath },
      activities: { ...createDiagnosticsActivities(identity) },
    });
    const running = worker.run();
    return {
      execute: (seq) => temporal.client.workflow.execute<() => Promise<PingResult>>('ping', { taskQueue, workflowId: `${taskQueue}-${seq}` }),
      workflowId: (seq) => `${taskQueue}-${seq}`,
      history: async (workflowId) => (await temporal.client.workflow.getHandle(workflowId).fetchHistory()).events ?? [],
      async close() {
        worker.shutdown();
        await running;
        await temporal.close();
      },
    };
  } catch (error) {
    await temporal.close();
    throw error;
  }
}
