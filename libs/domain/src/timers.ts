// StackStorm's timer triggers (st2reactor's timer, on APScheduler), turned into
// plain data a scheduler can run. Pure: no I/O, so the rules path, the pack
// loader and the gateway's schedule reconciler share one reading of a timer.

export const INTERVAL_TIMER = 'core.st2.IntervalTimer';
export const DATE_TIMER = 'core.st2.DateTimer';
export const CRON_TIMER = 'core.st2.CronTimer';
export const TIMER_TRIGGER_TYPES: readonly string[] = [INTERVAL_TIMER, DATE_TIMER, CRON_TIMER];

export function isTimerTrigger(type: string): boolean {
  return TIMER_TRIGGER_TYPES.includes(type);
}

/** Values `start` to `end` inclusive, every `step`. */
export interface TimerRange {
  start: number;
  end: number;
  step: number;
}

/** Calendar fields as Temporal matches them: all must match; days of the week 0 = Sunday; months 1-12. */
export interface TimerCalendar {
  second: TimerRange[];
  minute: TimerRange[];
  hour: TimerRange[];
  dayOfMonth: TimerRange[];
  month: TimerRange[];
  year: TimerRange[];
  dayOfWeek: TimerRange[];
}

export type TimerSchedule =
  | { kind: 'interval'; everySeconds: number }
  /** `once`: a DateTimer, whose calendar names a single second. */
  | { kind: 'calendar'; calendar: TimerCalendar; timezone: string; once: boolean };

export class TimerParameterError extends Error {
  constructor(readonly problems: string[]) {
    super(problems.join('; '));
    this.name = 'TimerParameterError';
  }
}

const UNIT_SECONDS: Record<string, number> = { weeks: 604_800, days: 86_400, hours: 3_600, minutes: 60, seconds: 1 };
const CRON_FIELDS = ['year', 'month', 'day', 'week', 'day_of_week', 'hour', 'minute', 'second'] as const;
type CronField = (typeof CRON_FIELDS)[number];
const ALLOWED: Record<string, readonly string[]> = {
  [INTERVAL_TIMER]: ['timezone', 'unit', 'delta'],
  [DATE_TIMER]: ['timezone', 'date'],
  [CRON_TIMER]: ['timezone', ...CRON_FIELDS],
};

/**
 * Every problem with a timer trigger's parameters, each naming the parameter
 * (`parameters.unit: ...`); empty when they are fine or `type` is no timer.
 */
export function validateTimerParameters(type: string, parameters: Record<string, unknown>): string[] {
  if (!isTimerTrigger(type)) return [];
  try {
    timerSchedule(type, parameters);
    return [];
  } catch (error) {
    if (error instanceof TimerParameterError) return error.problems;
    throw error;
  }
}

/** What a timer trigger means as a schedule; throws TimerParameterError listing every problem. */
export function timerSchedule(type: string, parameters: Record<string, unknown>): TimerSchedule {
  const problems: string[] = [];
  const allowed = ALLOWED[type];
  if (!allowed) throw new TimerParameterError([`${type} is not a timer (timers: ${TIMER_TRIGGER_TYPES.join(', ')})`]);
  if (parameters === null || typeof parameters !== 'object' || Array.isArray(parameters)) throw new TimerParameterError(['parameters: must be an object']);
  for (const name of Object.keys(parameters)) {
    if (!allowed.includes(name)) problems.push(`parameters.${name}: unknown parameter (${type} takes ${allowed.join(', ')})`);
  }
  const timezone = readTimezone(parameters.timezone, problems);
  let schedule: TimerSchedule | undefined;
  if (type === INTERVAL_TIMER) schedule = intervalSchedule(parameters, problems);
  else if (type === DATE_TIMER) schedule = dateSchedule(parameters.date, timezone, problems);
  else schedule = cronSchedule(parameters, timezone, problems);
  if (problems.length > 0 || !schedule) throw new TimerParameterError(problems);
  return schedule;
}

function readTimezone(value: unknown, problems: string[]): string {
  if (value === undefined || value === null) return 'UTC';
  if (typeof value !== 'string' || value.trim() === '') {
    problems.push('parameters.timezone: must be an IANA time zone name, e.g. Europe/Paris');
    return 'UTC';
  }
  try {
    // The canonical spelling, which the scheduler's time zone database knows too.
    return new Intl.DateTimeFormat('en-US', { timeZone: value }).resolvedOptions().timeZone;
  } catch {
    problems.push(`parameters.timezone: unknown time zone ${JSON.stringify(value)} (an IANA name, e.g. Europe/Paris or UTC)`);
    return 'UTC';
  }
}

