import { defineSearchAttributeKey, SearchAttributeType } from '@temporalio/common';
import {
  CancellationScope,
  CancelledFailure,
  ChildWorkflowFailure,
  condition,
  executeChild,
  isCancellation,
  patched,
  proxyActivities,
  proxyLocalActivities,
  sleep,
  startChild,
  uuid4,
  workflowInfo,
} from '@temporalio/workflow';
import type { ActionExecutionInput, ActionOutcome, DelayedByPolicy, ExecutionActivities } from './action-execution.workflow';
import { delayBackoffMs } from './concurrency-delay';
import { PauseTracker, type PauseStatus } from './pause';

/** The conductor contract's types, as libs/orquesta and libs/actionchain define them (kept structural: this lib stays free of them). */
export interface ConductedTaskRequest {
  id: string;
  task: string;
  action: string;
  input: Record<string, unknown>;
  delaySeconds?: number;
  item?: number;
}
export interface ConductedTaskResult {
  id: string;
  status: 'succeeded' | 'failed' | 'timeout' | 'canceled' | 'abandoned';
  result: unknown;
}
export interface ConductedStep {
  schedule: ConductedTaskRequest[];
  done?: { status: 'succeeded' | 'failed' | 'canceled'; output: Record<string, unknown> | null; errors: Record<string, unknown>[] };
}
/** A conductor's answer: its new state (JSON) and what to do next, or why it cannot go on (bad definition or input). */
export type ConductorAnswer = { state: unknown; step: ConductedStep } | { error: string };

export interface ConductInput {
  executionId: string;
  action: ActionExecutionInput['action'];
  parameters: Record<string, unknown>;
  definition: string;
}

/** What a child execution needs to start, once its row is recorded; `error` when it cannot run (unknown action, bad parameters). */
export type ChildExecution = { workflowType: 'actionExecution' | 'conductedWorkflow' | 'inquiryExecution' | 'packWorkflow'; input: ActionExecutionInput } | { error: string };

/** Activities a worker provides to drive Orquesta and ActionChain workflows. */
export interface ConductorActivities {
  /** Marks the execution running and reads its definition from the pack (`<packsDir>/<pack>/actions/<entry_point>`). */
  /**
   * With `concurrency` (and the execution's `parameters`, for .attr), the
   * workflow starts only within its action's concurrency policies: else it is
   * `delayed` (DelayedByPolicy: ask again later) or canceled (`canceledBy`: why).
   */
  loadDefinition(input: {
    executionId: string;
    runId: string;
    action: ActionExecutionInput['action'];
    concurrency?: ActionExecutionInput['concurrency'];
    parameters?: Record<string, unknown>;
  }): Promise<{ definition: string } | { error: string } | DelayedByPolicy | { canceledBy: string }>;
  /** Local activity: the conductor's start, with datastore keys read and templates rendered outside the sandbox. */
  conductStart(input: ConductInput): Promise<ConductorAnswer>;
  /** Local activity: feeds one task's result to the conductor. */
  conductComplete(input: ConductInput & { state: unknown; result: ConductedTaskResult }): Promise<ConductorAnswer>;
  /** Records a task's action as a child execution (parent_id set, secrets kept apart); idempotent on `childId`. */
  createChildExecution(input: { parentId: string; childId: string; request: ConductedTaskRequest }): Promise<ChildExecution>;
  /** Mirrors a pause or resume into the execution's row (a write its lifecycle refuses changes nothing). */
  recordPauseStatus(input: { executionId: string; status: PauseStatus }): Promise<void>;
}

/**
 * Patches, newest last; each guards a change to what running executions do.
 * CHILD_ROW_LOCAL: a task's child execution row is written by a local
 * activity, in the workflow task that ran the conductor step, instead of an
 * activity of its own: one activity and one workflow task less per task.
 * PAUSE_RESUME: the `pause` and `resume` signals are obeyed (before it they
 * were ignored, as a workflow with no handler does), and a task's child is
 * started with startChild, so that a sub-workflow can be told to pause too.
 * CANCEL_IN_DELAY: a cancellation while a task waits on its `delay` ends the
 * workflow `canceled` in the audit trail (it ended it unrecorded, `canceling`).
 * PAUSE_PACK_SUB_WORKFLOWS: a task that is a pack's TypeScript workflow is
 * paused and resumed with the workflow, as a conducted sub-workflow is.
 * CONCURRENCY_POLICY: a workflow action with action.concurrency(.attr)
 * policies starts only within their thresholds; held back, it waits on a
 * durable timer and asks again, or ends canceled (completing, not failing).
 */
