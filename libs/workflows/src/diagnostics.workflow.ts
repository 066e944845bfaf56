import { proxyActivities, workflowInfo } from '@temporalio/workflow';

/** Activities a worker must provide for the diagnostics workflow. */
export interface DiagnosticsActivities {
  /** Answers with the identity of the worker process that ran it. */
  describeWorker(): Promise<{ identity: string; pid: number; taskQueue: string }>;
}

const { describeWorker } = proxyActivities<DiagnosticsActivities>({
  startToCloseTimeout: '10 seconds',
  retry: { maximumAttempts: 3 },
});

export interface PingResult {
  workflowId: string;
  worker: { identity: string; pid: number; taskQueue: string };
}

/**
 * Round trip through a worker: proves that the task queue is served, the
 * workflow bundle loads and activities run. Used by health checks and benchmarks.
 */
export async function ping(): Promise<PingResult> {
  const worker = await describeWorker();
  return { workflowId: workflowInfo().workflowId, worker };
}
