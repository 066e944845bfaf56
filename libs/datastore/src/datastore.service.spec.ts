import { randomBytes } from 'node:crypto';
import { sql } from 'kysely';
import { KeyValuePairRepository } from '@tempest/db';
import { createTestDatabase, type TestDatabase } from '@tempest/testing';
import { DatastoreService } from './datastore.service';
import { KeyValueDecryptError, KeyValueInputError } from './errors';
import type { KeyValueChangeEvent } from './events';

describe(DatastoreService.name, () => {
  let database: TestDatabase;
  let sut: DatastoreService;
  let events: KeyValueChangeEvent[];

  beforeAll(async () => {
    database = await createTestDatabase();
    sut = new DatastoreService(new KeyValuePairRepository(database.db), randomBytes(32));
    sut.onChange((event) => {
      events.push(event);
    });
  });
  beforeEach(() => (events = []));
  afterAll(() => database.drop());

  const rawRow = async (name: string) =>
    (await sql<Record<string, unknown>>`select value, encode(encrypted_value, 'escape') as sealed from key_value_pairs where name = ${name}`.execute(database.db)).rows[0];

  it('stores and reads plain values in system and user scope, as templates look them up', async () => {
    await sut.set({ scope: 'system', name: 'smtp.host' }, { value: 'mail.internal' });
    await sut.set({ scope: 'user', name: 'smtp.host', user: 'alice' }, { value: 'alice.mail' });
    expect(await sut.get('system', 'smtp.host', { decrypt: false })).toBe('mail.internal');
    expect(await sut.get('user', 'smtp.host', { user: 'alice', decrypt: false })).toBe('alice.mail');
    expect(await sut.get('user', 'smtp.host', { user: 'bob', decrypt: false })).toBeUndefined();
    expect(await sut.get('system', 'nope', { decrypt: true })).toBeUndefined();
    await expect(sut.get('user', 'smtp.host', { decrypt: false })).rejects.toThrow(/st2kv.user.smtp.host: user-scope keys need the acting user/);
  });

  it('encrypts a secret at rest and gives it in clear only with decrypt', async () => {
    const entry = await sut.set({ scope: 'system', name: 'api.token' }, { value: 'hunter2', secret: true });
    expect(entry).toMatchObject({ name: 'api.token', secret: true, encryptedValue: expect.any(String) });
    expect(entry.value).toBeUndefined();
    const row = await rawRow('api.token');
    expect(row.value).toBeNull();
    expect(JSON.stringify(row)).not.toContain('hunter2');

    expect((await sut.find({ scope: 'system', name: 'api.token' }, { decrypt: false }))?.value).toBeUndefined();
    expect((await sut.find({ scope: 'system', name: 'api.token' }, { decrypt: true }))?.value).toBe('hunter2');
    // As st2kv in StackStorm: without decrypt_kv a template gets the ciphertext, never the secret.
    const sealed = await sut.get('system', 'api.token', { decrypt: false });
    expect(sealed).toBe(entry.encryptedValue);
    expect(sealed).not.toContain('hunter2');
    expect(await sut.get('system', 'api.token', { decrypt: true })).toBe('hunter2');
  });

  it('refuses a ciphertext swapped onto another key in the database', async () => {
    await sut.set({ scope: 'user', name: 'pw', user: 'alice' }, { value: 'alice-secret', secret: true });
    await sut.set({ scope: 'user', name: 'pw', user: 'mallory' }, { value: 'mallory-secret', secret: true });
    await sql`update key_value_pairs set encrypted_value = (select encrypted_value from key_value_pairs where "user" = 'alice' and name = 'pw') where "user" = 'mallory' and name = 'pw'`.execute(database.db);
    await expect(sut.get('user', 'pw', { user: 'mallory', decrypt: true })).rejects.toThrow(KeyValueDecryptError);
    expect(await sut.get('user', 'pw', { user: 'alice', decrypt: true })).toBe('alice-secret');
  });

  it('refuses a secret when no datastore key is configured, storing nothing', async () => {
    const keyless = new DatastoreService(new KeyValuePairRepository(database.db), undefined);
    expect(keyless.secretsEnabled).toBe(false);
    await expect(keyless.set({ scope: 'system', name: 'nokey' }, { value: 'hunter2', secret: true })).rejects.toThrow(
      new KeyValueInputError('nokey: secrets need the datastore key: set TEMPEST_DATASTORE_KEY or TEMPEST_DATASTORE_KEY_FILE (npm start generates one in .data/datastore-key)'),
    );
    expect(await rawRow('nokey')).toBeUndefined();
    await expect(keyless.get('system', 'api.token', { decrypt: true })).rejects.toThrow(/secrets need the datastore key/);
  });

  it('refuses bad names and TTLs with the reason', async () => {
    await expect(sut.set({ scope: 'system', name: 'has space' }, { value: 'v' })).rejects.toThrow(/key name "has space" is invalid/);
    await expect(sut.set({ scope: 'system', name: 'k' }, { value: 'v', ttl: 0 })).rejects.toThrow(/ttl must be a whole number of seconds/);
    await expect(sut.set({ scope: 'system', name: 'k' }, { value: 'v', ttl: 1.5 })).rejects.toThrow(KeyValueInputError);
    await expect(sut.set({ scope: 'user', name: 'k' }, { value: 'v' })).rejects.toThrow(/need a user/);
  });

  it('lists by prefix, one scope or system and the user\'s together', async () => {
    for (const name of ['list.a', 'list.b']) await sut.set({ scope: 'system', name }, { value: name });
    await sut.set({ scope: 'user', name: 'list.c', user: 'carol' }, { value: 'c', secret: true });
    await sut.set({ scope: 'user', name: 'list.d', user: 'dave' }, { value: 'd' });
    const names = async (filter: Parameters<DatastoreService['list']>[0]) => (await sut.list(filter)).map((e) => `${e.user ?? ''}/${e.name}=${e.value ?? '(sealed)'}`);
    expect(await names({ scope: 'system', prefix: 'list.' })).toEqual(['/list.a=list.a', '/list.b=list.b']);
    expect(await names({ scope: 'all', user: 'carol', prefix: 'list.' })).toEqual(['/list.a=list.a', '/list.b=list.b', 'carol/list.c=(sealed)']);
    expect(await names({ scope: 'user', user: 'carol', prefix: 'list.', decrypt: true })).toEqual(['carol/list.c=c']);
  });

  it('sets a TTL, and a write without one makes the key permanent again', async () => {
    const timed = await sut.set({ scope: 'system', name: 'lease' }, { value: 'v', ttl: 3600 });
    expect(timed.expireAt!.getTime() - timed.updatedAt.getTime()).toBe(3600_000);
    expect((await sut.set({ scope: 'system', name: 'lease' }, { value: 'v' })).expireAt).toBeUndefined();
  });

  describe('change events', () => {
    it('emits create, then update with value_change only when the value changed, then delete, as StackStorm shapes them', async () => {
      await sut.set({ scope: 'user', name: 'ev', user: 'erin' }, { value: 'one', ttl: 60 });
      await sut.set({ scope: 'user', name: 'ev', user: 'erin' }, { value: 'one' });
      await sut.set({ scope: 'user', name: 'ev', user: 'erin' }, { value: 'two' });
      await sut.delete({ scope: 'user', name: 'ev', user: 'erin' });
      expect(events.map((e) => e.trigger)).toEqual([
        'core.st2.key_value_pair.create',
        'core.st2.key_value_pair.update',
        'core.st2.key_value_pair.update',
        'core.st2.key_value_pair.value_change',
        'core.st2.key_value_pair.delete',
      ]);
      expect(events[0].payload).toEqual({
        object: { uid: 'key_value_pair:st2kv.user:erin:ev', name: 'ev', value: 'one', secret: false, encrypted: false, scope: 'st2kv.user', user: 'erin', expire_timestamp: expect.any(String) },
      });
      expect(events[3].payload).toMatchObject({ old_object: { value: 'one' }, new_object: { value: 'two' } });
      expect(events[4].payload).toMatchObject({ object: { name: 'ev', value: 'two' } });
    });

    it('carries a secret\'s ciphertext, never its value, and compares the plaintext for value_change', async () => {
      await sut.set({ scope: 'system', name: 'ev.secret' }, { value: 'hunter2', secret: true });
      await sut.set({ scope: 'system', name: 'ev.secret' }, { value: 'hunter2', secret: true });
      await sut.set({ scope: 'system', name: 'ev.secret' }, { value: 'hunter3', secret: true });
      expect(events.map((e) => e.trigger.split('.').pop())).toEqual(['create', 'update', 'update', 'value_change']);
      expect(events[0].payload).toMatchObject({ object: { uid: 'key_value_pair:st2kv.system:ev.secret', secret: true, encrypted: true, scope: 'st2kv.system' } });
      expect(JSON.stringify(events)).not.toMatch(/hunter[23]/);
    });

    it('emits nothing for deleting a key that does not exist', async () => {
      expect(await sut.delete({ scope: 'system', name: 'never.was' })).toBeUndefined();
      expect(events).toEqual([]);
    });

    it('reports a failing listener without undoing the write', async () => {
      const reported: string[] = [];
      const withReporter = new DatastoreService(new KeyValuePairRepository(database.db), undefined, { onListenerError: (error, event) => reported.push(`${event.trigger}: ${(error as Error).message}`) });
      withReporter.onChange(() => Promise.reject(new Error('ingestion down')));
      await withReporter.set({ scope: 'system', name: 'ev.reported' }, { value: 'v' });
      expect(reported).toEqual(['core.st2.key_value_pair.create: ingestion down']);
      expect(await sut.get('system', 'ev.reported', { decrypt: false })).toBe('v');
    });

    it('stops calling a listener once unsubscribed', async () => {
      const seen: string[] = [];
      const stop = sut.onChange((event) => {
        seen.push(event.trigger);
      });
      await sut.set({ scope: 'system', name: 'ev.stop' }, { value: '1' });
      stop();
      await sut.set({ scope: 'system', name: 'ev.stop' }, { value: '2' });
      expect(seen).toEqual(['core.st2.key_value_pair.create']);
    });
  });
});
