// The contract between a workflow conductor (libs/orquesta, libs/actionchain) and the Temporal
// workflow that drives it (libs/workflows, conductedWorkflow): pure data, so the state replays.
/** One action to run for a task (one per item for with-items). */
export interface TaskRequest {
  /** Unique and stable within the workflow run, e.g. `task1`, `task1#2` (second time through a cycle), `task1[3]` (item 3). */
  id: string;
  /** The task's name in the definition. */
  task: string;
  /** Action ref, e.g. `core.local`. */
  action: string;
  /** Rendered input parameters for the action. */
  input: Record<string, unknown>;
  /** Seconds to wait before running it (Orquesta `delay`), if any. */
  delaySeconds?: number;
  /** For with-items: the item's index. */
  item?: number;
  /** An ActionChain task's own `notify`, as written (checked when its execution is recorded; see taskNotify). */
  notify?: Record<string, unknown>;
}

/** What happened to one TaskRequest. status as StackStorm's execution statuses. */
export interface TaskResult {
  id: string;
  status: 'succeeded' | 'failed' | 'timeout' | 'canceled' | 'abandoned';
  /** The action execution's result (e.g. {stdout, stderr, return_code, succeeded, failed} for core.local). */
  result: unknown;
}

/** What the driver must do next. */
export interface Step {
  /** Actions to start now (may be empty while others run). */
  schedule: TaskRequest[];
  /** Set once the workflow is over: nothing more will be scheduled. */
  done?: { status: 'succeeded' | 'failed' | 'canceled'; output: Record<string, unknown> | null; errors: WorkflowError[] };
}

/** As Orquesta reports them: e.g. { type: 'error', message, task_id, route, result }. */
export interface WorkflowError { type: string; message: string; task_id?: string; route?: number; result?: unknown; [k: string]: unknown }

export interface Conductor<State> {
  /** Validates input against the definition and returns the initial state and first step. */
  start(input: Record<string, unknown>): { state: State; step: Step };
  /** Feeds back one result; returns the new state and what to do next. */
  complete(state: State, result: TaskResult): { state: State; step: Step };
}