function intervalSchedule(parameters: Record<string, unknown>, problems: string[]): TimerSchedule | undefined {
  const { unit, delta } = parameters;
  const unitSeconds = typeof unit === 'string' ? UNIT_SECONDS[unit] : undefined;
  if (unit === undefined) problems.push('parameters.unit: required (weeks, days, hours, minutes or seconds)');
  else if (unitSeconds === undefined) problems.push(`parameters.unit: ${JSON.stringify(unit)} is not one of weeks, days, hours, minutes, seconds`);
  if (delta === undefined) problems.push('parameters.delta: required (a whole number of units, at least 1)');
  else if (typeof delta !== 'number' || !Number.isInteger(delta) || delta < 1) problems.push(`parameters.delta: ${JSON.stringify(delta)} is not a whole number of at least 1`);
  if (unitSeconds === undefined || typeof delta !== 'number') return undefined;
  return { kind: 'interval', everySeconds: unitSeconds * delta };
}

// ISO 8601 as StackStorm content writes it: a date, optionally a time (T or a space), optionally an offset.
const DATE = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?)?\s*(Z|[+-]\d{2}(?::?\d{2})?)?$/i;

function dateSchedule(value: unknown, timezone: string, problems: string[]): TimerSchedule | undefined {
  if (value === undefined) {
    problems.push('parameters.date: required (an ISO 8601 date-time, e.g. 2030-01-31 09:00:00)');
    return undefined;
  }
  const match = typeof value === 'string' ? DATE.exec(value.trim()) : null;
  if (!match) {
    problems.push(`parameters.date: ${JSON.stringify(value)} is not an ISO 8601 date-time, e.g. 2030-01-31 09:00:00 or 2030-01-31T09:00:00+01:00`);
    return undefined;
  }
  const [year, month, day, hour = 0, minute = 0, second = 0] = match.slice(1, 7).map((part) => (part === undefined ? undefined : Number(part))) as number[];
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month) || hour > 23 || minute > 59 || second > 59) {
    problems.push(`parameters.date: ${JSON.stringify(value)} is not a date that exists`);
    return undefined;
  }
  const offset = match[7];
  if (!offset) return { kind: 'calendar', calendar: exactly(year, month, day, hour, minute, second), timezone, once: true };
  // An explicit offset wins over `timezone`, as in StackStorm: the same instant, in UTC.
  const [, sign, hours, minutes = '0'] = /^([+-])(\d{2}):?(\d{2})?$/.exec(offset) ?? ['', '+', '0', '0'];
  const offsetMinutes = (sign === '-' ? -1 : 1) * (Number(hours) * 60 + Number(minutes));
  const utc = new Date(Date.UTC(year, month - 1, day, hour, minute, second) - offsetMinutes * 60_000);
  return {
    kind: 'calendar',
    calendar: exactly(utc.getUTCFullYear(), utc.getUTCMonth() + 1, utc.getUTCDate(), utc.getUTCHours(), utc.getUTCMinutes(), utc.getUTCSeconds()),
    timezone: 'UTC',
    once: true,
  };
}

function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

const single = (value: number): TimerRange[] => [{ start: value, end: value, step: 1 }];

function exactly(year: number, month: number, day: number, hour: number, minute: number, second: number): TimerCalendar {
  return { year: single(year), month: single(month), dayOfMonth: single(day), hour: single(hour), minute: single(minute), second: single(second), dayOfWeek: [{ start: 0, end: 6, step: 1 }] };
}

interface FieldSpec {
  min: number;
  max: number;
  /** APScheduler's value when a field after the last given one is left out. */
  fallback: string;
  names?: readonly string[];
  /** Where names[0] sits. */
  firstName?: number;
}