const PATCHES = { CHILD_ROW_LOCAL: 'child-row-local', PAUSE_RESUME: 'pause-resume', CANCEL_IN_DELAY: 'cancel-in-delay', PAUSE_PACK_SUB_WORKFLOWS: 'pause-pack-sub-workflows', CONCURRENCY_POLICY: 'concurrency-policy' } as const;

/**
 * An Orquesta or ActionChain execution. The conductor (pure, but rendering
 * Jinja with nunjucks under a wall-clock budget) runs in local activities, so
 * each step's answer is recorded in history and replays without re-rendering.
 * Each task's action is a child execution: its own row (parent_id = this
 * execution) and its own `actionExecution` workflow, whose id is that row's
 * id. Tasks scheduled together run together.
 */
export async function conductedWorkflow(input: ActionExecutionInput): Promise<ActionOutcome> {
  const { loadDefinition, createChildExecution, recordPauseStatus } = proxyActivities<ConductorActivities>({
    startToCloseTimeout: '30 seconds',
    retry: { initialInterval: '1 second', maximumInterval: '1 minute' },
  });
  const { finishExecution } = proxyActivities<ExecutionActivities>({
    startToCloseTimeout: '30 seconds',
    retry: { initialInterval: '1 second', maximumInterval: '1 minute' },
  });
  const { conductStart, conductComplete } = proxyLocalActivities<ConductorActivities>({
    startToCloseTimeout: '1 minute',
    retry: { initialInterval: '1 second', maximumInterval: '30 seconds', maximumAttempts: 5 },
  });
  // Retried as the activity was, until Postgres answers: the row is written idempotently on childId.
  const local = proxyLocalActivities<ConductorActivities>({
    startToCloseTimeout: '30 seconds',
    retry: { initialInterval: '1 second', maximumInterval: '1 minute' },
  });
  const { executionId, action, parameters } = input;

  // An activity, not a local one: its end is an event of its own, so replay resumes the pause loop where it
  // ran, never in another order with the tasks' local activities of the same workflow task.
  const pause = new PauseTracker(PATCHES.PAUSE_RESUME, (status) => recordPauseStatus({ executionId, status }));
  pause.listen();

  async function runTask(request: ConductedTaskRequest): Promise<ConductedTaskResult> {
    let waitingOn: 'delay' | 'pause' = 'delay';
    try {
      if (request.delaySeconds) await sleep(request.delaySeconds * 1000);
      waitingOn = 'pause';
      // Paused: the task starts once the workflow is resumed (checked first so that nothing waits otherwise).
      if (pause.requested) await condition(() => !pause.requested);
    } catch (error) {
      // Before CANCEL_IN_DELAY, a cancellation during the delay ended the workflow with its end unrecorded.
      if (!isCancellation(error) || (waitingOn === 'delay' && !patched(PATCHES.CANCEL_IN_DELAY))) throw error;
      return { id: request.id, status: 'canceled', result: null };
    }
    const childId = uuid4();
    childIds.set(request.id, childId);
    return pause.track(childId, () => runChild(request, childId));
  }

  async function runChild(request: ConductedTaskRequest, childId: string): Promise<ConductedTaskResult> {
    const create = patched(PATCHES.CHILD_ROW_LOCAL) ? local.createChildExecution : createChildExecution;
    const child = await create({ parentId: executionId, childId, request });
    if ('error' in child) return { id: request.id, status: 'failed', result: { error: child.error } };
    try {
      const options = {
        workflowId: childId,
        args: [child.input] as [ActionExecutionInput],
        workflowIdReusePolicy: 'REJECT_DUPLICATE' as const,
        // Temporal Web finds a task's workflow as it finds a top-level one (children inherit no attributes).
        ...(patched('child-search-attributes') ? { typedSearchAttributes: childSearchAttributes(child.input.action) } : {}),
      };
      let outcome: ActionOutcome;
      if (patched(PATCHES.PAUSE_RESUME)) {
        const handle = await startChild<ChildWorkflow>(child.workflowType, options);
        // A pack's TypeScript workflow obeys pause and resume too (before PAUSE_PACK_SUB_WORKFLOWS, it was left running).
        if (child.workflowType === 'conductedWorkflow' || (child.workflowType === 'packWorkflow' && patched(PATCHES.PAUSE_PACK_SUB_WORKFLOWS))) pause.subWorkflowStarted(childId, handle);
        outcome = await handle.result();
      } else {
        outcome = await executeChild<ChildWorkflow>(child.workflowType, options);
      }
      return { id: request.id, status: outcome.status, result: outcome.result };
    } catch (error) {
      if (isCancellation(error) || (error instanceof ChildWorkflowFailure && error.cause instanceof CancelledFailure)) {
        return { id: request.id, status: 'canceled', result: null };
      }
      const message = error instanceof ChildWorkflowFailure && error.cause ? error.cause.message : error instanceof Error ? error.message : String(error);
      return { id: request.id, status: 'failed', result: { error: message } };
    }
  }

  const running = new Map<string, Promise<ConductedTaskResult>>();
  /** Canceled by its concurrency policy, not by a request to Temporal: the workflow completes. */
  let canceledByPolicy = false;
  /** Each request's child execution id, for StackStorm's `execution_id` of an ActionChain task. */
  const childIds = new Map<string, string>();

  async function conduct(): Promise<ActionOutcome> {
    // Until the first step has scheduled its tasks, a pause asked for is `pausing`, not yet `paused`.
    pause.stepping = true;
    let loaded: Awaited<ReturnType<ConductorActivities['loadDefinition']>>;
    // Asked only of a workflow with policies, so that the histories of all others are unchanged.
    const policed = (input.concurrency?.length ?? 0) > 0 && patched(PATCHES.CONCURRENCY_POLICY);
    for (let asked = 0; ; asked++) {
      loaded = await loadDefinition({ executionId, runId: workflowInfo().runId, action, ...(policed ? { concurrency: input.concurrency, parameters } : {}) });
      if (!('delayedBy' in loaded)) break;
      // A durable timer: a delayed workflow survives a worker restart; a cancellation here ends it `canceled`.
      await sleep(delayBackoffMs(asked));
    }
    if ('canceledBy' in loaded) {
      canceledByPolicy = true;
      return { status: 'canceled', result: { error: loaded.canceledBy } };
    }
    if ('error' in loaded) return { status: 'failed', result: { error: loaded.error } };
    const base: ConductInput = { executionId, action, parameters, definition: loaded.definition };
    let answer = await conductStart(base);
    for (;;) {
      pause.stepping = false;
      if ('error' in answer) return { status: 'failed', result: { error: answer.error } };
      const { state, step } = answer;
      for (const request of step.schedule) running.set(request.id, runTask(request));
      if (step.done) {
        // As Orquesta's: a workflow asked to pause is paused rather than succeeded, and succeeds once resumed.
        if (step.done.status === 'succeeded' && pause.requested) await condition(() => !pause.requested);
        return { status: step.done.status, result: conductedResult(action.runnerType, step.done, childIds) };
      }
      if (running.size === 0) return { status: 'failed', result: { error: 'the workflow stopped with no task running and no end' } };
      const result = await Promise.race(running.values());
      running.delete(result.id);
      pause.stepping = true;
      answer = await conductComplete({ ...base, state, result });
    }
  }

  let outcome: ActionOutcome;
  try {
    outcome = await conduct();
  } catch (error) {
    if (!isCancellation(error)) throw error;
    // Children are in the canceled scope: Temporal cancels them, and each records its own end before
    // this workflow closes (closing would terminate those still running, leaving their rows `running`).
    await Promise.all(running.values());
    outcome = { status: 'canceled', result: null };
  }
  await CancellationScope.nonCancellable(() => finishExecution(executionId, outcome));
  if (outcome.status === 'canceled' && !canceledByPolicy) throw new CancelledFailure('execution canceled');
  return outcome;
}

