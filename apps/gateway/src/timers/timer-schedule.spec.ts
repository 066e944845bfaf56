import { TimerParameterError } from '@tempest/domain';
import { canonicalJson, PAUSED_NOTE, scheduleSpec, timerScheduleId, timerScheduleOptions } from './timer-schedule';

const INTERVAL = 'core.st2.IntervalTimer';
const CRON = 'core.st2.CronTimer';
const DATE = 'core.st2.DateTimer';

describe(timerScheduleId.name, () => {
  it('names the trigger type and hashes its parameters, whatever their key order', () => {
    const sut = timerScheduleId({ type: INTERVAL, parameters: { unit: 'seconds', delta: 5 } }, 'tempest-actions');
    expect(sut).toMatch(/^tempest-timer-core\.st2\.IntervalTimer-[0-9a-f]{16}$/);
    expect(timerScheduleId({ type: INTERVAL, parameters: { delta: 5, unit: 'seconds' } }, 'tempest-actions')).toBe(sut);
  });

  it('differs for other parameters and for another deployment\'s task queue', () => {
    const sut = timerScheduleId({ type: INTERVAL, parameters: { unit: 'seconds', delta: 5 } }, 'tempest-actions');
    expect(timerScheduleId({ type: INTERVAL, parameters: { unit: 'seconds', delta: 6 } }, 'tempest-actions')).not.toBe(sut);
    expect(timerScheduleId({ type: INTERVAL, parameters: { unit: 'seconds', delta: 5 } }, 'other-queue')).not.toBe(sut);
  });
});

describe(canonicalJson.name, () => {
  it('sorts keys at every depth and keeps array order', () => {
    expect(canonicalJson({ b: [{ d: 1, c: 2 }], a: null })).toBe('{"a":null,"b":[{"c":2,"d":1}]}');
  });
});

describe(scheduleSpec.name, () => {
  it('runs an IntervalTimer as an interval', () => {
    expect(scheduleSpec({ kind: 'interval', everySeconds: 90 })).toEqual({ intervals: [{ every: 90_000 }] });
  });

  it('writes a calendar with Temporal\'s month and weekday names, * for whole fields, in the time zone', () => {
    const spec = scheduleSpec({
      kind: 'calendar',
      timezone: 'Europe/Paris',
      once: false,
      calendar: {
        second: [{ start: 0, end: 0, step: 1 }],
        minute: [{ start: 0, end: 59, step: 15 }],
        hour: [{ start: 9, end: 9, step: 1 }],
        dayOfMonth: [{ start: 1, end: 31, step: 1 }],
        month: [{ start: 3, end: 5, step: 1 }],
        year: [{ start: 1970, end: 9999, step: 1 }],
        dayOfWeek: [{ start: 0, end: 0, step: 1 }, { start: 6, end: 6, step: 1 }],
      },
    });
    expect(spec).toEqual({
      timezone: 'Europe/Paris',
      calendars: [
        {
          second: [{ start: 0, end: 0, step: 1 }],
          minute: [{ start: 0, end: 59, step: 15 }],
          hour: [{ start: 9, end: 9, step: 1 }],
          dayOfMonth: '*',
          month: [{ start: 'MARCH', end: 'MAY', step: 1 }],
          year: '*',
          dayOfWeek: [{ start: 'SUNDAY', end: 'SUNDAY', step: 1 }, { start: 'SATURDAY', end: 'SATURDAY', step: 1 }],
        },
      ],
    });
  });
});

describe(timerScheduleOptions.name, () => {
  const taskQueue = 'tempest-actions';

  it('starts timerFired on the actions task queue with the trigger, tagged TempestTrigger, buffer-one with a short catch-up', () => {
    const timer = { type: CRON, parameters: { hour: 9, timezone: 'Europe/Paris' } };
    const sut = timerScheduleOptions(timer, { taskQueue, paused: false });
    expect(sut).toMatchObject({
      scheduleId: timerScheduleId(timer, taskQueue),
      action: { type: 'startWorkflow', workflowType: 'timerFired', taskQueue, args: [{ trigger: CRON, parameters: timer.parameters }], workflowId: sut.scheduleId },
      policies: { overlap: 'BUFFER_ONE', catchupWindow: '1 minute' },
      memo: { tempest: { trigger: CRON, parameters: timer.parameters, taskQueue } },
      state: { paused: false },
    });
    expect(sut.spec.timezone).toBe('Europe/Paris');
    expect(sut.typedSearchAttributes).toEqual([{ key: expect.objectContaining({ name: 'TempestTrigger' }), value: CRON }]);
    expect(sut.state).not.toHaveProperty('remainingActions');
  });

  it('fires a DateTimer once, and notes why a schedule starts paused', () => {
    const sut = timerScheduleOptions({ type: DATE, parameters: { date: '2040-01-01 00:00:00' } }, { taskQueue, paused: true });
    expect(sut.state).toEqual({ paused: true, note: PAUSED_NOTE, remainingActions: 1 });
  });

  it('refuses invalid parameters, naming them', () => {
    expect(() => timerScheduleOptions({ type: INTERVAL, parameters: { unit: 'seconds' } }, { taskQueue, paused: false })).toThrow(TimerParameterError);
    expect(() => timerScheduleOptions({ type: INTERVAL, parameters: { unit: 'seconds' } }, { taskQueue, paused: false })).toThrow('parameters.delta: required');
  });
});
