import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { Client, Connection, ScheduleNotFoundError } from '@temporalio/client';
import { findRepoRoot } from '@tempest/config';
import { ActionRepository, PackRepository, TriggerInstanceRepository } from '@tempest/db';
import { captureLogs, createTestDatabase, eventually, testConfig, type TestDatabase, uniqueName } from '@tempest/testing';
import { createTempestWorker } from '../../../worker/src/worker';
import { workflowBundlePath } from '../../../worker/src/workflow-bundle';
import { createGatewayApp } from '../app';
import { timerScheduleId } from './timer-schedule';

const ADMIN_KEY = 'tpst_test-admin-key-timers-0123456789';
const INTERVAL = 'core.st2.IntervalTimer';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

// The whole way, as `npm start` runs it: a rule made through the API, its
// schedule in Temporal, fires run by a real worker, matched by the gateway's
// ingestion, and executions run by the worker.
describe('timer rules', () => {
  const config = testConfig({ TEMPORAL_TASK_QUEUE: uniqueName('timer-rules-test') });
  const parameters = { unit: 'seconds', delta: 1 };
  const scheduleId = timerScheduleId({ type: INTERVAL, parameters }, config.temporal.taskQueue);
  let database: TestDatabase;
  let gateway: NestFastifyApplication | undefined;
  let base: string;
  let connection: Connection;
  let client: Client;
  let stopWorker: () => Promise<void>;

  async function startGateway() {
    gateway = await createGatewayApp({ ...config, databaseUrl: database.url, adminApiKey: ADMIN_KEY }, captureLogs('gateway', 'warn').logger);
    await gateway.listen({ host: '127.0.0.1', port: 0 });
    base = `http://127.0.0.1:${(gateway.getHttpServer().address() as { port: number }).port}`;
  }
  const api = async (path: string, init: { method?: string; body?: unknown } = {}) => {
    const response = await fetch(`${base}/api/v1${path}`, {
      method: init.method ?? (init.body === undefined ? 'GET' : 'POST'),
      headers: { 'X-Api-Key': ADMIN_KEY, ...(init.body === undefined ? {} : { 'content-type': 'application/json' }) },
      body: init.body === undefined ? undefined : JSON.stringify(init.body),
    });
    return { status: response.status, body: response.status === 204 ? {} : ((await response.json()) as Json) };
  };
  const succeeded = async () => ((await api('/executions?action=timers.tick&status=succeeded&limit=100')).body as unknown as Json[]) ?? [];

  beforeAll(async () => {
    database = await createTestDatabase();
    await new PackRepository(database.db).upsert({ ref: 'timers', name: 'timers', description: 'd', version: '1.0.0', author: 'a', keywords: [], dependencies: [], path: '/packs/timers', metadata: {} });
    await new ActionRepository(database.db).replaceForPack('timers', [
      { ref: 'timers.tick', pack: 'timers', name: 'tick', description: 'tick', runnerType: 'noop', enabled: true, parameters: { at: { type: 'string', required: true } }, tags: [], metadataFile: 'actions/tick.yaml', metadata: {} },
    ]);
    connection = await Connection.connect({ address: config.temporal.address });
    client = new Client({ connection, namespace: config.temporal.namespace });
    const worker = await createTempestWorker({ config, logger: captureLogs('worker').logger, db: database.db, packsDir: '/nonexistent', workflowBundlePath: workflowBundlePath(findRepoRoot()) });
    const running = worker.run();
    stopWorker = async () => {
      worker.worker.shutdown();
      await running;
    };
    await startGateway();
  });

  afterAll(async () => {
    await client.schedule.getHandle(scheduleId).delete().catch(() => undefined);
    await gateway?.close();
    await stopWorker();
    await connection.close();
    await database.drop();
  });

  it('refuses a timer rule with invalid parameters, naming them', async () => {
    const response = await api('/rules', { body: { name: 'broken', pack: 'timers', trigger: { type: INTERVAL, parameters: { unit: 'fortnights', delta: 1 } }, action: { ref: 'timers.tick', parameters: { at: 'x' } } } });
    expect(response.status).toBe(400);
    expect(JSON.stringify(response.body.message)).toContain('unit');
  });

  it('refuses a cron timer its schema accepts but no schedule can run, naming the field', async () => {
    const response = await api('/rules', { body: { name: 'never', pack: 'timers', trigger: { type: 'core.st2.CronTimer', parameters: { hour: 25 } }, action: { ref: 'timers.tick', parameters: { at: 'x' } } } });
    expect(response.status).toBe(400);
    expect(response.body.message).toEqual([expect.stringMatching(/^trigger\.parameters\.hour: /)]);
  });

  it('runs the rule\'s action on every fire of an IntervalTimer, with the fire time from the trigger', async () => {
    const created = await api('/rules', { body: { name: 'tick', pack: 'timers', trigger: { type: INTERVAL, parameters }, action: { ref: 'timers.tick', parameters: { at: '{{ trigger.executed_at }}' } } } });
    expect(created.status).toBe(201);
    const executions = await eventually(async () => {
      const found = await succeeded();
      return found.length >= 2 ? found : undefined;
    }, 'two executions');
    for (const execution of executions) {
      expect(execution.parameters.at).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.000Z$/);
      expect(execution.context).toMatchObject({ rule: 'timers.tick' });
    }
    expect(new Set(executions.map((e) => e.parameters.at)).size).toBe(executions.length);
  });

  it('lists the timer the rule uses as StackStorm does (GET /timers, what `st2 timer list` shows), by type and by id', async () => {
    const expected = { id: scheduleId, uid: `trigger:core:${scheduleId}`, ref: `core.${scheduleId}`, name: scheduleId, pack: 'core', type: INTERVAL, parameters, rules: ['timers.tick'], enabled: true };
    expect((await api('/timers/')).body).toEqual([expect.objectContaining(expected)]);
    expect((await api(`/timers?timer_type=${INTERVAL}`)).body).toEqual([expect.objectContaining(expected)]);
    expect((await api('/timers?timer_type=core.st2.CronTimer')).body).toEqual([]);
    expect((await api(`/timers/${scheduleId}`)).body).toMatchObject(expected);
    const missing = await api('/timers/tempest-timer-nope');
    expect(missing.status).toBe(404);
    expect(missing.body.faultstring).toContain('tempest-timer-nope');
  });

  it('keeps firing while the gateway is down, and the restarted gateway runs what fired meanwhile, with the same one schedule', async () => {
    await gateway?.close();
    gateway = undefined;
    const instances = new TriggerInstanceRepository(database.db);
    const pending = await eventually(async () => {
      const found = await instances.search({ trigger: INTERVAL, status: 'pending', limit: 10, offset: 0 });
      return found.length > 0 ? found : undefined;
    }, 'a fire while no gateway runs');
    const createdAt = (await client.schedule.getHandle(scheduleId).describe()).info.createdAt;

    await startGateway();
    await eventually(async () => {
      const ran = new Set((await succeeded()).map((e) => e.parameters.at));
      return pending.every((instance) => ran.has(instance.payload.executed_at)) ? true : undefined;
    }, 'the fires made while the gateway was down to run');
    expect((await client.schedule.getHandle(scheduleId).describe()).info.createdAt).toEqual(createdAt);
    const timerSchedules: string[] = [];
    for await (const schedule of client.schedule.list()) if ((schedule.memo?.tempest as Json | undefined)?.taskQueue === config.temporal.taskQueue) timerSchedules.push(schedule.scheduleId);
    expect(timerSchedules).toEqual([scheduleId]);
  });

  it('deletes the schedule with the rule', async () => {
    expect((await api('/rules/timers.tick', { method: 'DELETE' })).status).toBe(204);
    await eventually(
      () =>
        client.schedule
          .getHandle(scheduleId)
          .describe()
          .then(
            () => undefined,
            (error: unknown) => (error instanceof ScheduleNotFoundError ? true : Promise.reject(error)),
          ),
      'the schedule to go',
    );
  });
});
