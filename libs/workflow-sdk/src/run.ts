import { CancellationScope, CancelledFailure, uuid4, workflowInfo } from '@temporalio/workflow';
import { PACK_WORKFLOW_MEMO, runChildExecution, type ChildExecutionResult, type PackWorkflowContext } from '@tempest/workflows';
import type { ActionTypes } from './core-actions';
import { pauseTracker, unlessPaused } from './pause';

/** The parameters of an action: typed for those ActionTypes names, any object for the others. */
export type ParametersOf<Ref extends string> = Ref extends keyof ActionTypes ? ActionTypes[Ref]['parameters'] : Record<string, unknown>;
/** What an action answers when it succeeds. */
export type ResultOf<Ref extends string> = Ref extends keyof ActionTypes ? ActionTypes[Ref]['result'] : unknown;

export interface RunOptions {
  /** The task's name in the audit trail (`context.task`, the `task` column of `tempest run`); default: the action's name. */
  task?: string;
}

/** An action that did not succeed: its ref, its execution (a child in the audit trail), how it ended and what it said. */
export class ActionError extends Error {
  constructor(
    readonly ref: string,
    readonly executionId: string,
    readonly status: ChildExecutionResult['status'],
    readonly result: unknown,
  ) {
    super(`${ref} ${status} (execution ${executionId})${detail(result)}`);
    this.name = 'ActionError';
  }
}

/** This execution's id and Tempest's task queue, as packWorkflow gave them. */
export function executionContext(): PackWorkflowContext {
  const context = workflowInfo().memo?.[PACK_WORKFLOW_MEMO] as PackWorkflowContext | undefined;
  if (!context?.executionId) throw new Error('not a Tempest execution: run this workflow as an action of its pack (runner temporal-workflow)');
  return context;
}

/**
 * Runs a registered action as a child execution of this workflow (its own row
 * in the audit trail, parent set, as an Orquesta task's) and answers its
 * result. Its parameters are validated against the action's, defaults and
 * templates applied; while the workflow is paused, it starts once resumed. Throws ActionError if it fails, times out or is
 * canceled; a cancellation of this workflow cancels it and goes on up.
 */
export async function run<Ref extends string>(ref: Ref, parameters?: ParametersOf<Ref>, options: RunOptions = {}): Promise<ResultOf<Ref>> {
  const context = executionContext();
  const task = options.task ?? ref.slice(ref.indexOf('.') + 1);
  // Paused: the action starts once the workflow is resumed.
  await unlessPaused();
  const pause = pauseTracker();
  const child = await runChildExecution(
    { id: uuid4(), task, action: ref, input: (parameters ?? {}) as Record<string, unknown> },
    { parentId: context.executionId, taskQueue: context.taskQueue, ...(pause ? { pause } : {}) },
  );
  if (child.status === 'succeeded') return child.result as ResultOf<Ref>;
  if (CancellationScope.current().consideredCancelled) throw new CancelledFailure(`${ref} canceled with the workflow`);
  throw new ActionError(ref, child.executionId, child.status, child.result);
}

/** `: why`, from what a failed action answered: its error, or its exit code and last line of stderr. */
function detail(result: unknown): string {
  if (typeof result !== 'object' || result === null) return '';
  const r = result as Record<string, unknown>;
  if (typeof r.error === 'string') return `: ${r.error}`;
  const parts: string[] = [];
  if (typeof r.return_code === 'number') parts.push(`exit code ${r.return_code}`);
  const stderr = typeof r.stderr === 'string' ? r.stderr.trimEnd().split('\n').at(-1) : '';
  if (stderr) parts.push(stderr);
  return parts.length > 0 ? `: ${parts.join(', ')}` : '';
}
