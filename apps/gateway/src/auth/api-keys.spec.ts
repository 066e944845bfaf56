import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { captureLogs, createTestDatabase, testConfig, uniqueName, type TestDatabase } from '@tempest/testing';
import { createGatewayApp } from '../app';

const ADMIN_KEY = 'tpst_test-admin-key-apikeys-0123456789';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

// API keys made, read, disabled, enabled and deleted through the API, as
// StackStorm's `st2 apikey create|get|disable|enable|delete` call it.
describe('API keys', () => {
  let database: TestDatabase;
  let app: NestFastifyApplication;
  let base: string;

  async function call(key: string, method: string, path: string, body?: unknown): Promise<{ status: number; body: Json }> {
    const headers: Record<string, string> = { 'St2-Api-Key': key };
    if (body !== undefined) headers['content-type'] = 'application/json';
    const response = await fetch(`${base}/api/v1${path}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
    const text = await response.text();
    return { status: response.status, body: text ? JSON.parse(text) : undefined };
  }
  const asAdmin = (method: string, path: string, body?: unknown) => call(ADMIN_KEY, method, path, body);

  beforeAll(async () => {
    database = await createTestDatabase();
    const config = testConfig({ DATABASE_URL: database.url, TEMPEST_ADMIN_API_KEY: ADMIN_KEY, TEMPORAL_TASK_QUEUE: uniqueName('unserved') });
    app = await createGatewayApp(config, captureLogs('gateway').logger);
    await app.listen({ host: '127.0.0.1', port: 0 });
    base = `http://127.0.0.1:${(app.getHttpServer().address() as { port: number }).port}`;
  });
  afterAll(async () => {
    await app.close();
    await database.drop();
  });

  it('creates a key for a user, answered once and never stored, that acts as that user', async () => {
    const created = await asAdmin('POST', '/apikeys', { user: 'ci', metadata: { used_by: 'nightly deploys' } });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ id: expect.any(String), uid: `api_key:${created.body.id}`, user: 'ci', metadata: { used_by: 'nightly deploys' }, enabled: true, key: expect.stringMatching(/^tpst_[A-Za-z0-9_-]{43}$/) });
    const key = created.body.key as string;
    expect((await call(key, 'GET', '/user')).body).toMatchObject({ username: 'ci' });

    const listed = (await asAdmin('GET', '/apikeys')).body as unknown as Json[];
    expect(listed.find((k) => k.id === created.body.id)).toMatchObject({ user: 'ci', metadata: { used_by: 'nightly deploys' }, key_prefix: key.slice(0, 8) });
    expect(JSON.stringify(listed)).not.toContain(key);
    const rows = await database.db.selectFrom('api_keys').selectAll().execute();
    expect(JSON.stringify(rows)).not.toContain(key);
  });

  it('makes a key for the caller when no user is named', async () => {
    const created = await asAdmin('POST', '/apikeys', {});
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ user: 'admin', metadata: {} });
  });

  it('gets a key by id or by the key itself, disables and enables it as st2 does (PUT of what it read), and deletes it', async () => {
    const { body: created } = await asAdmin('POST', '/apikeys', { user: 'grafana' });
    const key = created.key as string;
    const { body: got } = await asAdmin('GET', `/apikeys/${created.id}`);
    expect(got).toMatchObject({ id: created.id, user: 'grafana', enabled: true });
    expect(got).not.toHaveProperty('key');
    expect((await asAdmin('GET', `/apikeys/${key}`)).body).toEqual(got);

    const disabled = await asAdmin('PUT', `/apikeys/${created.id}`, { ...got, enabled: false });
    expect(disabled).toMatchObject({ status: 200, body: { id: created.id, enabled: false } });
    expect((await call(key, 'GET', '/user')).status).toBe(401);
    expect((await asAdmin('PUT', `/apikeys/${created.id}`, { ...got, enabled: true })).body).toMatchObject({ enabled: true });
    expect((await call(key, 'GET', '/user')).status).toBe(200);

    expect((await asAdmin('DELETE', `/apikeys/${created.id}`)).status).toBe(204);
    expect((await call(key, 'GET', '/user')).status).toBe(401);
    const missing = await asAdmin('GET', `/apikeys/${created.id}`);
    expect(missing.status).toBe(404);
    expect(missing.body.faultstring).toContain(created.id);
    expect((await asAdmin('DELETE', `/apikeys/${created.id}`)).status).toBe(404);
  });

  it('refuses bad input, naming the field, and changes nothing', async () => {
    const before = (await asAdmin('GET', '/apikeys')).body;
    const badMetadata = await asAdmin('POST', '/apikeys', { user: 'ci', metadata: 'nightly' });
    expect(badMetadata.status).toBe(400);
    expect(badMetadata.body.faultstring).toContain('metadata must be an object');
    expect((await asAdmin('POST', '/apikeys', { user: '' })).body.faultstring).toContain('user');
    const { body: created } = await asAdmin('POST', '/apikeys', { user: 'ci' });
    const badEnabled = await asAdmin('PUT', `/apikeys/${created.id}`, { enabled: 'yes' });
    expect(badEnabled.status).toBe(400);
    expect(badEnabled.body.faultstring).toContain('enabled must be true or false');
    expect((await asAdmin('GET', '/apikeys')).body).toHaveLength((before as unknown as Json[]).length + 1);
  });
});