type ChildWorkflow = (input: ActionExecutionInput) => Promise<ActionOutcome>;

// Named as in libs/temporal's search-attributes.ts, which this sandboxed library may not import.
const ACTION_REF = defineSearchAttributeKey('TempestActionRef', SearchAttributeType.KEYWORD);
const PACK = defineSearchAttributeKey('TempestPack', SearchAttributeType.KEYWORD);

/** The workflow's own attributes (user, rule, trigger, trigger instance), with the task's action ref and pack. */
function childSearchAttributes(action: ActionExecutionInput['action']) {
  return workflowInfo().typedSearchAttributes.updateCopy([
    { key: ACTION_REF, value: action.ref },
    { key: PACK, value: action.pack },
  ]);
}

/** StackStorm's result shapes: Orquesta `{ output, errors? }`, ActionChain the conductor's `{ tasks, published, error? }`, each task with its `execution_id`. */
function conductedResult(runnerType: string, done: NonNullable<ConductedStep['done']>, childIds: Map<string, string>): unknown {
  if (runnerType === 'action-chain') {
    const output = done.output ?? {};
    const tasks = Array.isArray(output.tasks) ? (output.tasks as { id: string }[]).map((task) => ({ ...task, execution_id: childIds.get(task.id) ?? null })) : output.tasks;
    return { ...output, tasks };
  }
  return done.errors.length > 0 ? { output: done.output, errors: done.errors } : { output: done.output };
}
