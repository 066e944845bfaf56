import { temporal } from '@temporalio/proto';
import { percentile } from '../stats';

const { EventType } = temporal.api.enums.v1;
type HistoryEvent = temporal.api.history.v1.IHistoryEvent;

/** Where one run's time went, in milliseconds, from its request to the moment its caller saw the result. */
export interface Phases {
  'request to workflow start': number;
  'workflow tasks queued': number;
  'workflow tasks run': number;
  'activities queued': number;
  'activities run': number;
  'Temporal between tasks': number;
  'workflow end to result seen': number;
}

const ENDS = new Set([EventType.EVENT_TYPE_ACTIVITY_TASK_COMPLETED, EventType.EVENT_TYPE_ACTIVITY_TASK_FAILED, EventType.EVENT_TYPE_ACTIVITY_TASK_TIMED_OUT, EventType.EVENT_TYPE_ACTIVITY_TASK_CANCELED]);
const CLOSES = new Set([EventType.EVENT_TYPE_WORKFLOW_EXECUTION_COMPLETED, EventType.EVENT_TYPE_WORKFLOW_EXECUTION_FAILED, EventType.EVENT_TYPE_WORKFLOW_EXECUTION_CANCELED, EventType.EVENT_TYPE_WORKFLOW_EXECUTION_TIMED_OUT]);

/** When the event happened, in ms since the epoch. */
export function epochMs(event: HistoryEvent): number {
  const time = event.eventTime;
  return Number(time?.seconds ?? 0) * 1000 + (time?.nanos ?? 0) / 1e6;
}

/**
 * Splits one run into phases by its workflow history: each task's time queued
 * (scheduled → started) and run (started → closed), what the server took
 * between tasks, and what lies outside the workflow (`requestedAt` and
 * `seenAt` are the caller's clock, the same machine's as the server's).
 */
export function phasesOf(events: readonly HistoryEvent[], requestedAt: number, seenAt: number): Phases {
  const at = new Map(events.map((e) => [Number(e.eventId), epochMs(e)]));
  const first = events.find((e) => e.eventType === EventType.EVENT_TYPE_WORKFLOW_EXECUTION_STARTED);
  const last = events.find((e) => CLOSES.has(e.eventType ?? 0));
  if (!first || !last) throw new Error('the history has no start or no end');
  const phases: Phases = {
    'request to workflow start': epochMs(first) - requestedAt,
    'workflow tasks queued': 0,
    'workflow tasks run': 0,
    'activities queued': 0,
    'activities run': 0,
    'Temporal between tasks': 0,
    'workflow end to result seen': seenAt - epochMs(last),
  };
  for (const e of events) {
    const started = e.workflowTaskStartedEventAttributes ?? e.activityTaskStartedEventAttributes;
    if (started) {
      const queued = epochMs(e) - at.get(Number(started.scheduledEventId))!;
      phases[e.workflowTaskStartedEventAttributes ? 'workflow tasks queued' : 'activities queued'] += queued;
    }
    const closed = e.workflowTaskCompletedEventAttributes ?? (ENDS.has(e.eventType ?? 0) ? activityClose(e) : undefined);
    if (closed) {
      phases[e.workflowTaskCompletedEventAttributes ? 'workflow tasks run' : 'activities run'] += epochMs(e) - at.get(Number(closed.startedEventId))!;
    }
  }
  const inTasks = phases['workflow tasks queued'] + phases['workflow tasks run'] + phases['activities queued'] + phases['activities run'];
  phases['Temporal between tasks'] = epochMs(last) - epochMs(first) - inTasks;
  return phases;
}

function activityClose(e: HistoryEvent): { startedEventId?: unknown } | undefined {
  return e.activityTaskCompletedEventAttributes ?? e.activityTaskFailedEventAttributes ?? e.activityTaskTimedOutEventAttributes ?? e.activityTaskCanceledEventAttributes ?? undefined;
}

/** The median of each phase over many runs, one line each, side by side for two systems. */
export function formatPhases(columns: Record<string, readonly Phases[]>): string {
  const names = Object.keys(columns);
  const rows = (Object.keys(Object.values(columns)[0]?.[0] ?? {}) as (keyof Phases)[]).map((phase) => {
    const cells = names.map((name) => {
      const values = columns[name].map((p) => p[phase]).sort((a, b) => a - b);
      return values.length ? percentile(values, 50).toFixed(1) : '-';
    });
    return `${phase.padEnd(30)}${cells.map((c) => c.padStart(12)).join('')}`;
  });
  return [`${'median ms per phase, 1 client'.padEnd(30)}${names.map((n) => n.padStart(12)).join('')}`, ...rows].join('\n') + '\n';
}
