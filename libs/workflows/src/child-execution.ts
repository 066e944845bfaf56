import { defineSearchAttributeKey, SearchAttributeType } from '@temporalio/common';
import { CancelledFailure, ChildWorkflowFailure, executeChild, isCancellation, proxyLocalActivities, startChild, uuid4, workflowInfo } from '@temporalio/workflow';
import type { ActionExecutionInput, ActionOutcome } from './action-execution.workflow';
import type { ConductedTaskRequest, ConductorActivities } from './conducted.workflow';
import type { PauseTracker } from './pause';

/** How a child execution ended, and its id (its audit row's and its workflow's). */
export interface ChildExecutionResult {
  executionId: string;
  status: ActionOutcome['status'];
  result: unknown;
}

export interface ChildExecutionOptions {
  /** The execution the child's row names as its parent. */
  parentId: string;
  /** The queue the child's workflow runs on: Tempest's own, where actionExecution and conductedWorkflow are (default: this workflow's). */
  taskQueue?: string;
  /**
   * The caller's pause tracker: the child counts as running from its row to
   * its end, and one that is a workflow (Orquesta, ActionChain, TypeScript)
   * is paused and resumed with the caller. Callers pass it only behind their
   * own patch: without it, the child runs as it always did.
   */
  pause?: PauseTracker;
}

type ChildWorkflow = (i: ActionExecutionInput) => Promise<ActionOutcome>;
/** Workflow types that pause and resume when told to, and pass it on. */
const PAUSABLE = new Set(['conductedWorkflow', 'packWorkflow']);

/**
 * One action run as a child execution, as an Orquesta task's is: its row
 * recorded (parent_id set) by a local activity, idempotent on its id, then its
 * own `actionExecution` (or `conductedWorkflow`, `packWorkflow`) as a child
 * workflow whose id is that row's id, tagged as a top-level one is. Never
 * throws for the action's failure: the status says it. A cancellation of the
 * caller cancels the child, which records its own end.
 */
export async function runChildExecution(request: ConductedTaskRequest, options: ChildExecutionOptions): Promise<ChildExecutionResult> {
  const executionId = uuid4();
  if (options.pause) return options.pause.track(executionId, () => runChild(executionId, request, options));
  return runChild(executionId, request, options);
}

async function runChild(executionId: string, request: ConductedTaskRequest, { parentId, taskQueue, pause }: ChildExecutionOptions): Promise<ChildExecutionResult> {
  // Retried until Postgres answers: the row is written idempotently on its id.
  const { createChildExecution } = proxyLocalActivities<ConductorActivities>({
    startToCloseTimeout: '30 seconds',
    retry: { initialInterval: '1 second', maximumInterval: '1 minute' },
  });
  const child = await createChildExecution({ parentId, childId: executionId, request });
  if ('error' in child) return { executionId, status: 'failed', result: { error: child.error } };
  try {
    const childOptions = {
      workflowId: executionId,
      args: [child.input] as [ActionExecutionInput],
      workflowIdReusePolicy: 'REJECT_DUPLICATE' as const,
      ...(taskQueue ? { taskQueue } : {}),
      typedSearchAttributes: childSearchAttributes(child.input.action),
    };
    let outcome: ActionOutcome;
    if (pause) {
      const handle = await startChild<ChildWorkflow>(child.workflowType, childOptions);
      if (PAUSABLE.has(child.workflowType)) pause.subWorkflowStarted(executionId, handle);
      outcome = await handle.result();
    } else {
      outcome = await executeChild<ChildWorkflow>(child.workflowType, childOptions);
    }
    return { executionId, status: outcome.status, result: outcome.result };
  } catch (error) {
    if (isCancellation(error) || (error instanceof ChildWorkflowFailure && error.cause instanceof CancelledFailure)) {
      return { executionId, status: 'canceled', result: null };
    }
    const message = error instanceof ChildWorkflowFailure && error.cause ? error.cause.message : error instanceof Error ? error.message : String(error);
    return { executionId, status: 'failed', result: { error: message } };
  }
}

// Named as in libs/temporal's search-attributes.ts, which this sandboxed library may not import.
const ACTION_REF = defineSearchAttributeKey('TempestActionRef', SearchAttributeType.KEYWORD);
const PACK = defineSearchAttributeKey('TempestPack', SearchAttributeType.KEYWORD);

/** The workflow's own attributes (user, rule, trigger, trigger instance), with the child's action ref and pack. */
export function childSearchAttributes(action: ActionExecutionInput['action']) {
  return workflowInfo().typedSearchAttributes.updateCopy([
    { key: ACTION_REF, value: action.ref },
    { key: PACK, value: action.pack },
  ]);
}
