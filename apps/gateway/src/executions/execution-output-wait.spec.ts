import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { ActionRepository, ExecutionRepository, PackRepository } from '@tempest/db';
import { captureLogs, createTestDatabase, eventually, testConfig, uniqueName, type TestDatabase } from '@tempest/testing';
import { createGatewayApp } from '../app';

const ADMIN_KEY = 'tpst_test-admin-key-output-wait-0123456';

/** `tempest run` and `st2 run` wait on GET …/output?wait: the answer comes when the worker writes, not at the next poll. */
describe('GET /executions/{id}/output?wait', () => {
  let database: TestDatabase;
  let app: NestFastifyApplication;
  let base: string;
  let worker: ExecutionRepository;
  let reads: jest.SpyInstance;
  let logs: ReturnType<typeof captureLogs>;

  const call = async (method: string, path: string, body?: unknown) => {
    const response = await fetch(`${base}/api/v1${path}`, {
      method,
      headers: { 'X-Api-Key': ADMIN_KEY, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return (await response.json()) as Record<string, unknown>;
  };

  beforeAll(async () => {
    database = await createTestDatabase();
    await new PackRepository(database.db).upsert({ ref: 'wait', name: 'wait', description: 'd', version: '1.0.0', author: 'a', keywords: [], dependencies: [], path: '/packs/wait', metadata: {} });
    await new ActionRepository(database.db).replaceForPack('wait', [
      { ref: 'wait.noop', pack: 'wait', name: 'noop', description: 'noop', runnerType: 'noop', enabled: true, parameters: {}, tags: [], metadataFile: 'actions/noop.yaml', metadata: {} },
    ]);
    logs = captureLogs('gateway', 'error');
    // A task queue no worker serves: the test plays the worker, writing to Postgres from a connection of its own.
    app = await createGatewayApp(testConfig({ DATABASE_URL: database.url, TEMPEST_ADMIN_API_KEY: ADMIN_KEY, TEMPORAL_TASK_QUEUE: uniqueName('unserved') }), logs.logger);
    await app.listen({ host: '127.0.0.1', port: 0 });
    base = `http://127.0.0.1:${(app.getHttpServer().address() as { port: number }).port}`;
    worker = new ExecutionRepository(database.db);
  });
  beforeEach(() => {
    reads = jest.spyOn(app.get(ExecutionRepository), 'statusAndOutput');
  });
  afterEach(() => reads?.mockRestore());
  afterAll(async () => {
    await app?.close();
    await database?.drop();
  });

  async function waiting(id: string, after?: string) {
    const answer = call('GET', `/executions/${id}/output?wait=30${after ? `&after=${after}` : ''}`);
    await eventually(() => reads.mock.calls.length > 0, 'the request to read the execution');
    return answer;
  }

  it('answers when another process records the end, reading the execution again only then', async () => {
    const { id } = (await call('POST', '/executions', { action: 'wait.noop', parameters: {} })) as { id: string };
    expect(id).toEqual(expect.any(String));
    reads.mockClear();
    const answer = waiting(id);
    // Running changes nothing the request waits for: it keeps waiting without reading again.
    await worker.transition(id, 'running');
    await worker.transition(id, 'succeeded', { result: {} });
    expect(await answer).toEqual({ status: 'succeeded', chunks: [] });
    // Once if both changes landed before its first look.
    expect(reads.mock.calls.length).toBeLessThanOrEqual(2);
  });

  it('answers when another process appends output', async () => {
    const { id } = (await call('POST', '/executions', { action: 'wait.noop', parameters: {} })) as { id: string };
    expect(id).toEqual(expect.any(String));
    reads.mockClear();
    const answer = waiting(id);
    await worker.appendOutput(id, 1, [{ seq: 0, stream: 'stdout', data: 'disk at 97%\n' }]);
    expect(await answer).toMatchObject({ status: 'scheduled', chunks: [{ stream: 'stdout', data: 'disk at 97%\n' }] });
    // Twice if the output landed while it was waiting, once if it landed just before its first look.
    expect(reads.mock.calls.length).toBeLessThanOrEqual(2);
  });
});
