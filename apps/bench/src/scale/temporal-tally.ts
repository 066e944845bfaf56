import type { WorkflowHandle } from '@temporalio/client';
import { epochMs } from '../benchmarks/phases';

export type HistoryEvent = NonNullable<Awaited<ReturnType<WorkflowHandle['fetchHistory']>>['events']>[number];

/** What the workflow histories of a phase say about who did the work and how long tasks waited for a worker. */
export interface HistoryTally {
  workflows: number;
  /** Activity tasks started, per worker identity. */
  activitiesByWorker: Map<string, number>;
  /**
   * Milliseconds from scheduled to started (waiting in the task queue for a poller), per task. A
   * workflow's first task waits on the shared queue (few pollers); the later ones on the sticky queue
   * of the worker that holds the workflow in its cache.
   */
  firstWorkflowTaskWaits: number[];
  laterWorkflowTaskWaits: number[];
  activityTaskWaits: number[];
  /** Workflow tasks and activities per workflow, on average. */
  workflowTasksPerRun: number;
  activitiesPerRun: number;
  /** Activity attempts after the first (retries). */
  activityRetries: number;
}

export function tallyHistories(histories: readonly (readonly HistoryEvent[])[]): HistoryTally {
  const tally: HistoryTally = { workflows: histories.length, activitiesByWorker: new Map(), firstWorkflowTaskWaits: [], laterWorkflowTaskWaits: [], activityTaskWaits: [], workflowTasksPerRun: 0, activitiesPerRun: 0, activityRetries: 0 };
  let workflowTasks = 0;
  let activities = 0;
  for (const events of histories) {
    const scheduledAt = new Map<string, number>();
    let first = true;
    for (const event of events) {
      const at = epochMs(event);
      if (event.workflowTaskScheduledEventAttributes || event.activityTaskScheduledEventAttributes) scheduledAt.set(String(event.eventId), at);
      if (event.activityTaskScheduledEventAttributes) activities += 1;
      const workflowTask = event.workflowTaskStartedEventAttributes;
      if (workflowTask) {
        workflowTasks += 1;
        (first ? tally.firstWorkflowTaskWaits : tally.laterWorkflowTaskWaits).push(at - (scheduledAt.get(String(workflowTask.scheduledEventId)) ?? at));
        first = false;
      }
      const activity = event.activityTaskStartedEventAttributes;
      if (activity) {
        const worker = activity.identity ?? '?';
        tally.activitiesByWorker.set(worker, (tally.activitiesByWorker.get(worker) ?? 0) + 1);
        tally.activityTaskWaits.push(at - (scheduledAt.get(String(activity.scheduledEventId)) ?? at));
        if ((activity.attempt ?? 1) > 1) tally.activityRetries += 1;
      }
    }
  }
  tally.workflowTasksPerRun = histories.length ? workflowTasks / histories.length : 0;
  tally.activitiesPerRun = histories.length ? activities / histories.length : 0;
  return tally;
}
