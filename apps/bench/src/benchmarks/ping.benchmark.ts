import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import { Worker } from '@temporalio/worker';
import { createDiagnosticsActivities } from '@tempest/runners';
import type { PingResult } from '@tempest/workflows';
import type { Benchmark, BenchContext } from '../benchmark';
import { sample } from '../sampler';
import { connectTemporal, requireWorkflowBundle } from '../temporal-setup';

/**
 * Client → Temporal → worker → one activity → result, on a worker set up like
 * apps/worker's but polling a task queue of its own, so a running Tempest
 * worker neither steals nor slows these workflows.
 */
async function runPing({ config, repoRoot, sampling }: BenchContext) {
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
    const execute = (seq: number) =>
      temporal.client.workflow.execute<() => Promise<PingResult>>('ping', { taskQueue, workflowId: `${taskQueue}-${seq}` });
    return await worker.runUntil(sample(execute, sampling));
  } finally {
    await temporal.close();
  }
}

export const pingBenchmark: Benchmark = {
  description: 'end-to-end latency of the ping workflow (one activity) through a Tempest worker',
  run: runPing,
};
