import { CRON_TIMER, DATE_TIMER, INTERVAL_TIMER, timerSchedule, validateTimerParameters, type TimerCalendar, type TimerRange } from './timers';

const any = (start: number, end: number): TimerRange[] => [{ start, end, step: 1 }];
const one = (value: number): TimerRange[] => [{ start: value, end: value, step: 1 }];

function calendar(type: string, parameters: Record<string, unknown>): { calendar: TimerCalendar; timezone: string; once: boolean } {
  const schedule = timerSchedule(type, parameters);
  if (schedule.kind !== 'calendar') throw new Error(`expected a calendar, got ${schedule.kind}`);
  return schedule;
}

describe(timerSchedule.name, () => {
  describe('IntervalTimer', () => {
    it.each([
      ['seconds', 1, 1],
      ['minutes', 5, 300],
      ['hours', 2, 7_200],
      ['days', 1, 86_400],
      ['weeks', 2, 1_209_600],
    ])('fires every %s × %i as an interval of seconds', (unit, delta, everySeconds) => {
      expect(timerSchedule(INTERVAL_TIMER, { unit, delta })).toEqual({ kind: 'interval', everySeconds });
    });
  });

  describe('CronTimer', () => {
    it('defaults fields after the last given one to their minimum and those before it to *, as APScheduler does', () => {
      const { calendar: sut, timezone, once } = calendar(CRON_TIMER, { hour: 9 });
      expect(sut).toEqual({ year: any(1970, 9999), month: any(1, 12), dayOfMonth: any(1, 31), dayOfWeek: any(0, 6), hour: one(9), minute: one(0), second: one(0) });
      expect({ timezone, once }).toEqual({ timezone: 'UTC', once: false });
    });

    it('leaves fields before a given second at *', () => {
      const { calendar: sut } = calendar(CRON_TIMER, { hour: 3, second: 10 });
      expect(sut).toMatchObject({ hour: one(3), minute: any(0, 59), second: one(10) });
    });

    it('defaults day and month to 1 after a given year or month', () => {
      expect(calendar(CRON_TIMER, { month: 'jun' }).calendar).toMatchObject({ month: one(6), dayOfMonth: one(1), hour: one(0), dayOfWeek: any(0, 6) });
    });

    it('reads steps, ranges, a-b/n, a/n and comma lists', () => {
      const { calendar: sut } = calendar(CRON_TIMER, { minute: '*/15', hour: '8-18/2', day: '1,15', second: '30/10' });
      expect(sut.minute).toEqual([{ start: 0, end: 59, step: 15 }]);
      expect(sut.hour).toEqual([{ start: 8, end: 18, step: 2 }]);
      expect(sut.dayOfMonth).toEqual([...one(1), ...one(15)]);
      expect(sut.second).toEqual([{ start: 30, end: 59, step: 10 }]);
    });

    it('maps APScheduler days of the week (mon = 0) to Sunday-first days, names included', () => {
      expect(calendar(CRON_TIMER, { day_of_week: 'mon-fri', hour: 9 }).calendar.dayOfWeek).toEqual([1, 2, 3, 4, 5].flatMap(one));
      expect(calendar(CRON_TIMER, { day_of_week: 'sun' }).calendar.dayOfWeek).toEqual(one(0));
      expect(calendar(CRON_TIMER, { day_of_week: 6 }).calendar.dayOfWeek).toEqual(one(0));
      expect(calendar(CRON_TIMER, { day_of_week: 'fri-sun' }).calendar.dayOfWeek).toEqual([0, 5, 6].flatMap(one));
      expect(calendar(CRON_TIMER, { day_of_week: '*/2' }).calendar.dayOfWeek).toEqual([0, 1, 3, 5].flatMap(one));
    });

    it('keeps the time zone, in its canonical spelling', () => {
      expect(calendar(CRON_TIMER, { hour: 9, timezone: 'europe/paris' }).timezone).toBe('Europe/Paris');
      expect(calendar(CRON_TIMER, { hour: 9, timezone: 'UTC' }).timezone).toBe('UTC');
    });
  });

  describe('DateTimer', () => {
    it('fires once, at that second, in the timer\'s time zone', () => {
      expect(calendar(DATE_TIMER, { date: '2030-01-31 09:15:30', timezone: 'America/New_York' })).toEqual({
        kind: 'calendar',
        calendar: { year: one(2030), month: one(1), dayOfMonth: one(31), hour: one(9), minute: one(15), second: one(30), dayOfWeek: any(0, 6) },
        timezone: 'America/New_York',
        once: true,
      });
    });

    it('turns a date with an offset into the same instant in UTC', () => {
      expect(calendar(DATE_TIMER, { date: '2030-01-01T00:30:00+01:00', timezone: 'Asia/Tokyo' })).toMatchObject({
        calendar: { year: one(2029), month: one(12), dayOfMonth: one(31), hour: one(23), minute: one(30), second: one(0) },
        timezone: 'UTC',
      });
      expect(calendar(DATE_TIMER, { date: '2030-06-01T12:00Z' }).calendar).toMatchObject({ hour: one(12), minute: one(0) });
    });

    it('reads a bare date as midnight', () => {
      expect(calendar(DATE_TIMER, { date: '2030-02-28' }).calendar).toMatchObject({ dayOfMonth: one(28), hour: one(0), minute: one(0), second: one(0) });
    });
  });
});

