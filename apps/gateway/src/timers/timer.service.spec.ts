import 'reflect-metadata';
import { Module, type INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { Client, Connection, ScheduleNotFoundError, type ScheduleDescription } from '@temporalio/client';
import { PackRepository, RuleRepository, type RuleRecord } from '@tempest/db';
import { captureLogs, createTestDatabase, eventually, testConfig, type TestDatabase, uniqueName } from '@tempest/testing';
import { InfrastructureModule } from '../infrastructure.module';
import { timerScheduleId } from './timer-schedule';
import { TimerModule } from './timer.module';
import { TimerService } from './timer.service';

const INTERVAL = 'core.st2.IntervalTimer';

@Module({})
class TimersOnly {}

describe(TimerService.name, () => {
  const taskQueue = uniqueName('timers-service-test');
  let database: TestDatabase;
  let rules: RuleRepository;
  let connection: Connection;
  let client: Client;
  const gateways: { context: INestApplicationContext; lines: string[] }[] = [];

  /** A gateway's timer part, started as the gateway starts it. */
  async function startGateway() {
    const { logger, lines } = captureLogs('gateway');
    const config = testConfig({ DATABASE_URL: database.url, TEMPORAL_TASK_QUEUE: taskQueue });
    const context = await NestFactory.createApplicationContext({ module: TimersOnly, imports: [InfrastructureModule.forRoot(config, logger), TimerModule] }, { logger: false });
    const gateway = { context, lines };
    gateways.push(gateway);
    return gateway;
  }
  const messages = (lines: string[], msg: string) => lines.map((l) => JSON.parse(l)).filter((l) => l.msg === msg);
  const rule = (name: string, parameters: Record<string, unknown>): RuleRecord => ({
    ref: `timers.${name}`, pack: 'timers', name, description: '', enabled: true, type: 'standard', trigger: { type: INTERVAL, parameters }, criteria: {}, action: { ref: 'core.noop', parameters: {} }, context: {}, createdBy: 'test',
  });
  const describeSchedule = (parameters: Record<string, unknown>) => () =>
    client.schedule
      .getHandle(timerScheduleId({ type: INTERVAL, parameters }, taskQueue))
      .describe()
      .catch((error: unknown): ScheduleDescription | undefined => {
        if (error instanceof ScheduleNotFoundError) return undefined;
        throw error;
      });

  beforeAll(async () => {
    database = await createTestDatabase();
    rules = new RuleRepository(database.db);
    await new PackRepository(database.db).upsert({ ref: 'timers', name: 'timers', description: '', version: '1.0.0', author: 'test', keywords: [], dependencies: [], path: '/nonexistent', metadata: {} });
    connection = await Connection.connect({ address: testConfig().temporal.address });
    client = new Client({ connection, namespace: testConfig().temporal.namespace });
  });

  afterAll(async () => {
    for (const { context } of gateways) await context.close();
    for (const ref of ['timers.early', 'timers.late']) await rules.delete(ref);
    for (const parameters of [{ unit: 'hours', delta: 1 }, { unit: 'hours', delta: 2 }]) {
      await client.schedule.getHandle(timerScheduleId({ type: INTERVAL, parameters }, taskQueue)).delete().catch(() => undefined);
    }
    await connection.close();
    await database.drop();
  });

  it('schedules timers at start and follows rule changes on every replica, each change made once', async () => {
    await rules.create(rule('early', { unit: 'hours', delta: 1 }));
    const [a, b] = await Promise.all([startGateway(), startGateway()]);
    await eventually(describeSchedule({ unit: 'hours', delta: 1 }), 'the schedule of a rule that existed at start');

    await rules.create(rule('late', { unit: 'hours', delta: 2 }));
    await eventually(describeSchedule({ unit: 'hours', delta: 2 }), 'the schedule of a new rule');
    await rules.setEnabled('timers.late', false);
    await eventually(async () => ((await describeSchedule({ unit: 'hours', delta: 2 })())?.state.paused ? true : undefined), 'the schedule to pause');

    const created = [...messages(a.lines, 'timer schedule created'), ...messages(b.lines, 'timer schedule created')];
    expect(created.map((l) => l.rules)).toEqual(expect.arrayContaining([['timers.early'], ['timers.late']]));
    expect(created).toHaveLength(2);
    expect([...a.lines, ...b.lines].filter((l) => ['warn', 'error', 'fatal'].includes(JSON.parse(l).level))).toEqual([]);
  });

  it('creates nothing again when a gateway restarts', async () => {
    for (const { context } of gateways.splice(0)) await context.close();
    const restarted = await startGateway();
    const [pass] = await eventually(async () => {
      const passes = messages(restarted.lines, 'timer schedules reconciled');
      return passes.length > 0 ? passes : undefined;
    }, 'the first pass');
    expect(pass).toMatchObject({ created: 0, deleted: 0, unchanged: 2 });
  });

  it('deletes the schedule of a deleted rule', async () => {
    await rules.delete('timers.early');
    await eventually(async () => ((await describeSchedule({ unit: 'hours', delta: 1 })()) ? undefined : true), 'the schedule to go');
  });
});
