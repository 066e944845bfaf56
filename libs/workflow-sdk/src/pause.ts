import { condition, patched } from '@temporalio/workflow';
import { PauseTracker } from '@tempest/workflows';

/**
 * PAUSE_RESUME: a pack's workflow obeys `pause` and `resume` (sent on by
 * packWorkflow, its parent, which records the statuses): run() and ask() wait
 * at their start while a pause is asked for, the actions running finish, and
 * it tells its parent it is paused once none runs but paused sub-workflows
 * and inquiries; an inquiry waiting pauses it as it pauses an Orquesta
 * workflow. Histories recorded before it replay without any of it.
 */
const PAUSE_RESUME = 'ts-workflow-pause-resume';

// Module state is the workflow's own: Temporal evaluates a bundle's modules once per workflow.
let tracker: PauseTracker | undefined;

/** Starts following pauses for the life of this workflow (the entry calls it first). */
export function listenForPauses(): void {
  if (!patched(PAUSE_RESUME)) return;
  // packWorkflow, the parent, records the statuses: this one only holds its actions and tells it.
  tracker = new PauseTracker(PAUSE_RESUME, async () => undefined);
  tracker.listen();
}

/** This workflow's pause tracker, if it follows pauses. */
export function pauseTracker(): PauseTracker | undefined {
  return tracker;
}

/** Waits while a pause is asked for: nothing new starts in a paused workflow. */
export async function unlessPaused(): Promise<void> {
  if (tracker?.requested) await condition(() => !tracker!.requested);
}
