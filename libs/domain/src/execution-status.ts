/** Execution statuses as StackStorm names them. */
export const EXECUTION_STATUSES = ['requested', 'scheduled', 'delayed', 'running', 'pending', 'succeeded', 'failed', 'timeout', 'canceling', 'canceled', 'abandoned', 'pausing', 'paused', 'resuming'] as const;
export type ExecutionStatus = (typeof EXECUTION_STATUSES)[number];

/**
 * `abandoned`, as in StackStorm: the action started on a worker that died
 * before its outcome was recorded, so whether it did its work is not known.
 */
export const TERMINAL_STATUSES: readonly ExecutionStatus[] = ['succeeded', 'failed', 'timeout', 'canceled', 'abandoned'];

/** Where a workflow may end, or be canceled, from. */
const ENDS = ['succeeded', 'failed', 'timeout', 'canceling', 'canceled', 'abandoned'] as const;

/**
 * A workflow (Orquesta, ActionChain) also pauses: `pausing` while its running
 * tasks finish, `paused` once none runs, `resuming` then `running` again. That
 * loop is the one way back; every other change moves forward.
 */
const NEXT: Record<ExecutionStatus, readonly ExecutionStatus[]> = {
  requested: ['scheduled', 'delayed', 'running', 'canceling', 'canceled', 'failed'],
  scheduled: ['delayed', 'running', 'canceling', 'canceled', 'failed'],
  // Held back by an action.concurrency policy until a run of the action ends (StackStorm's `delayed`).
  delayed: ['running', 'canceling', 'canceled', 'failed'],
  running: [...ENDS, 'pending', 'pausing'],
  // An inquiry waiting for a response (StackStorm's `pending`).
  pending: ['succeeded', 'failed', 'timeout', 'canceling', 'canceled'],
  canceling: ['canceled', 'succeeded', 'failed', 'timeout', 'abandoned'],
  pausing: [...ENDS, 'paused', 'resuming'],
  paused: [...ENDS, 'resuming'],
  resuming: [...ENDS, 'running'],
  succeeded: [],
  failed: [],
  timeout: [],
  canceled: [],
  abandoned: [],
};

/** Whether an execution in this status has ended (accepts the API's plain strings). */
export function isTerminal(status: string): boolean {
  return (TERMINAL_STATUSES as readonly string[]).includes(status);
}

/** Statuses only move forward: a retried write of an older status changes nothing. */
export function canTransition(from: ExecutionStatus, to: ExecutionStatus): boolean {
  return NEXT[from].includes(to);
}

/** The statuses an execution may be in when it moves to `to`. */
export function statusesBefore(to: ExecutionStatus): ExecutionStatus[] {
  return EXECUTION_STATUSES.filter((from) => canTransition(from, to));
}
