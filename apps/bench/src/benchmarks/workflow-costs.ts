import { temporal } from '@temporalio/proto';
import { epochMs } from './phases';

const { EventType } = temporal.api.enums.v1;
type HistoryEvent = temporal.api.history.v1.IHistoryEvent;

/** What Temporal did for one workflow, counted from its history. */
export interface TemporalWork {
  workflowTasks: number;
  activities: number;
  /** Local activities, recorded as markers. */
  localActivities: number;
  childWorkflows: number;
}

export function workOf(events: readonly HistoryEvent[]): TemporalWork {
  const count = (type: number) => events.filter((e) => e.eventType === type).length;
  return {
    workflowTasks: count(EventType.EVENT_TYPE_WORKFLOW_TASK_COMPLETED),
    activities: count(EventType.EVENT_TYPE_ACTIVITY_TASK_SCHEDULED),
    localActivities: events.filter((e) => e.markerRecordedEventAttributes?.markerName === 'core_local_activity').length,
    childWorkflows: count(EventType.EVENT_TYPE_START_CHILD_WORKFLOW_EXECUTION_INITIATED),
  };
}

/** The ids of the child workflows a history started, in order. */
export function childIdsOf(events: readonly HistoryEvent[]): string[] {
  return events.flatMap((e) => e.startChildWorkflowExecutionInitiatedEventAttributes?.workflowId ?? []);
}

/** A workflow and its children's work, per task: parent and children apart, then together. */
export function workPerTask(parent: TemporalWork, children: readonly TemporalWork[], tasks: number): Record<'parent' | 'children' | 'total', TemporalWork> {
  const sum = (works: readonly TemporalWork[]): TemporalWork => ({
    workflowTasks: works.reduce((n, w) => n + w.workflowTasks, 0) / tasks,
    activities: works.reduce((n, w) => n + w.activities, 0) / tasks,
    localActivities: works.reduce((n, w) => n + w.localActivities, 0) / tasks,
    childWorkflows: works.reduce((n, w) => n + w.childWorkflows, 0) / tasks,
  });
  return { parent: sum([parent]), children: sum(children), total: sum([parent, ...children]) };
}

/** Where a task of a sequential workflow spends its time, in ms, summed over its tasks; see `stepsOf`. */
export interface TaskSteps {
  /** Previous task's end (or the workflow's start) to the child row's activity scheduled: a parent workflow task, its conductor step (local activity) included. */
  'conductor step': number;
  /** createChildExecution (loadDefinition for the first task as well): scheduled to completed. */
  'child row activity': number;
  /** That activity's end to the child's start command: a parent workflow task. */
  'start child command': number;
  /** Start command to the child's start recorded in the parent. */
  'child started': number;
  /** The child's start to its end recorded in the parent: its own workflow tasks and runAction. */
  'child runs': number;
  /** Last task's end to the workflow's end: the last conductor step and finishExecution. */
  'workflow end': number;
}

const CHILD_ENDS = new Set([
  EventType.EVENT_TYPE_CHILD_WORKFLOW_EXECUTION_COMPLETED,
  EventType.EVENT_TYPE_CHILD_WORKFLOW_EXECUTION_FAILED,
  EventType.EVENT_TYPE_CHILD_WORKFLOW_EXECUTION_CANCELED,
  EventType.EVENT_TYPE_CHILD_WORKFLOW_EXECUTION_TIMED_OUT,
  EventType.EVENT_TYPE_CHILD_WORKFLOW_EXECUTION_TERMINATED,
]);
const WORKFLOW_ENDS = new Set([EventType.EVENT_TYPE_WORKFLOW_EXECUTION_COMPLETED, EventType.EVENT_TYPE_WORKFLOW_EXECUTION_FAILED, EventType.EVENT_TYPE_WORKFLOW_EXECUTION_CANCELED]);

/**
 * Splits a workflow whose tasks run one after another into the round trips
 * of each task, by the parent's history alone. Meaningless when tasks overlap
 * (with-items, splits): each gap is charged to the step that ends it. A
 * workflow that writes the child row in a local activity has no activity
 * per task: its conductor step and child row fold into `start child command`.
 */
export function stepsOf(events: readonly HistoryEvent[]): TaskSteps {
  const steps: TaskSteps = { 'conductor step': 0, 'child row activity': 0, 'start child command': 0, 'child started': 0, 'child runs': 0, 'workflow end': 0 };
  let last: number | undefined;
  // The first activity after a task's end opens its child row step; later ones (createChildExecution after loadDefinition) go on with it.
  let inActivity = false;
  const charge = (step: keyof TaskSteps, at: number) => {
    if (last !== undefined) steps[step] += at - last;
    last = at;
  };
  for (const e of events) {
    const at = epochMs(e);
    const type = e.eventType ?? 0;
    if (type === EventType.EVENT_TYPE_WORKFLOW_EXECUTION_STARTED) last = at;
    else if (type === EventType.EVENT_TYPE_ACTIVITY_TASK_SCHEDULED && !inActivity && e.activityTaskScheduledEventAttributes?.activityType?.name !== 'finishExecution') {
      charge('conductor step', at);
      inActivity = true;
    } else if (type === EventType.EVENT_TYPE_ACTIVITY_TASK_COMPLETED && inActivity) charge('child row activity', at);
    else if (type === EventType.EVENT_TYPE_START_CHILD_WORKFLOW_EXECUTION_INITIATED) {
      charge('start child command', at);
      inActivity = false;
    } else if (type === EventType.EVENT_TYPE_CHILD_WORKFLOW_EXECUTION_STARTED) charge('child started', at);
    else if (CHILD_ENDS.has(type)) charge('child runs', at);
    else if (WORKFLOW_ENDS.has(type)) charge('workflow end', at);
  }
  return steps;
}

/** Each child's start command and end, as the parent recorded them (ms since the epoch), by workflow id. */
export function childWindowsOf(events: readonly HistoryEvent[]): Map<string, { initiated: number; ended: number }> {
  const windows = new Map<string, { initiated: number; ended: number }>();
  for (const e of events) {
    const initiated = e.startChildWorkflowExecutionInitiatedEventAttributes?.workflowId;
    if (initiated) windows.set(initiated, { initiated: epochMs(e), ended: NaN });
    const ended = CHILD_ENDS.has(e.eventType ?? 0) ? childEnd(e)?.workflowExecution?.workflowId : undefined;
    if (ended && windows.has(ended)) windows.get(ended)!.ended = epochMs(e);
  }
  return windows;
}

function childEnd(e: HistoryEvent) {
  return (
    e.childWorkflowExecutionCompletedEventAttributes ??
    e.childWorkflowExecutionFailedEventAttributes ??
    e.childWorkflowExecutionCanceledEventAttributes ??
    e.childWorkflowExecutionTimedOutEventAttributes ??
    e.childWorkflowExecutionTerminatedEventAttributes ??
    undefined
  );
}
