import { ActivityFailure, CancellationScope, CancelledFailure, isCancellation, patched, proxyActivities, sleep, TimeoutFailure, workflowInfo } from '@temporalio/workflow';
import type { ConcurrencyPolicy, RetryPolicy } from '@tempest/domain';
import { delayBackoffMs } from './concurrency-delay';
import { finalOutcome, shouldRetry } from './retry-policy';

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
  /** Its action.concurrency(.attr) policies, checked by runAction where the run would start. */
  concurrency?: ConcurrencyPolicy[];
}

export type FinalStatus = 'succeeded' | 'failed' | 'timeout' | 'canceled' | 'abandoned';

export interface ActionOutcome {
  status: FinalStatus;
  result: unknown;
  /** Set by a runAction asked to `finishIfFinal`: the execution's end (status, result, actiontrigger) is already recorded. */
  recorded?: true;
}

/** runAction's answer when a concurrency policy holds the run back: it did not start, and is `delayed`. */
export interface DelayedByPolicy {
  delayedBy: string;
}

/** What the worker recorded of an attempt whose runAction did not answer. */
export type AttemptKnown = { state: 'never-started' } | { state: 'started' } | { state: 'finished'; outcome: ActionOutcome };

export interface RunActionInput extends ActionExecutionInput {
  runId: string;
  /** The action.retry attempt, from 1. */
  attempt: number;
  /** How many times this attempt was handed to a worker, from 1 (absent before the ATTEMPT_OUTCOME patch). */
  dispatch?: number;
  /**
   * When the outcome ends the execution (no action.retry follows), record the end
   * as finishExecution would, in the transaction that stores the outcome (absent
   * before the FINISH_IN_ATTEMPT patch).
   */
  finishIfFinal?: true;
}

/** Activities a worker provides to run executions and mirror them into Postgres. */
export interface ExecutionActivities {
  /**
   * Marks the execution running, claims the attempt, runs its action with the
   * runner, streams output, and stores the outcome before returning it (with
   * `finishIfFinal`, the execution's end too when nothing follows). With
   * `concurrency`, the run starts only within its policies' thresholds: else
   * it is `delayed` (DelayedByPolicy: ask again later) or `canceled`.
   */
  runAction(input: RunActionInput): Promise<ActionOutcome | DelayedByPolicy>;
  /** What is known of an attempt whose runAction failed; one never started is fenced off from its dispatch. */
  settleAttempt(executionId: string, attempt: number, dispatch: number): Promise<AttemptKnown>;
  /** Records the final status and result. */
  finishExecution(executionId: string, outcome: ActionOutcome): Promise<void>;
}

// The runner heartbeats every 5 s; a worker silent this long is gone.
const HEARTBEAT = '15 seconds';

/**
 * Patches, newest last; each guards a change to what running executions do.
 * ATTEMPT_OUTCOME: a runAction that fails is settled from what its worker
 * recorded (run again if it never started, `abandoned` if it started and its
 * outcome is unknown, the outcome if it was stored) instead of `failed`.
 * CANCEL_IN_RETRY_DELAY: a cancellation during the action.retry delay ends
 * the execution as `canceled` in the audit trail.
 * FINISH_IN_ATTEMPT: the attempt that ends the execution records its end
 * itself, saving an activity and a workflow task per execution;
 * finishExecution runs only when it could not (a cancellation, a lost worker,
 * Postgres unavailable as the action ended).
 * CONCURRENCY_POLICY: an action with action.concurrency(.attr) policies
 * starts only within their thresholds; held back, it waits on a durable timer
 * and asks again.
 */