const FIELD_SPECS: Record<CronField, FieldSpec> = {
  year: { min: 1970, max: 9999, fallback: '*' },
  month: { min: 1, max: 12, fallback: '1', names: ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'], firstName: 1 },
  day: { min: 1, max: 31, fallback: '1' },
  week: { min: 1, max: 53, fallback: '*' },
  // APScheduler counts days of the week from Monday = 0.
  day_of_week: { min: 0, max: 6, fallback: '*', names: ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'], firstName: 0 },
  hour: { min: 0, max: 23, fallback: '0' },
  minute: { min: 0, max: 59, fallback: '0' },
  second: { min: 0, max: 59, fallback: '0' },
};

/**
 * APScheduler's CronTrigger, which StackStorm's CronTimer is: fields before
 * the last given one default to `*`, fields after it to their minimum (week
 * and day_of_week to `*`); every field must match, day and day_of_week alike.
 */
function cronSchedule(parameters: Record<string, unknown>, timezone: string, problems: string[]): TimerSchedule | undefined {
  const given = CRON_FIELDS.filter((field) => parameters[field] !== undefined && parameters[field] !== null);
  if (given.length === 0) {
    problems.push(`parameters: give at least one of ${CRON_FIELDS.join(', ')} (an empty CronTimer would fire every second)`);
    return undefined;
  }
  const last = CRON_FIELDS.indexOf(given[given.length - 1]);
  const ranges = {} as Record<CronField, TimerRange[]>;
  const before = problems.length;
  CRON_FIELDS.forEach((field, index) => {
    const value = parameters[field];
    const expression = value === undefined || value === null ? (index > last ? FIELD_SPECS[field].fallback : '*') : value;
    ranges[field] = parseField(field, expression, problems);
  });
  if (problems.length > before) return undefined;
  const anyWeek = ranges.week.length === 1 && ranges.week[0].start === 1 && ranges.week[0].end === 53 && ranges.week[0].step === 1;
  if (!anyWeek) {
    problems.push('parameters.week: ISO week numbers cannot be scheduled (Temporal calendars have no week field); use day, month or day_of_week');
    return undefined;
  }
  return {
    kind: 'calendar',
    calendar: {
      second: ranges.second,
      minute: ranges.minute,
      hour: ranges.hour,
      dayOfMonth: ranges.day,
      month: ranges.month,
      year: ranges.year,
      dayOfWeek: toSundayFirst(ranges.day_of_week),
    },
    timezone,
    once: false,
  };
}

function parseField(field: CronField, value: unknown, problems: string[]): TimerRange[] {
  const spec = FIELD_SPECS[field];
  const say = (message: string) => problems.push(`parameters.${field}: ${message}`);
  if (typeof value === 'number') {
    if (!Number.isInteger(value) || value < spec.min || value > spec.max) say(`${value} is out of range ${spec.min}-${spec.max}`);
    return single(value);
  }
  if (typeof value !== 'string' || value.trim() === '') {
    say(`${JSON.stringify(value)} is not a cron expression (a number, *, */n, a-b, a-b/n or a comma list of them)`);
    return [];
  }
  const ranges: TimerRange[] = [];
  for (const item of value.toLowerCase().split(',').map((part) => part.trim())) {
    const range = parseItem(item, spec);
    if (typeof range === 'string') say(`"${item}" in ${JSON.stringify(value)}: ${range}`);
    else ranges.push(range);
  }
  return ranges;
}

function parseItem(item: string, spec: FieldSpec): TimerRange | string {
  if (/^(last|\d+(st|nd|rd|th))\b/.test(item)) return 'nth-weekday and last-day expressions cannot be scheduled; use numbers, ranges and steps';
  const match = /^(\*|[a-z0-9]+)(?:-([a-z0-9]+))?(?:\/(\d+))?$/.exec(item);
  if (!match) return 'not a cron expression (a number, *, */n, a-b, a-b/n)';
  const [, first, lastPart, stepPart] = match;
  const step = stepPart === undefined ? 1 : Number(stepPart);
  if (step < 1) return 'the step must be at least 1';
  if (first === '*') {
    if (lastPart !== undefined) return 'not a cron expression (a number, *, */n, a-b, a-b/n)';
    return { start: spec.min, end: spec.max, step };
  }
  const start = fieldValue(first, spec);
  if (typeof start === 'string') return start;
  // `a/n` runs from a to the field's maximum, as in APScheduler.
  const end = lastPart === undefined ? (stepPart === undefined ? start : spec.max) : fieldValue(lastPart, spec);
  if (typeof end === 'string') return end;
  if (end < start) return `the range runs backwards (${start} > ${end})`;
  return { start, end, step };
}

function fieldValue(text: string, spec: FieldSpec): number | string {
  if (/^\d+$/.test(text)) {
    const value = Number(text);
    return value < spec.min || value > spec.max ? `${value} is out of range ${spec.min}-${spec.max}` : value;
  }
  const index = spec.names?.indexOf(text) ?? -1;
  if (index < 0) return spec.names ? `unknown name "${text}" (${spec.names.join(', ')})` : `"${text}" is not a number`;
  return index + (spec.firstName ?? 0);
}

/** APScheduler's Monday = 0 to Sunday = 0, as single days (a shifted range may wrap past Saturday). */
function toSundayFirst(ranges: TimerRange[]): TimerRange[] {
  const days = new Set<number>();
  for (const { start, end, step } of ranges) for (let day = start; day <= end; day += step) days.add((day + 1) % 7);
  if (days.size === 7) return [{ start: 0, end: 6, step: 1 }];
  return [...days].sort((a, b) => a - b).map((day) => ({ start: day, end: day, step: 1 }));
}
