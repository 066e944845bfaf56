import { CancellationScope, condition, defineSignal, getExternalWorkflowHandle, patched, setHandler, workflowInfo, type ChildWorkflowHandle, type SignalDefinition, type Workflow } from '@temporalio/workflow';

/**
 * PAUSE_ONLY_RUNNING_SUB_WORKFLOWS: a pause is passed on to the sub-workflows
 * that are not paused already, and only while it still holds (before, every
 * sub-workflow was told, and a pause reaching one after its inquiry's answer
 * resumed it paused it again).
 */
const PAUSE_ONLY_RUNNING_SUB_WORKFLOWS = 'pause-only-running-sub-workflows';

/** The statuses a pause or resume mirrors into the execution's row, in order: pausing, paused, resuming, running. */
export type PauseStatus = 'pausing' | 'paused' | 'resuming' | 'running';

/** The signals the gateway sends to a workflow execution (PUT /executions/{id} with `pausing` or `resuming`). */
export type PauseSignalName = 'pause' | 'resume';
export const pauseSignal = defineSignal('pause' satisfies PauseSignalName);
export const resumeSignal = defineSignal('resume' satisfies PauseSignalName);
/**
 * A sub-workflow tells its parent it is paused, or running again: as in
 * Orquesta, a paused task is not active, so a parent that is pausing is
 * paused once its other tasks are done.
 */
export const subWorkflowPausedSignal = defineSignal<[{ executionId: string; paused: boolean }]>('subWorkflowPaused');

/**
 * Pause and resume of one conducted workflow, driven by signals: while a
 * pause is asked for, no task starts (held()), running tasks finish and their
 * results are processed; the workflow is `paused` once none runs (a paused
 * sub-workflow does not count), waiting on a condition, so it holds no
 * process and no worker slot. Pause and resume are passed on to the
 * sub-workflows it started; as in StackStorm, a sub-workflow paused by itself
 * pauses its parent once nothing else runs there, and resumed by itself
 * resumes it. The statuses are mirrored into Postgres in order by one loop
 * (follow()), through `record`.
 */
export class PauseTracker {
  /** Whether a pause is asked for (and not resumed since). */
  requested = false;
  /** Set by the workflow while its conductor takes in a result: it may start tasks, so the workflow is not dormant. */
  stepping = false;
  /** Child execution ids of the tasks running, from their row until their end. */
  private readonly active = new Set<string>();
  private readonly subWorkflows = new Map<string, ChildWorkflowHandle<Workflow>>();
  private readonly pausedSubWorkflows = new Set<string>();
  /** The resume came from a sub-workflow resumed by itself: the other sub-workflows stay as they are. */
  private resumedBySubWorkflow = false;
  /** Signals to one sub-workflow are sent one after the other, so that a resume never overtakes its pause. */
  private readonly toSubWorkflow = new Map<string, Promise<void>>();

  constructor(
    private readonly patchId: string,
    private readonly record: (status: PauseStatus) => Promise<void>,
  ) {}

  /** Installs the signal handlers and starts following pauses, for the life of the workflow. */
  listen(): void {
    // A history recorded before the patch ignored these signals (no handler): it replays ignoring them.
    setHandler(pauseSignal, () => {
      if (patched(this.patchId)) this.requested = true;
    });
    setHandler(resumeSignal, () => {
      if (!patched(this.patchId)) return;
      this.requested = false;
      this.resumedBySubWorkflow = false;
    });
    setHandler(subWorkflowPausedSignal, ({ executionId, paused }) => {
      if (!patched(this.patchId)) return;
      if (paused && this.active.has(executionId)) return void this.pausedSubWorkflows.add(executionId);
      const wasPaused = this.pausedSubWorkflows.delete(executionId);
      // As st2's handle_action_execution_resume: a sub-workflow resumed by itself resumes its paused parent, not the
      // parent's other sub-workflows (one this workflow resumed was forgotten as paused when it was told to resume).
      if (!paused && wasPaused && this.requested) {
        this.requested = false;
        this.resumedBySubWorkflow = true;
      }
    });
    // It only mirrors statuses and passes signals on: a cancellation of the workflow ends it by itself.
    void CancellationScope.nonCancellable(() => this.follow()).catch(() => undefined);
  }

