import { CancellationScope, CancelledFailure, ChildWorkflowFailure, condition, executeChild, isCancellation, patched, proxyActivities, startChild, TimeoutFailure, workflowInfo } from '@temporalio/workflow';
import type { ActionExecutionInput, ActionOutcome, ExecutionActivities } from './action-execution.workflow';
import type { ConductorActivities } from './conducted.workflow';
import { PauseTracker } from './pause';

/**
 * PAUSE_RESUME: pause and resume reach the pack's function (a sub-workflow to
 * this one, as to a PauseTracker), which holds its next action and tells
 * when it is paused (by a pause, or by an inquiry it waits on); this workflow
 * records pausing, paused, resuming, running in the execution's row.
 */
const PAUSE_RESUME = 'pack-workflow-pause-resume';

type PackFunction = (p: Record<string, unknown>) => Promise<unknown>;

/** What a pack's TypeScript workflow learns of its execution, from its memo (`PACK_WORKFLOW_MEMO`). */
export interface PackWorkflowContext {
  /** The execution's id: the parent of the actions it runs. */
  executionId: string;
  /** Tempest's own task queue, where the actions it runs (actionExecution, conductedWorkflow) are. */
  taskQueue: string;
}

export const PACK_WORKFLOW_MEMO = 'tempest';

/** Where a pack's workflow function runs: the task queue of the bundle of its pack's code, and its workflow type there. */
export type PreparedPackWorkflow = { taskQueue: string; workflowType: string } | { error: string };

export interface PackWorkflowActivities {
  /**
   * Marks the execution running, and has this worker serve the bundle of the
   * pack's TypeScript workflows as they are on disk now (built once per
   * content, on a task queue named by its hash); or why it cannot.
   */
  preparePackWorkflow(input: { executionId: string; runId: string; action: ActionExecutionInput['action'] }): Promise<PreparedPackWorkflow>;
}

/**
 * A pack's TypeScript workflow (runner `temporal-workflow`) as an execution:
 * this workflow, on Tempest's queue, owns the execution's row (running, then
 * its end) and runs the pack's function as its child on the queue of the
 * bundle its pack's code was built into. A changed pack is a new bundle on a
 * new queue: executions started before go on with the code they started with.
 * The function's return value is the result; what it throws, the error.
 */
export async function packWorkflow(input: ActionExecutionInput): Promise<ActionOutcome> {
  const { preparePackWorkflow } = proxyActivities<PackWorkflowActivities>({
    // Building a bundle takes seconds, more on a busy worker.
    startToCloseTimeout: '5 minutes',
    retry: { initialInterval: '1 second', maximumInterval: '1 minute' },
  });
  const { finishExecution } = proxyActivities<ExecutionActivities>({
    startToCloseTimeout: '30 seconds',
    retry: { initialInterval: '1 second', maximumInterval: '1 minute' },
  });

  const { recordPauseStatus } = proxyActivities<ConductorActivities>({
    startToCloseTimeout: '30 seconds',
    retry: { initialInterval: '1 second', maximumInterval: '1 minute' },
  });
  const pause = patched(PAUSE_RESUME) ? new PauseTracker(PAUSE_RESUME, (status) => recordPauseStatus({ executionId: input.executionId, status })) : undefined;
  if (pause) {
    // Until the function's workflow is started, a pause asked for is `pausing`, not yet `paused`.
    pause.stepping = true;
    pause.listen();
  }

  async function run(): Promise<ActionOutcome> {
    const prepared = await preparePackWorkflow({ executionId: input.executionId, runId: workflowInfo().runId, action: input.action });
    if ('error' in prepared) return { status: 'failed', result: { error: prepared.error } };
    // `function` is the runner's parameter (which export to run), not the workflow's.
    const { function: _export, ...parameters } = input.parameters;
    const context: PackWorkflowContext = { executionId: input.executionId, taskQueue: workflowInfo().taskQueue };
    const childId = `${input.executionId}/ts`;
    const options = {
      workflowId: childId,
      taskQueue: prepared.taskQueue,
      args: [parameters] as [Record<string, unknown>],
      memo: { [PACK_WORKFLOW_MEMO]: context },
      workflowIdReusePolicy: 'REJECT_DUPLICATE' as const,
      typedSearchAttributes: workflowInfo().typedSearchAttributes,
    };
    try {
      const result = pause
        ? await pause.track(childId, async () => {
            const handle = await startChild<PackFunction>(prepared.workflowType, options);
            pause.subWorkflowStarted(childId, handle);
            pause.stepping = false;
            return handle.result();
          })
        : await executeChild<PackFunction>(prepared.workflowType, options);
      return { status: 'succeeded', result: result ?? null };
    } catch (error) {
      // The child canceled, by this execution's cancellation or on its own: the execution is canceled.
      if (isCancellation(error)) throw error;
      if (error instanceof ChildWorkflowFailure && error.cause instanceof TimeoutFailure) return { status: 'timeout', result: { error: `the workflow timed out (${error.cause.timeoutType})` } };
      const message = error instanceof ChildWorkflowFailure && error.cause ? error.cause.message : error instanceof Error ? error.message : String(error);
      return { status: 'failed', result: { error: message } };
    }
  }

  let outcome: ActionOutcome;
  try {
    outcome = await run();
    // As Orquesta's: a workflow asked to pause is paused rather than succeeded, and succeeds once resumed.
    if (outcome.status === 'succeeded' && pause?.requested) await condition(() => !pause.requested);
  } catch (error) {
    if (!isCancellation(error)) throw error;
    // The child is in the canceled scope: Temporal cancels it, and each action it runs records its own end.
    outcome = { status: 'canceled', result: null };
  }
  await CancellationScope.nonCancellable(() => finishExecution(input.executionId, outcome));
  if (outcome.status === 'canceled') throw new CancelledFailure('execution canceled');
  return outcome;
}
