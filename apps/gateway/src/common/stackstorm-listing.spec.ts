import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { captureLogs, createTestDatabase, testConfig, type TestDatabase } from '@tempest/testing';
import { createGatewayApp } from '../app';
import { StackStormListingInterceptor } from './stackstorm-listing';

const ADMIN_KEY = 'tpst_test-admin-key-listing-0123456789';
/** Three of each, a minute apart, oldest first. */
const TIMES = ['2026-01-01T10:00:00.000Z', '2026-01-01T10:01:00.000Z', '2026-01-01T10:02:00.000Z'];

// Listings that page in the database (their query extends PageQueryDto) must be sorted there:
// sorting one page of the newest rows would not give the oldest.
describe(StackStormListingInterceptor.name, () => {
  let database: TestDatabase;
  let app: NestFastifyApplication;
  let base: string;

  async function ids(path: string): Promise<string[]> {
    const response = await fetch(`${base}${path}`, { headers: { 'X-Api-Key': ADMIN_KEY } });
    expect(response.status).toBe(200);
    return ((await response.json()) as { id: string }[]).map((item) => item.id);
  }

  beforeAll(async () => {
    database = await createTestDatabase();
    await database.db
      .insertInto('trigger_instances')
      .values(TIMES.map((time, i) => ({ id: `instance-${i}`, trigger: 'core.st2.webhook', parameters: JSON.stringify({}), payload: JSON.stringify({}), occurrence_time: time, status: 'processed', trace_tag: `trace-${i}`, idempotency_key: null, source: 'webhook', error: null, updated_at: time })))
      .execute();
    await database.db
      .insertInto('executions')
      .values(TIMES.map((time, i) => ({ id: `execution-${i}`, action_ref: 'core.noop', pack: 'core', runner_type: 'noop', parameters: JSON.stringify({}), status: 'succeeded', status_history: JSON.stringify([]), context: JSON.stringify({}), result: null, parent_id: null, workflow_id: `execution-${i}`, run_id: null, created_at: time })))
      .execute();
    await database.db
      .insertInto('rule_enforcements')
      .values(TIMES.map((time, i) => ({ id: `enforcement-${i}`, trigger_instance_id: `instance-${i}`, rule_ref: 'core.rule', execution_id: `execution-${i}`, status: 'succeeded', failure_reason: null, enforced_at: time })))
      .execute();
    app = await createGatewayApp(testConfig({ DATABASE_URL: database.url, TEMPEST_ADMIN_API_KEY: ADMIN_KEY }), captureLogs('gateway', 'warn').logger);
    await app.listen({ host: '127.0.0.1', port: 0 });
    base = `http://127.0.0.1:${(app.getHttpServer().address() as { port: number }).port}/api/v1`;
  });
  afterAll(async () => {
    await app?.close();
    await database?.drop();
  });

  // Each listing by its time: traces by their first trigger instance, executions by when requested.
  it.each([
    ['/traces', 'trace'],
    ['/executions', 'execution'],
    ['/triggerinstances', 'instance'],
    ['/ruleenforcements', 'enforcement'],
  ])('%s: newest first, and the oldest first with sort_asc, a page at a time', async (path, name) => {
    const [oldest, middle, newest] = [0, 1, 2].map((i) => `${name}-${i}`);
    expect(await ids(`${path}?limit=2`)).toEqual([newest, middle]);
    expect(await ids(`${path}?limit=2&sort_desc=true`)).toEqual([newest, middle]);
    expect(await ids(`${path}?limit=2&sort_asc=true`)).toEqual([oldest, middle]);
    expect(await ids(`${path}?limit=2&offset=2&sort_asc=true`)).toEqual([newest]);
  });
});
