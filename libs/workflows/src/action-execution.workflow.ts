import { ActivityFailure, CancellationScope, CancelledFailure, isCancellation, proxyActivities, sleep, TimeoutFailure, workflowInfo } from '@temporalio/workflow';
import type { RetryPolicy } from '@tempest/domain';

/** What the gateway starts; secret parameters are masked here and read back by the worker. */
export interface ActionExecutionInput {
  executionId: string;
  /** `parameterSpecs`: the action's own parameters as registered when it was asked for (script argument positions, types). */
  action: { ref: string; pack: string; runnerType: string; entryPoint?: string; parameterSpecs?: Record<string, unknown> };
  parameters: Record<string, unknown>;
  /** Seconds the action may run (its `timeout` parameter). */
  timeoutSeconds: number;
  /** The action's StackStorm action.retry policy, if it has one. */
  retry?: RetryPolicy;
}

export type FinalStatus = 'succeeded' | 'failed' | 'timeout' | 'canceled';

export interface ActionOutcome {
  status: FinalStatus;
  result: unknown;
}

/** Activities a worker provides to run executions and mirror them into Postgres. */
export interface ExecutionActivities {
  /** Marks the execution running, runs its action with the runner, streams output. */
  runAction(input: ActionExecutionInput & { runId: string; attempt: number }): Promise<ActionOutcome>;
  /** Records the final status and result. */
  finishExecution(executionId: string, outcome: ActionOutcome): Promise<void>;
}

// The runner heartbeats every 5 s; a worker silent this long is gone.
const HEARTBEAT = '15 seconds';

/**
 * One execution: the action runs as an activity, and its outcome is mirrored
 * into Postgres by another, retried until it lands. The workflow id is the
 * execution id, so a request that is retried can never run the action twice.
 */
export async function actionExecution(input: ActionExecutionInput): Promise<ActionOutcome> {
  const { runAction } = proxyActivities<ExecutionActivities>({
    // The runner enforces the action's own timeout; this bounds a lost worker.
    startToCloseTimeout: `${input.timeoutSeconds + 60} seconds`,
    heartbeatTimeout: HEARTBEAT,
    retry: { maximumAttempts: 1 },
    cancellationType: 'WAIT_CANCELLATION_COMPLETED',
  });
  const { finishExecution } = proxyActivities<ExecutionActivities>({
    startToCloseTimeout: '30 seconds',
    retry: { initialInterval: '1 second', maximumInterval: '1 minute' },
  });

  let outcome: ActionOutcome;
  for (let attempt = 1; ; attempt++) {
    try {
      outcome = await runAction({ ...input, runId: workflowInfo().runId, attempt });
    } catch (error) {
      outcome = isCancellation(error) ? { status: 'canceled', result: null } : { status: 'failed', result: { error: describe(error) } };
    }
    if (!shouldRetry(input.retry, outcome, attempt)) {
      if (attempt > 1 && isObject(outcome.result)) outcome = { ...outcome, result: { ...outcome.result, attempts: attempt } };
      break;
    }
    // A durable timer: the delay survives a worker restart.
    await sleep(input.retry!.delaySeconds * 1000);
  }
  // Recorded whatever happened, cancellation included: the audit trail must not stop at "running".
  await CancellationScope.nonCancellable(() => finishExecution(input.executionId, outcome));
  if (outcome.status === 'canceled') throw new CancelledFailure('execution canceled');
  return outcome;
}

/** StackStorm's action.retry: again while the outcome is the one the policy names and retries are left. */
function shouldRetry(retry: RetryPolicy | undefined, outcome: ActionOutcome, attempt: number): boolean {
  if (!retry || attempt > retry.maxRetryCount) return false;
  return (retry.retryOn === 'failure' && outcome.status === 'failed') || (retry.retryOn === 'timeout' && outcome.status === 'timeout');
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function describe(error: unknown): string {
  if (error instanceof ActivityFailure && error.cause instanceof TimeoutFailure) {
    return `the worker running the action stopped answering (${error.cause.timeoutType}); the action was not retried, as it may have run in part`;
  }
  if (error instanceof ActivityFailure && error.cause) return error.cause.message;
  return error instanceof Error ? error.message : String(error);
}