const PATCHES = { ATTEMPT_OUTCOME: 'attempt-outcome', CANCEL_IN_RETRY_DELAY: 'cancel-in-retry-delay', FINISH_IN_ATTEMPT: 'finish-in-attempt', CONCURRENCY_POLICY: 'concurrency-policy' } as const;
/** Dispatches of an attempt that never started, before it is given up as failed. */
const MAX_DISPATCHES = 5;

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
  const { finishExecution, settleAttempt } = proxyActivities<ExecutionActivities>({
    startToCloseTimeout: '30 seconds',
    retry: { initialInterval: '1 second', maximumInterval: '1 minute' },
  });

  // Asked only of a run with policies, so that the histories of all others are unchanged.
  const { concurrency, ...unpoliced } = input;
  const policed = (concurrency?.length ?? 0) > 0 && patched(PATCHES.CONCURRENCY_POLICY);

  /** One attempt, handed to another worker only while it is known that none started it. */
  async function runAttempt(attempt: number): Promise<ActionOutcome> {
    for (let dispatch = 1; ; dispatch++) {
      const finishIfFinal = patched(PATCHES.FINISH_IN_ATTEMPT) ? { finishIfFinal: true as const } : {};
      try {
        for (let asked = 0; ; asked++) {
          const answer = await runAction({ ...(policed ? input : unpoliced), runId: workflowInfo().runId, attempt, ...(dispatch > 1 ? { dispatch } : {}), ...finishIfFinal });
          if (!('delayedBy' in answer)) return answer;
          // A durable timer: a delayed run survives a worker restart; a cancellation here ends it `canceled`.
          await sleep(delayBackoffMs(asked));
        }
      } catch (error) {
        if (isCancellation(error)) return { status: 'canceled', result: null };
        if (!patched(PATCHES.ATTEMPT_OUTCOME)) return { status: 'failed', result: { error: describe(error) } };
        // Asked even if the execution is being canceled: the answer decides what the audit trail says.
        const known = await CancellationScope.nonCancellable(() => settleAttempt(input.executionId, attempt, dispatch));
        if (known.state === 'finished') return known.outcome;
        if (known.state === 'started') return { status: 'abandoned', result: { error: abandoned(error) } };
        if (CancellationScope.current().consideredCancelled) return { status: 'canceled', result: null };
        if (dispatch >= MAX_DISPATCHES) return { status: 'failed', result: { error: `the action never started: ${cause(error)}` } };
      }
    }
  }

  let outcome: ActionOutcome;
  for (let attempt = 1; ; attempt++) {
    outcome = await runAttempt(attempt);
    if (outcome.recorded) {
      const { recorded: _recorded, ...ended } = outcome;
      return ended;
    }
    if (!shouldRetry(input.retry, outcome, attempt)) {
      outcome = finalOutcome(outcome, attempt);
      break;
    }
    try {
      // A durable timer: the delay survives a worker restart.
      await sleep(input.retry!.delaySeconds * 1000);
    } catch (error) {
      if (!isCancellation(error) || !patched(PATCHES.CANCEL_IN_RETRY_DELAY)) throw error;
      outcome = { status: 'canceled', result: null };
      break;
    }
  }
  // Recorded whatever happened, cancellation included: the audit trail must not stop at "running".
  await CancellationScope.nonCancellable(() => finishExecution(input.executionId, outcome));
  if (outcome.status === 'canceled') throw new CancelledFailure('execution canceled');
  return outcome;
}

function abandoned(error: unknown): string {
  return `the action started, then its worker stopped answering (${cause(error)}); whether it did its work is not known, so it was not run again`;
}

function cause(error: unknown): string {
  if (error instanceof ActivityFailure && error.cause instanceof TimeoutFailure) return `${error.cause.timeoutType}`;
  if (error instanceof ActivityFailure && error.cause) return error.cause.message;
  return error instanceof Error ? error.message : String(error);
}

function describe(error: unknown): string {
  if (error instanceof ActivityFailure && error.cause instanceof TimeoutFailure) {
    return `the worker running the action stopped answering (${error.cause.timeoutType}); the action was not retried, as it may have run in part`;
  }
  if (error instanceof ActivityFailure && error.cause) return error.cause.message;
  return error instanceof Error ? error.message : String(error);
}