describe(validateTimerParameters.name, () => {
  it('finds nothing wrong with good timers, or with triggers that are no timers', () => {
    expect(validateTimerParameters(INTERVAL_TIMER, { unit: 'seconds', delta: 30, timezone: 'UTC' })).toEqual([]);
    expect(validateTimerParameters(CRON_TIMER, { day_of_week: 'mon-fri', hour: '9', minute: 30 })).toEqual([]);
    expect(validateTimerParameters('core.st2.webhook', { anything: true })).toEqual([]);
  });

  it.each<[string, Record<string, unknown>, string[]]>([
    [INTERVAL_TIMER, {}, ['parameters.unit: required (weeks, days, hours, minutes or seconds)', 'parameters.delta: required (a whole number of units, at least 1)']],
    [INTERVAL_TIMER, { unit: 'fortnights', delta: 0 }, ['parameters.unit: "fortnights" is not one of weeks, days, hours, minutes, seconds', 'parameters.delta: 0 is not a whole number of at least 1']],
    [INTERVAL_TIMER, { unit: 'seconds', delta: '5' }, ['parameters.delta: "5" is not a whole number of at least 1']],
    [INTERVAL_TIMER, { unit: 'seconds', delta: 5, every: 1 }, ['parameters.every: unknown parameter (core.st2.IntervalTimer takes timezone, unit, delta)']],
    [INTERVAL_TIMER, { unit: 'seconds', delta: 5, timezone: 'Mars/Olympus' }, ['parameters.timezone: unknown time zone "Mars/Olympus" (an IANA name, e.g. Europe/Paris or UTC)']],
    [DATE_TIMER, {}, ['parameters.date: required (an ISO 8601 date-time, e.g. 2030-01-31 09:00:00)']],
    [DATE_TIMER, { date: 'next tuesday' }, ['parameters.date: "next tuesday" is not an ISO 8601 date-time, e.g. 2030-01-31 09:00:00 or 2030-01-31T09:00:00+01:00']],
    [DATE_TIMER, { date: '2030-02-30 10:00' }, ['parameters.date: "2030-02-30 10:00" is not a date that exists']],
    [CRON_TIMER, {}, ['parameters: give at least one of year, month, day, week, day_of_week, hour, minute, second (an empty CronTimer would fire every second)']],
    [CRON_TIMER, { hour: 24 }, ['parameters.hour: 24 is out of range 0-23']],
    [CRON_TIMER, { minute: '*/0' }, ['parameters.minute: "*/0" in "*/0": the step must be at least 1']],
    [CRON_TIMER, { day_of_week: 'mon-funday' }, ['parameters.day_of_week: "mon-funday" in "mon-funday": unknown name "funday" (mon, tue, wed, thu, fri, sat, sun)']],
    [CRON_TIMER, { hour: '18-8' }, ['parameters.hour: "18-8" in "18-8": the range runs backwards (18 > 8)']],
    [CRON_TIMER, { day: 'last fri' }, ['parameters.day: "last fri" in "last fri": nth-weekday and last-day expressions cannot be scheduled; use numbers, ranges and steps']],
    [CRON_TIMER, { week: 10 }, ['parameters.week: ISO week numbers cannot be scheduled (Temporal calendars have no week field); use day, month or day_of_week']],
    [CRON_TIMER, { hour: true }, ['parameters.hour: true is not a cron expression (a number, *, */n, a-b, a-b/n or a comma list of them)']],
  ])('%s %j: %j', (type, parameters, problems) => {
    expect(validateTimerParameters(type, parameters)).toEqual(problems);
  });
});
