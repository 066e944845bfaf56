import { sql } from 'kysely';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { ApiKeyRepository } from '@tempest/db';
import { captureLogs, createTestDatabase, testConfig, type TestDatabase } from '@tempest/testing';
import { createGatewayApp } from '../app';
import { hashApiKey } from '../auth/api-key.service';
import { KeyValueController } from './key-value.controller';

const ADMIN_KEY = 'tpst_test-admin-key-keys-0123456789';
const SECRET = 'hunter2-very-secret-value';

async function listen(app: NestFastifyApplication): Promise<string> {
  await app.listen({ host: '127.0.0.1', port: 0 });
  return `http://127.0.0.1:${(app.getHttpServer().address() as { port: number }).port}/api/v1/keys`;
}

describe(KeyValueController.name, () => {
  let database: TestDatabase;
  let app: NestFastifyApplication;
  let keys: string;
  let logs: string[];
  /** Every body the API answered, to prove the secret never left without decrypt. */
  const answered: string[] = [];
  const apiKeys: Record<string, string> = { admin: ADMIN_KEY, alice: 'tpst_alice-key-0123456789abcdef', bob: 'tpst_bob-key-0123456789abcdef00' };

  async function call(as: string, method: string, path: string, body?: unknown): Promise<{ status: number; body: any }> { // eslint-disable-line @typescript-eslint/no-explicit-any
    const headers: Record<string, string> = { 'X-Api-Key': apiKeys[as] };
    if (body !== undefined) headers['content-type'] = 'application/json';
    const response = await fetch(`${keys}${path}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
    const text = await response.text();
    if (!path.includes('decrypt=true')) answered.push(text);
    return { status: response.status, body: text ? JSON.parse(text) : undefined };
  }

  beforeAll(async () => {
    database = await createTestDatabase();
    for (const user of ['alice', 'bob']) {
      await new ApiKeyRepository(database.db).upsert({ name: user, keyHash: hashApiKey(apiKeys[user]), keyPrefix: apiKeys[user].slice(0, 8), user });
    }
    const captured = captureLogs('gateway', 'trace');
    logs = captured.lines;
    app = await createGatewayApp(testConfig({ DATABASE_URL: database.url, TEMPEST_ADMIN_API_KEY: ADMIN_KEY, TEMPEST_LOG_LEVEL: 'trace' }), captured.logger);
    keys = await listen(app);
  });
  afterAll(async () => {
    await app.close();
    await database.drop();
  });

  it('sets, gets, lists by prefix and deletes a system key, with StackStorm\'s field names', async () => {
    const put = await call('alice', 'PUT', '/smtp.host', { value: 'mail.internal' });
    expect(put).toEqual({ status: 200, body: { name: 'smtp.host', value: 'mail.internal', secret: false, encrypted: false, scope: 'st2kv.system' } });
    await call('alice', 'PUT', '/smtp.port', { name: 'smtp.port', value: '25', scope: 'st2kv.system' });
    await call('alice', 'PUT', '/web.host', { value: 'www' });
    expect((await call('bob', 'GET', '/smtp.host')).body).toMatchObject({ name: 'smtp.host', value: 'mail.internal' });
    expect((await call('bob', 'GET', '?prefix=smtp.')).body.map((k: { name: string }) => k.name)).toEqual(['smtp.host', 'smtp.port']);

    expect((await call('bob', 'DELETE', '/smtp.port')).status).toBe(204);
    expect(await call('bob', 'GET', '/smtp.port')).toMatchObject({ status: 404, body: { message: 'no key "smtp.port" in scope system' } });
    expect(await call('bob', 'DELETE', '/smtp.port')).toMatchObject({ status: 404 });
  });

  it('masks a secret in every answer, and gives it only with decrypt=true', async () => {
    const put = await call('alice', 'PUT', '/db.password', { value: SECRET, secret: true });
    expect(put).toEqual({ status: 200, body: { name: 'db.password', value: '********', secret: true, encrypted: true, scope: 'st2kv.system' } });
    expect((await call('bob', 'GET', '/db.password')).body).toMatchObject({ value: '********', encrypted: true });
    expect((await call('bob', 'GET', '/db.password?decrypt=false')).body).toMatchObject({ value: '********' });
    expect((await call('bob', 'GET', '?prefix=db.')).body).toEqual([expect.objectContaining({ name: 'db.password', value: '********' })]);
    expect((await call('bob', 'GET', '/db.password?decrypt=true')).body).toMatchObject({ value: SECRET, secret: true, encrypted: false });
    expect((await call('bob', 'GET', '?prefix=db.&decrypt=true')).body).toEqual([expect.objectContaining({ value: SECRET })]);

    const { rows } = await sql`select * from key_value_pairs where name = 'db.password'`.execute(database.db);
    expect(JSON.stringify(rows)).not.toContain(SECRET);
    expect(answered.join('\n')).not.toContain(SECRET);
  });

  it('keeps user-scope keys to their owner: others get 403, the admin may manage them but not decrypt them', async () => {
    expect((await call('alice', 'PUT', '/token', { value: SECRET, secret: true, scope: 'user' })).body).toMatchObject({ scope: 'st2kv.user', user: 'alice', value: '********' });
    expect((await call('alice', 'GET', '/token?scope=user&decrypt=true')).body).toMatchObject({ value: SECRET, user: 'alice' });
    expect(await call('bob', 'GET', '/token?scope=user')).toMatchObject({ status: 404, body: { message: 'no key "token" in scope user of "bob"' } });
    expect(await call('bob', 'GET', '/token?scope=user&user=alice')).toMatchObject({ status: 403, body: { message: 'the user-scope keys of "alice" are theirs: you are "bob"' } });
    expect((await call('bob', 'PUT', '/token', { value: 'x', scope: 'user', user: 'alice' })).status).toBe(403);
    expect((await call('bob', 'DELETE', '/token?scope=user&user=alice')).status).toBe(403);
    expect((await call('bob', 'GET', '?scope=user&user=alice')).status).toBe(403);

    expect((await call('admin', 'GET', '/token?scope=user&user=alice')).body).toMatchObject({ value: '********', user: 'alice' });
    expect(await call('admin', 'GET', '/token?scope=user&user=alice&decrypt=true')).toMatchObject({ status: 403, body: { message: 'only "alice" may decrypt their secrets' } });
    expect((await call('admin', 'GET', '?scope=all&user=alice')).body.map((k: { scope: string; name: string }) => `${k.scope}:${k.name}`)).toEqual(
      expect.arrayContaining(['st2kv.system:smtp.host', 'st2kv.user:token']),
    );
    expect((await call('alice', 'GET', '?scope=user')).body).toEqual([expect.objectContaining({ name: 'token', value: '********' })]);
    expect(answered.join('\n')).not.toContain(SECRET);
  });

  it('expires a key after its TTL', async () => {
    const put = await call('alice', 'PUT', '/lease', { value: 'v', ttl: 3600 });
    expect(Date.parse(put.body.expire_timestamp) - Date.now()).toBeGreaterThan(3590_000);
    await sql`update key_value_pairs set expire_at = now() - interval '1 second' where name = 'lease'`.execute(database.db);
    expect((await call('alice', 'GET', '/lease')).status).toBe(404);
    expect((await call('alice', 'GET', '?prefix=lease')).body).toEqual([]);
  });

  it('refuses bad input with a 400 naming the problem', async () => {
    const problems = async (method: string, path: string, body?: unknown) => {
      const answer = await call('alice', method, path, body);
      expect(answer.status).toBe(400);
      return answer.body.message;
    };
    expect(await problems('PUT', '/k', { value: 5, ttl: 0, scope: 'global', colour: 'red' })).toEqual(
      expect.arrayContaining(['property colour should not exist', 'value must be a string (StackStorm stores text; serialise objects as JSON)', 'ttl must be at least 1 second', 'scope must be system or user (or st2kv.system, st2kv.user)']),
    );
    expect(await problems('PUT', '/k', { name: 'other', value: 'v' })).toBe('name "other" in the body differs from "k" in the path');
    expect(await problems('PUT', '/has%20space', { value: 'v' })).toMatch(/^key name "has space" is invalid/);
    expect(await problems('PUT', '/k', { value: 'v', user: 'bob' })).toBe('user applies only to scope user');
    expect(await problems('GET', '/k?decrypt=maybe')).toEqual(['decrypt must be true or false']);
    expect(await problems('GET', '?scope=everything')).toEqual(['scope must be system, user or all (or st2kv.system, st2kv.user)']);
  });

  it('never writes a secret to the logs', () => {
    expect(logs.length).toBeGreaterThan(0);
    expect(logs.join('\n')).not.toContain(SECRET);
  });

  it('needs an API key', async () => {
    expect((await fetch(`${keys}/smtp.host`)).status).toBe(401);
  });

  describe('without a datastore key', () => {
    it('refuses a secret with a 400 saying what to set, and stores nothing; plain keys still work', async () => {
      const keyless = await createGatewayApp(testConfig({ DATABASE_URL: database.url, TEMPEST_DATASTORE_KEY: '' }), captureLogs().logger);
      try {
        const url = await listen(keyless);
        const put = (name: string, body: unknown) => fetch(`${url}/${name}`, { method: 'PUT', headers: { 'X-Api-Key': ADMIN_KEY, 'content-type': 'application/json' }, body: JSON.stringify(body) });
        const refused = await put('keyless.secret', { value: SECRET, secret: true });
        expect(refused.status).toBe(400);
        expect(await refused.json()).toMatchObject({ message: 'keyless.secret: secrets need the datastore key: set TEMPEST_DATASTORE_KEY or TEMPEST_DATASTORE_KEY_FILE (npm start generates one in .data/datastore-key)' });
        expect((await sql`select 1 from key_value_pairs where name = 'keyless.secret'`.execute(database.db)).rows).toEqual([]);
        expect((await put('keyless.plain', { value: 'v' })).status).toBe(200);
      } finally {
        await keyless.close();
      }
    });

    it('stops start-up on an unreadable key file, naming the variable', async () => {
      await expect(createGatewayApp(testConfig({ DATABASE_URL: database.url, TEMPEST_DATASTORE_KEY_FILE: '/nonexistent/datastore-key' }), captureLogs().logger)).rejects.toThrow(
        'TEMPEST_DATASTORE_KEY_FILE="/nonexistent/datastore-key": cannot read it (ENOENT)',
      );
    });
  });
});