  /** Counts the task whose child is `childId` as running while `run` runs. */
  async track<T>(childId: string, run: () => Promise<T>): Promise<T> {
    this.active.add(childId);
    try {
      return await run();
    } finally {
      this.active.delete(childId);
      this.subWorkflows.delete(childId);
      this.pausedSubWorkflows.delete(childId);
    }
  }

  /** A task's child that is itself a workflow: pauses and resumes reach it (one asked for while it started, too). */
  subWorkflowStarted(childId: string, handle: ChildWorkflowHandle<Workflow>): void {
    this.subWorkflows.set(childId, handle);
    if (this.requested) void this.tell(childId, pauseSignal);
  }

  /** Nothing runs but paused sub-workflows (Orquesta's "dormant"). */
  private dormant(): boolean {
    return !this.stepping && [...this.active].every((id) => this.pausedSubWorkflows.has(id));
  }

  private async follow(): Promise<void> {
    for (;;) {
      // A pause asked for, or, as in Orquesta, a sub-workflow paused by itself once nothing else runs.
      await condition(() => this.requested || (this.pausedSubWorkflows.size > 0 && this.dormant()));
      this.requested = true;
      await this.record('pausing');
      if (!patched(PAUSE_ONLY_RUNNING_SUB_WORKFLOWS)) await this.tellAll(pauseSignal);
      // A sub-workflow paused by itself (an inquiry it waits on) is told nothing: a pause reaching it after its own
      // resume would pause it again, with nobody left to resume it. Nor is anyone, once it resumed this one meanwhile.
      else if (this.requested) await Promise.all([...this.subWorkflows.keys()].filter((id) => !this.pausedSubWorkflows.has(id)).map((id) => this.tell(id, pauseSignal)));
      await condition(() => !this.requested || this.dormant());
      const wasPaused = this.requested;
      if (wasPaused) {
        await this.record('paused');
        await this.tellParent(true);
        await condition(() => !this.requested);
      }
      const bySubWorkflow = this.resumedBySubWorkflow;
      this.resumedBySubWorkflow = false;
      if (!bySubWorkflow) this.pausedSubWorkflows.clear();
      await this.record('resuming');
      if (!bySubWorkflow) await this.tellAll(resumeSignal);
      await this.record('running');
      if (wasPaused) await this.tellParent(false);
    }
  }

  private tellAll(signal: SignalDefinition): Promise<unknown> {
    return Promise.all([...this.subWorkflows.keys()].map((id) => this.tell(id, signal)));
  }

  private tell(childId: string, signal: SignalDefinition): Promise<void> {
    const handle = this.subWorkflows.get(childId);
    if (!handle) return Promise.resolve();
    // A sub-workflow that ended meanwhile has nothing to pause.
    const sent = (this.toSubWorkflow.get(childId) ?? Promise.resolve()).then(() => handle.signal(signal)).catch(() => undefined);
    this.toSubWorkflow.set(childId, sent);
    return sent;
  }

  private tellParent(paused: boolean): Promise<void> {
    return tellParentPaused(paused);
  }
}

/**
 * Tells the workflow this one is a task of (if any) that it is paused, or
 * running again: a paused sub-workflow, or an inquiry waiting for its answer.
 * A parent that ended meanwhile has nothing to hear.
 */
export async function tellParentPaused(paused: boolean): Promise<void> {
  const parent = workflowInfo().parent;
  if (!parent) return;
  await getExternalWorkflowHandle(parent.workflowId, parent.runId)
    .signal(subWorkflowPausedSignal, { executionId: workflowInfo().workflowId, paused })
    .catch(() => undefined);
}
