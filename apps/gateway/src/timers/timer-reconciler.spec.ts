import { Client, Connection, ScheduleNotFoundError } from '@temporalio/client';
import { findRepoRoot } from '@tempest/config';
import { PackRepository, RuleRepository, TriggerInstanceRepository, type RuleRecord } from '@tempest/db';
import { captureLogs, createTestDatabase, eventually, testConfig, type TestDatabase, uniqueName } from '@tempest/testing';
import { createTempestWorker } from '../../../worker/src/worker';
import { workflowBundlePath } from '../../../worker/src/workflow-bundle';
import { TimerReconciler } from './timer-reconciler';
import { PAUSED_NOTE, timerScheduleId } from './timer-schedule';

const INTERVAL = 'core.st2.IntervalTimer';
const CRON = 'core.st2.CronTimer';
const DATE = 'core.st2.DateTimer';

describe(TimerReconciler.name, () => {
  const config = testConfig();
  let database: TestDatabase;
  let rules: RuleRepository;
  let connection: Connection;
  let client: Client;
  let taskQueue: string;
  let sut: TimerReconciler;

  function rule(name: string, trigger: { type: string; parameters: Record<string, unknown> }, enabled = true): RuleRecord {
    return { ref: `timers.${name}`, pack: 'timers', name, description: '', enabled, type: 'standard', trigger, criteria: {}, action: { ref: 'core.noop', parameters: {} }, context: {}, createdBy: 'test' };
  }
  const reconciler = (temporal = client) => new TimerReconciler(rules, temporal, captureLogs('gateway').logger, { taskQueue });
  // Every schedule a test names, deleted after it (listing lags, so a pass alone could miss one).
  const named = new Set<string>();
  const idOf = (type: string, parameters: Record<string, unknown>) => {
    const id = timerScheduleId({ type, parameters }, taskQueue);
    named.add(id);
    return id;
  };

  beforeAll(async () => {
    database = await createTestDatabase();
    rules = new RuleRepository(database.db);
    await new PackRepository(database.db).upsert({ ref: 'timers', name: 'timers', description: '', version: '1.0.0', author: 'test', keywords: [], dependencies: [], path: '/nonexistent', metadata: {} });
    connection = await Connection.connect({ address: config.temporal.address });
    client = new Client({ connection, namespace: config.temporal.namespace });
  });

  beforeEach(() => {
    // A deployment of its own per test: its schedules are invisible to the others.
    taskQueue = uniqueName('timers-test');
    sut = reconciler();
  });

  afterEach(async () => {
    for (const ref of (await rules.search({ pack: 'timers' })).map((r) => r.ref)) await rules.delete(ref);
    for (const id of named) {
      await client.schedule
        .getHandle(id)
        .delete()
        .catch((error: unknown) => {
          if (!(error instanceof ScheduleNotFoundError)) throw error;
        });
    }
    named.clear();
  });

  afterAll(async () => {
    await connection.close();
    await database.drop();
  });

  it('creates one schedule per timer trigger, shared by every rule of it, and changes nothing on the next pass', async () => {
    await rules.create(rule('a', { type: INTERVAL, parameters: { unit: 'minutes', delta: 5 } }));
    await rules.create(rule('b', { type: INTERVAL, parameters: { delta: 5, unit: 'minutes' } }));
    await rules.create(rule('c', { type: CRON, parameters: { hour: 9 } }));
    const interval = idOf(INTERVAL, { unit: 'minutes', delta: 5 });
    const cron = idOf(CRON, { hour: 9 });

    expect(await sut.reconcile()).toMatchObject({ created: [interval, cron].sort(), paused: [], deleted: [] });
    const description = await client.schedule.getHandle(interval).describe();
    expect(description.spec.intervals).toMatchObject([{ every: 300_000 }]);
    expect(description.action).toMatchObject({ workflowType: 'timerFired', taskQueue, args: [{ trigger: INTERVAL, parameters: { unit: 'minutes', delta: 5 } }] });
    expect(description.policies).toMatchObject({ overlap: 'BUFFER_ONE', catchupWindow: 60_000 });
    expect(description.state.paused).toBe(false);

    expect(await sut.reconcile()).toMatchObject({ created: [], unchanged: [interval, cron].sort(), deleted: [] });
  });

  it('creates a schedule once when two gateways reconcile at the same moment, and again after a restart', async () => {
    await rules.create(rule('a', { type: INTERVAL, parameters: { unit: 'hours', delta: 1 } }));
    const id = idOf(INTERVAL, { unit: 'hours', delta: 1 });
    const other = await Connection.connect({ address: config.temporal.address });
    try {
      const outcomes = await Promise.all([sut.reconcile(), reconciler(new Client({ connection: other, namespace: config.temporal.namespace })).reconcile()]);
      expect(outcomes.flatMap((o) => o.created)).toEqual([id]);
      expect(outcomes.flatMap((o) => o.unchanged)).toEqual([id]);
    } finally {
      await other.close();
    }
    const created = (await client.schedule.getHandle(id).describe()).info.createdAt;

    // A restarted gateway: a new reconciler on a new connection finds it.
    const restarted = await Connection.connect({ address: config.temporal.address });
    try {
      expect(await reconciler(new Client({ connection: restarted, namespace: config.temporal.namespace })).reconcile()).toMatchObject({ created: [], unchanged: [id] });
    } finally {
      await restarted.close();
    }
    expect((await client.schedule.getHandle(id).describe()).info.createdAt).toEqual(created);
  });

  it('pauses a schedule whose rules are all disabled, resumes it when one is enabled, and deletes it with its last rule', async () => {
    await rules.create(rule('a', { type: INTERVAL, parameters: { unit: 'days', delta: 1 } }));
    await rules.create(rule('b', { type: INTERVAL, parameters: { unit: 'days', delta: 1 } }, false));
    const id = idOf(INTERVAL, { unit: 'days', delta: 1 });
    const handle = client.schedule.getHandle(id);
    await sut.reconcile();

    await rules.setEnabled('timers.a', false);
    expect(await sut.reconcile()).toMatchObject({ paused: [id] });
    expect((await handle.describe()).state).toMatchObject({ paused: true, note: PAUSED_NOTE });

    await rules.setEnabled('timers.b', true);
    expect(await sut.reconcile()).toMatchObject({ resumed: [id] });
    expect((await handle.describe()).state.paused).toBe(false);

    await rules.delete('timers.a');
    expect(await sut.reconcile()).toMatchObject({ unchanged: [id], deleted: [] });
    await rules.delete('timers.b');
    // Listing is eventually consistent: the schedule may take a moment to be listed at all.
    await eventually(async () => ((await sut.reconcile()).deleted.includes(id) ? true : undefined), 'the schedule to be deleted');
    await expect(handle.describe()).rejects.toThrow(ScheduleNotFoundError);
  });

  it('leaves a schedule an operator paused in Temporal Web paused', async () => {
    await rules.create(rule('a', { type: INTERVAL, parameters: { unit: 'weeks', delta: 1 } }));
    const id = idOf(INTERVAL, { unit: 'weeks', delta: 1 });
    await sut.reconcile();
    await client.schedule.getHandle(id).pause('maintenance window');
    expect(await sut.reconcile()).toMatchObject({ unchanged: [id], resumed: [] });
    expect((await client.schedule.getHandle(id).describe()).state).toMatchObject({ paused: true, note: 'maintenance window' });
  });

  it('schedules no timer with invalid parameters, naming its rules and the problem, and schedules the others', async () => {
    await rules.create(rule('bad', { type: CRON, parameters: { hour: 25 } }));
    await rules.create(rule('good', { type: CRON, parameters: { minute: 0 } }));
    const outcome = await sut.reconcile();
    expect(outcome.invalid).toEqual([{ rules: ['timers.bad'], problems: ['parameters.hour: 25 is out of range 0-23'] }]);
    expect(outcome.created).toEqual([idOf(CRON, { minute: 0 })]);
  });

  it('fires a CronTimer at its hour in its time zone, and a DateTimer once at its instant', async () => {
    await rules.create(rule('cron', { type: CRON, parameters: { day_of_week: 'mon-fri', hour: 9, minute: 30, timezone: 'Europe/Paris' } }));
    await rules.create(rule('date', { type: DATE, parameters: { date: '2040-03-01 08:00:00', timezone: 'America/New_York' } }));
    await sut.reconcile();

    const cron = await client.schedule.getHandle(idOf(CRON, { day_of_week: 'mon-fri', hour: 9, minute: 30, timezone: 'Europe/Paris' })).describe();
    const paris = new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/Paris', weekday: 'short', hour: '2-digit', minute: '2-digit', second: '2-digit' });
    expect(cron.info.nextActionTimes.length).toBeGreaterThan(3);
    for (const time of cron.info.nextActionTimes) expect(paris.format(time)).toMatch(/^(Mon|Tue|Wed|Thu|Fri) 09:30:00$/);

    const date = await client.schedule.getHandle(idOf(DATE, { date: '2040-03-01 08:00:00', timezone: 'America/New_York' })).describe();
    // Eastern Standard Time (UTC-5) until DST begins on 11 March 2040.
    expect(date.info.nextActionTimes).toEqual([new Date('2040-03-01T13:00:00Z')]);
    expect(date.state.remainingActions).toBe(1);
  });

  it('turns each fire of a one-second IntervalTimer into one pending trigger instance, through a real worker', async () => {
    const parameters = { unit: 'seconds', delta: 1 };
    await rules.create(rule('tick', { type: INTERVAL, parameters }));
    const id = idOf(INTERVAL, parameters);
    await sut.reconcile();
    const instances = new TriggerInstanceRepository(database.db);
    const worker = await createTempestWorker({ config, logger: captureLogs('worker').logger, db: database.db, packsDir: '/nonexistent', workflowBundlePath: workflowBundlePath(findRepoRoot()), taskQueue });
    const running = worker.run();
    try {
      const fired = await eventually(async () => {
        const found = await instances.search({ trigger: INTERVAL, limit: 10, offset: 0 });
        return found.length >= 3 ? found : undefined;
      }, 'three fires');
      for (const instance of fired) {
        expect(instance).toMatchObject({ status: 'pending', parameters, source: 'timer', idempotency_key: `timer:${instance.payload.executed_at}`, context: { schedule_id: id } });
        expect(instance.payload).toEqual({ executed_at: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.000Z$/), schedule: null });
        expect(instance.trace_tag).toBe(`${id}-${(instance.payload.executed_at as string).replace('.000Z', 'Z')}`);
        expect(instance.occurrence_time.toISOString()).toBe(instance.payload.executed_at);
      }
      expect(new Set(fired.map((i) => i.payload.executed_at)).size).toBe(fired.length);
    } finally {
      await client.schedule.getHandle(id).delete();
      worker.worker.shutdown();
      await running;
    }
  });
});
