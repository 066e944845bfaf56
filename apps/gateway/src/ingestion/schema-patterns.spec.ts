import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { ActionRepository, PackRepository, TriggerTypeRepository } from '@tempest/db';
import { captureLogs, createTestDatabase, testConfig, uniqueName, type TestDatabase } from '@tempest/testing';
import { createGatewayApp } from '../app';

// JSON-schema `pattern`s of action parameters and trigger payloads are
// checked against what API callers and webhook senders write: a pattern that
// backtracks must not stall the gateway's event loop.

const ADMIN_KEY = 'tpst_test-admin-key-patterns-0123456789';
const CATASTROPHIC = '(a+)+$';

describe('schema patterns against untrusted values, end to end', () => {
  let database: TestDatabase;
  let app: NestFastifyApplication;
  let base: string;

  const post = async (path: string, body: unknown) => {
    const started = performance.now();
    const response = await fetch(`${base}/api/v1${path}`, { method: 'POST', headers: { 'X-Api-Key': ADMIN_KEY, 'content-type': 'application/json' }, body: JSON.stringify(body) });
    return { status: response.status, text: await response.text(), ms: performance.now() - started };
  };

  beforeAll(async () => {
    database = await createTestDatabase();
    await new PackRepository(database.db).upsert({ ref: 'ops', name: 'ops', description: 'd', version: '1.0.0', author: 'a', keywords: [], dependencies: [], path: '/packs/ops', metadata: {} });
    await new ActionRepository(database.db).replaceForPack('ops', [
      { ref: 'ops.greet', pack: 'ops', name: 'greet', description: 'greet', runnerType: 'noop', enabled: true, parameters: { who: { type: 'string', pattern: CATASTROPHIC } }, tags: [], metadataFile: 'actions/greet.yaml', metadata: {} },
    ]);
    await new TriggerTypeRepository(database.db).replaceForPack('ops', [
      { ref: 'ops.alert', pack: 'ops', name: 'alert', description: 'alert', parametersSchema: {}, payloadSchema: { type: 'object', properties: { host: { type: 'string', pattern: CATASTROPHIC } } }, metadataFile: 'triggers/alert.yaml' },
    ]);
    // A task queue no worker serves: nothing needs to run.
    app = await createGatewayApp(testConfig({ DATABASE_URL: database.url, TEMPEST_ADMIN_API_KEY: ADMIN_KEY, TEMPORAL_TASK_QUEUE: uniqueName('unserved') }), captureLogs('gateway', 'warn').logger);
    await app.listen({ host: '127.0.0.1', port: 0 });
    base = `http://127.0.0.1:${(app.getHttpServer().address() as { port: number }).port}`;
  });
  afterAll(async () => {
    await app?.close();
    await database?.drop();
  });

  // A backtracking engine takes seconds at 28 characters (so today's failure is quick) and years at 40.
  it.each([28, 40])('answers 400 at once for an action parameter of %i characters against a catastrophic pattern', async (length) => {
    const answer = await post('/executions', { action: 'ops.greet', parameters: { who: `${'a'.repeat(length)}!` } });
    expect(answer.ms).toBeLessThan(1000);
    expect(answer.status).toBe(400);
    expect(answer.text).toContain(`who: does not match ${CATASTROPHIC}`);
  });

  it.each([28, 40])('answers 400 at once for a dispatched payload of %i characters against a catastrophic pattern', async (length) => {
    const answer = await post('/webhooks/st2', { trigger: 'ops.alert', payload: { host: `${'a'.repeat(length)}!` } });
    expect(answer.ms).toBeLessThan(1000);
    expect(answer.status).toBe(400);
    expect(answer.text).toContain(`payload.host: does not match ${CATASTROPHIC}`);
  });
});
