import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { ActionRepository, ExecutionRepository, PackRepository } from '@tempest/db';
import { captureLogs, createTestDatabase, testConfig, uniqueName, type TestDatabase } from '@tempest/testing';
import { createGatewayApp } from '../app';

const ADMIN_KEY = 'tpst_test-admin-key-output-text-0123456';

/**
 * StackStorm's client (`st2 execution tail` of a finished execution) reads GET …/output as
 * st2's API answers it: the output as text, one stream with `output_type`. Tempest's own
 * clients ask for JSON (Accept, or its `after`/`wait`) and get the chunks.
 */
describe('GET /executions/{id}/output as text', () => {
  let database: TestDatabase;
  let app: NestFastifyApplication;
  let base: string;
  let id: string;

  const get = (path: string, headers: Record<string, string> = {}) => fetch(`${base}/api/v1${path}`, { headers: { 'St2-Api-Key': ADMIN_KEY, ...headers } });

  beforeAll(async () => {
    database = await createTestDatabase();
    await new PackRepository(database.db).upsert({ ref: 'text', name: 'text', description: 'd', version: '1.0.0', author: 'a', keywords: [], dependencies: [], path: '/packs/text', metadata: {} });
    await new ActionRepository(database.db).replaceForPack('text', [
      { ref: 'text.noop', pack: 'text', name: 'noop', description: 'noop', runnerType: 'noop', enabled: true, parameters: {}, tags: [], metadataFile: 'actions/noop.yaml', metadata: {} },
    ]);
    // A task queue no worker serves: the test writes the output as the worker would.
    app = await createGatewayApp(testConfig({ DATABASE_URL: database.url, TEMPEST_ADMIN_API_KEY: ADMIN_KEY, TEMPORAL_TASK_QUEUE: uniqueName('unserved') }), captureLogs('gateway', 'error').logger);
    await app.listen({ host: '127.0.0.1', port: 0 });
    base = `http://127.0.0.1:${(app.getHttpServer().address() as { port: number }).port}`;
    const created = await fetch(`${base}/api/v1/executions`, { method: 'POST', headers: { 'X-Api-Key': ADMIN_KEY, 'content-type': 'application/json' }, body: JSON.stringify({ action: 'text.noop' }) });
    id = ((await created.json()) as { id: string }).id;
    const worker = new ExecutionRepository(database.db);
    await worker.appendOutput(id, 1, [
      { seq: 0, stream: 'stdout', data: 'one\n' },
      { seq: 1, stream: 'stderr', data: 'warning\n' },
      { seq: 2, stream: 'stdout', data: 'two\n' },
    ]);
  });
  afterAll(async () => {
    await app?.close();
    await database?.drop();
  });

  it('answers the output as text/plain, in the order written, as st2client asks for it', async () => {
    const response = await get(`/executions/${id}/output`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/plain/);
    expect(await response.text()).toBe('one\nwarning\ntwo\n');
  });

  it('answers one stream with output_type, and 400 naming output_type for another', async () => {
    expect(await (await get(`/executions/${id}/output?output_type=stdout`)).text()).toBe('one\ntwo\n');
    expect(await (await get(`/executions/${id}/output?output_type=stderr`)).text()).toBe('warning\n');
    const bad = await get(`/executions/${id}/output?output_type=console`);
    expect(bad.status).toBe(400);
    expect(await bad.json()).toMatchObject({ message: ['output_type must be stdout or stderr'] });
  });

  it('answers 404 for an unknown execution', async () => {
    expect((await get('/executions/nope/output')).status).toBe(404);
  });

  it("still answers Tempest's JSON chunks when asked for JSON, or for what follows a chunk", async () => {
    const json = await get(`/executions/${id}/output`, { accept: 'application/json' });
    expect(json.headers.get('content-type')).toMatch(/^application\/json/);
    expect(await json.json()).toMatchObject({ status: 'scheduled', chunks: [{ stream: 'stdout', data: 'one\n' }, { stream: 'stderr' }, { stream: 'stdout' }] });
    const after = (await (await get(`/executions/${id}/output?after=0`)).json()) as { chunks: unknown[] };
    expect(after.chunks).toHaveLength(3);
    expect(((await (await get(`/executions/${id}/output?wait=0`)).json()) as { chunks: unknown[] }).chunks).toHaveLength(3);
  });
});
