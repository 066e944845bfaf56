import { createHash } from 'node:crypto';
import { DAYS_OF_WEEK, MONTHS, ScheduleOverlapPolicy, type CalendarSpec, type LooseRange, type ScheduleOptions, type ScheduleSpec } from '@temporalio/client';
import { timerSchedule, type TimerRange, type TimerSchedule } from '@tempest/domain';
import { executionSearchAttributes } from '@tempest/temporal';
import type { TimerFiredInput } from '@tempest/workflows';

export const TIMER_SCHEDULE_PREFIX = 'tempest-timer-';
/** The note on a schedule Tempest paused; only those does it resume (an operator's pause stays). */
export const PAUSED_NOTE = 'Tempest: no enabled rule uses this timer';
export const RESUMED_NOTE = 'Tempest: an enabled rule uses this timer';
/** Bump when the mapping below changes: every schedule then gets a new id and is replaced. */
const MAPPING_VERSION = 1;

/** A timer trigger: StackStorm's trigger is its type plus its parameters. */
export interface TimerTrigger {
  type: string;
  parameters: Record<string, unknown>;
}

/** What Tempest keeps in a timer schedule's memo (shown in Temporal Web). */
export interface TimerMemo {
  trigger: string;
  parameters: Record<string, unknown>;
  taskQueue: string;
}

/** JSON with object keys sorted, so equal parameters hash equally whatever their order. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>).filter(([, v]) => v !== undefined);
    return `{${entries.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

/**
 * One schedule per timer trigger, shared by every rule of it. The task queue
 * is part of the hash: deployments sharing a Temporal namespace keep to
 * their own schedules.
 */
export function timerScheduleId(timer: TimerTrigger, taskQueue: string): string {
  const hash = createHash('sha256').update(canonicalJson([MAPPING_VERSION, taskQueue, timer.type, timer.parameters])).digest('hex').slice(0, 16);
  return `${TIMER_SCHEDULE_PREFIX}${timer.type}-${hash}`;
}

const FULL: Record<Exclude<keyof CalendarSpec, 'comment'>, [number, number]> = {
  second: [0, 59],
  minute: [0, 59],
  hour: [0, 23],
  dayOfMonth: [1, 31],
  month: [1, 12],
  year: [1970, 9999],
  dayOfWeek: [0, 6],
};

function ranges<T>(field: keyof typeof FULL, values: TimerRange[], name: (value: number) => T): LooseRange<T>[] | '*' {
  const [min, max] = FULL[field];
  if (values.length === 1 && values[0].start === min && values[0].end === max && values[0].step === 1) return '*';
  return values.map(({ start, end, step }) => ({ start: name(start), end: name(end), step }));
}

/** Temporal's schedule spec for a timer: an interval, or a calendar in the timer's time zone. */
export function scheduleSpec(schedule: TimerSchedule): ScheduleSpec {
  if (schedule.kind === 'interval') return { intervals: [{ every: schedule.everySeconds * 1000 }] };
  const { calendar } = schedule;
  const same = (value: number) => value;
  return {
    calendars: [
      {
        second: ranges('second', calendar.second, same),
        minute: ranges('minute', calendar.minute, same),
        hour: ranges('hour', calendar.hour, same),
        dayOfMonth: ranges('dayOfMonth', calendar.dayOfMonth, same),
        month: ranges('month', calendar.month, (month) => MONTHS[month - 1]),
        year: ranges('year', calendar.year, same),
        dayOfWeek: ranges('dayOfWeek', calendar.dayOfWeek, (day) => DAYS_OF_WEEK[day]),
      },
    ],
    timezone: schedule.timezone,
  };
}

/**
 * The whole schedule for a timer: on each fire it starts `timerFired` on the
 * actions task queue, tagged with TempestTrigger. Buffer-one: a fire while the
 * previous one still runs waits for it, and no more than one waits. Catch-up
 * window one minute: after a Temporal outage, fires older than that are
 * dropped rather than replayed. A DateTimer fires once. Throws
 * TimerParameterError for invalid parameters.
 */
export function timerScheduleOptions(timer: TimerTrigger, options: { taskQueue: string; paused: boolean }): ScheduleOptions {
  const schedule = timerSchedule(timer.type, timer.parameters);
  const scheduleId = timerScheduleId(timer, options.taskQueue);
  const input: TimerFiredInput = { trigger: timer.type, parameters: timer.parameters };
  const memo: TimerMemo = { trigger: timer.type, parameters: timer.parameters, taskQueue: options.taskQueue };
  const searchAttributes = executionSearchAttributes({ trigger: timer.type });
  return {
    scheduleId,
    spec: scheduleSpec(schedule),
    action: {
      type: 'startWorkflow',
      workflowType: 'timerFired',
      taskQueue: options.taskQueue,
      args: [input],
      // Temporal appends the fire time, so each fire's workflow id is unique and readable.
      workflowId: scheduleId,
      typedSearchAttributes: searchAttributes,
    },
    policies: { overlap: ScheduleOverlapPolicy.BUFFER_ONE, catchupWindow: '1 minute' },
    memo: { tempest: memo },
    typedSearchAttributes: searchAttributes,
    state: {
      paused: options.paused,
      ...(options.paused ? { note: PAUSED_NOTE } : {}),
      ...(schedule.kind === 'calendar' && schedule.once ? { remainingActions: 1 } : {}),
    },
  };
}
