import { createHash, randomBytes } from 'node:crypto';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { ActionRepository, ActionTokenRepository, ExecutionRepository, PackRepository } from '@tempest/db';
import { captureLogs, createTestDatabase, testConfig, uniqueName, type TestDatabase } from '@tempest/testing';
import { createGatewayApp } from '../app';
import { ActionTokenPolicy } from './action-token.policy';

const ADMIN_KEY = 'tpst_test-admin-key-tokens-0123456789';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

describe(ActionTokenPolicy.name, () => {
  let database: TestDatabase;
  let app: NestFastifyApplication;
  let base: string;
  let executions: ExecutionRepository;
  /** The token the worker would hand execution `running` as ST2_ACTION_AUTH_TOKEN, minted the way it does. */
  const token = `tpat_${randomBytes(32).toString('base64url')}`;
  const running = uniqueName('running');

  const record = (id: string, parentId?: string) =>
    executions.create({ id, actionRef: 'ops.step', pack: 'ops', runnerType: 'noop', parameters: {}, secrets: {}, context: { user: 'admin', source: 'api' }, parentId });

  async function call(key: string, method: string, path: string, body?: unknown): Promise<{ status: number; body: Json }> {
    const headers: Record<string, string> = { 'X-Auth-Token': key, accept: 'application/json' };
    if (body !== undefined) headers['content-type'] = 'application/json';
    const response = await fetch(`${base}/api/v1${path}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
    const text = await response.text();
    return { status: response.status, body: text ? JSON.parse(text) : undefined };
  }
  const asAction = (method: string, path: string, body?: unknown) => call(token, method, path, body);
  const asAdmin = (method: string, path: string, body?: unknown) => call(ADMIN_KEY, method, path, body);

  beforeAll(async () => {
    database = await createTestDatabase();
    executions = new ExecutionRepository(database.db);
    await new PackRepository(database.db).upsert({ ref: 'ops', name: 'ops', description: 'd', version: '1.0.0', author: 'a', keywords: [], dependencies: [], path: '/packs/ops', metadata: {} });
    await new ActionRepository(database.db).replaceForPack('ops', [
      { ref: 'ops.step', pack: 'ops', name: 'step', description: 'step', runnerType: 'noop', enabled: true, parameters: {}, tags: [], metadataFile: 'actions/step.yaml', metadata: {} },
    ]);
    await record(running);
    // The execution runs as the admin: its token must still not carry the admin key's powers.
    await new ActionTokenRepository(database.db).create({
      tokenHash: createHash('sha256').update(token).digest('hex'),
      executionId: running,
      user: 'admin',
      expiresAt: new Date(Date.now() + 600_000),
    });
    // A task queue no worker serves: executions are recorded and started, and stay there.
    const config = testConfig({ DATABASE_URL: database.url, TEMPEST_ADMIN_API_KEY: ADMIN_KEY, TEMPORAL_TASK_QUEUE: uniqueName('unserved') });
    app = await createGatewayApp(config, captureLogs('gateway').logger);
    await app.listen({ host: '127.0.0.1', port: 0 });
    base = `http://127.0.0.1:${(app.getHttpServer().address() as { port: number }).port}`;
  });
  afterAll(async () => {
    await app.close();
    await database.drop();
  });

  it('reads and writes datastore keys as the execution\'s user, and decrypts a system secret it names', async () => {
    expect(await asAdmin('PUT', '/keys/db.password', { value: 's3cret-value', secret: true })).toMatchObject({ status: 200 });
    expect(await asAction('PUT', '/keys/progress', { value: 'half' })).toMatchObject({ status: 200, body: { name: 'progress', value: 'half' } });
    expect(await asAction('GET', '/keys/progress')).toMatchObject({ status: 200, body: { value: 'half' } });
    expect(await asAction('GET', '/keys/db.password?decrypt=true')).toMatchObject({ status: 200, body: { value: 's3cret-value' } });
    expect(await asAction('PUT', '/keys/mine?scope=st2kv.user', { value: 'x', scope: 'st2kv.user' })).toMatchObject({ status: 200, body: { user: 'admin' } });
    expect((await asAction('GET', '/keys')).body.find((k: Json) => k.name === 'db.password')).toMatchObject({ value: '********', encrypted: true });
    expect(await asAction('DELETE', '/keys/progress')).toMatchObject({ status: 204 });
  });

  it('may not list keys decrypted, nor reach other users\' keys as the admin', async () => {
    const listed = await asAction('GET', '/keys?decrypt=true');
    expect(listed).toMatchObject({ status: 403, body: { message: expect.stringMatching(/^an action's token may not list keys decrypted/) } });
    expect(JSON.stringify(listed.body)).not.toContain('s3cret-value');
    // The admin key itself may (so the refusal is the token's scope, not the key's).
    expect(await asAdmin('GET', '/keys?scope=st2kv.user&user=alice')).toMatchObject({ status: 200 });
    expect(await asAction('GET', '/keys?scope=st2kv.user&user=alice')).toMatchObject({ status: 403 });
    expect(await asAction('PUT', '/keys/k?scope=st2kv.user&user=alice', { value: 'x', scope: 'st2kv.user', user: 'alice' })).toMatchObject({ status: 403 });
  });

  it('starts an execution recorded as its child, and reads its own execution and its descendants', async () => {
    const started = await asAction('POST', '/executions', { action: 'ops.step' });
    expect(started).toMatchObject({ status: 201, body: { parent: running } });
    const grandchild = uniqueName('grandchild');
    await record(grandchild, started.body.id);
    for (const id of [running, started.body.id, grandchild]) {
      expect(await asAction('GET', `/executions/${id}`)).toMatchObject({ status: 200, body: { id } });
    }
    expect(await asAction('GET', `/executions/${grandchild}/output`)).toMatchObject({ status: 200, body: { chunks: [] } });
  });

  it('may not read another execution, even one its parent started', async () => {
    const other = uniqueName('other');
    await record(other);
    const sibling = uniqueName('sibling');
    await record(sibling, other);
    for (const id of [other, sibling, 'no-such-execution']) {
      expect(await asAction('GET', `/executions/${id}`)).toMatchObject({ status: 403, body: { message: `an action's token may not read execution ${id}: only its own execution (${running}) and those it started` } });
    }
    expect(await asAction('GET', `/executions/${other}/output`)).toMatchObject({ status: 403 });
    expect(await asAdmin('GET', `/executions/${other}`)).toMatchObject({ status: 200 });
  });

  it("dispatches triggers on both webhook routes, each instance recorded as from the execution's user", async () => {
    const rule = { name: 'from_actions', pack: 'ops', enabled: true, trigger: { type: 'core.st2.webhook', parameters: { url: 'from-actions' } }, action: { ref: 'ops.step' } };
    expect(await asAdmin('POST', '/rules', rule)).toMatchObject({ status: 201 });
    const byHook = await asAction('POST', '/webhooks/from-actions', { stage: 'done' });
    const generic = await asAction('POST', '/webhooks/st2', { trigger: 'core.st2.sensor.process_exit', payload: { object: { pid: 1 } } });
    expect([byHook.status, generic.status]).toEqual([202, 202]);
    for (const answer of [byHook, generic]) {
      expect(await asAdmin('GET', `/triggerinstances/${answer.body.trigger_instance_id}`)).toMatchObject({ status: 200, body: { context: { user: 'admin', execution: running } } });
    }
  });

  it.each([
    ['POST', '/packs/install', { source: 'https://example.com/pack.git' }],
    ['POST', '/packs/register', {}],
    ['DELETE', '/packs/ops', undefined],
    ['GET', '/packs/ops/config', undefined],
    ['POST', '/rules', { name: 'r', pack: 'ops', trigger: { type: 'core.st2.webhook', parameters: { url: 'x' } }, action: { ref: 'ops.step' } }],
    ['GET', '/rules', undefined],
    ['GET', '/apikeys', undefined],
    ['POST', '/apikeys', { user: 'admin' }],
    ['GET', '/executions', undefined],
    ['DELETE', '/executions/{running}', undefined],
    ['POST', '/executions/{running}/re_run', {}],
  ])('refuses %s %s with 403 saying what the token is for', async (method, path, body) => {
    const route = path.replace('{running}', running);
    const answer = await asAction(method, route, body);
    expect(answer.status).toBe(403);
    expect(answer.body.message).toMatch(new RegExp(`^an action's token may not call ${method} /api/v1/.*: it may read and write datastore keys, start executions`));
  });

  it('leaves nothing changed by a refused call', async () => {
    expect(await asAction('POST', '/rules', { name: 'sneaky', pack: 'ops', trigger: { type: 'core.st2.webhook', parameters: { url: 'x' } }, action: { ref: 'ops.step' } })).toMatchObject({ status: 403 });
    expect(await asAdmin('GET', '/rules/ops.sneaky')).toMatchObject({ status: 404 });
    expect(await asAdmin('GET', `/executions/${running}`)).toMatchObject({ status: 200, body: { status: 'requested' } });
  });
});
