import type { RetryPolicy } from '@tempest/domain';

/** The outcome of one attempt, as the workflow and the activity that ran it both judge it. */
export interface AttemptOutcome {
  status: string;
  result: unknown;
}

/** StackStorm's action.retry: again while the outcome is the one the policy names and retries are left. */
export function shouldRetry(retry: RetryPolicy | undefined, outcome: AttemptOutcome, attempt: number): boolean {
  if (!retry || attempt > retry.maxRetryCount) return false;
  return (retry.retryOn === 'failure' && outcome.status === 'failed') || (retry.retryOn === 'timeout' && outcome.status === 'timeout');
}

/** The execution's outcome when attempt `attempt` ended it: after retries, the result says how many attempts it took. */
export function finalOutcome<T extends AttemptOutcome>(outcome: T, attempt: number): T {
  if (attempt > 1 && isObject(outcome.result)) return { ...outcome, result: { ...outcome.result, attempts: attempt } };
  return outcome;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
