import { setTimeout as delay } from 'node:timers/promises';
import { sql } from 'kysely';
import { createTestDatabase, type TestDatabase } from '@tempest/testing';
import { KeyValuePairRepository, type KeyValuePairWrite } from './key-value-pair.repository';

describe(KeyValuePairRepository.name, () => {
  let database: TestDatabase;
  let sut: KeyValuePairRepository;
  const plain = (name: string, value: string, overrides: Partial<KeyValuePairWrite> = {}): KeyValuePairWrite => ({
    scope: 'system', user: '', name, value, secret: false, encryptedValue: null, ...overrides,
  });

  beforeAll(async () => {
    database = await createTestDatabase();
    sut = new KeyValuePairRepository(database.db);
  });
  afterAll(() => database.drop());

  it('creates, then replaces a key, returning the value it replaced', async () => {
    const created = await sut.upsert(plain('app.version', '1'));
    expect(created.previous).toBeUndefined();
    expect(created.current).toMatchObject({ scope: 'system', user: '', name: 'app.version', value: '1', secret: false, expire_at: null });
    const replaced = await sut.upsert(plain('app.version', '2'));
    expect(replaced.previous).toMatchObject({ value: '1' });
    expect(replaced.current).toMatchObject({ value: '2', created_at: created.current.created_at });
    expect(replaced.current.updated_at.getTime()).toBeGreaterThanOrEqual(created.current.updated_at.getTime());
  });

  it('keeps system keys and each user\'s keys of the same name apart', async () => {
    await sut.upsert(plain('shared', 'system'));
    await sut.upsert(plain('shared', 'alice', { scope: 'user', user: 'alice' }));
    await sut.upsert(plain('shared', 'bob', { scope: 'user', user: 'bob' }));
    expect(await sut.get({ scope: 'system', user: '', name: 'shared' })).toMatchObject({ value: 'system' });
    expect(await sut.get({ scope: 'user', user: 'alice', name: 'shared' })).toMatchObject({ value: 'alice' });
    expect((await sut.search({ owners: [{ scope: 'system', user: '' }, { scope: 'user', user: 'bob' }], prefix: 'shared' })).map((k) => k.value)).toEqual(['system', 'bob']);
  });

  it('lists by prefix literally: % and _ are not wildcards', async () => {
    for (const name of ['db.host', 'db.port', 'db_user', 'dbx', 'web.host']) await sut.upsert(plain(name, 'v'));
    const names = async (prefix?: string) => (await sut.search({ owners: [{ scope: 'system', user: '' }], prefix })).map((k) => k.name);
    expect(await names('db.')).toEqual(['db.host', 'db.port']);
    expect(await names('db_')).toEqual(['db_user']);
    expect(await names('%')).toEqual([]);
    expect(await names()).toEqual(expect.arrayContaining(['db.host', 'dbx', 'web.host']));
  });

  it('never returns an expired key, and writing over one creates it anew', async () => {
    await sut.upsert(plain('ttl.old', 'stale'));
    await sql`update key_value_pairs set expire_at = now() - interval '1 second', created_at = now() - interval '1 day' where name = 'ttl.old'`.execute(database.db);
    expect(await sut.get({ scope: 'system', user: '', name: 'ttl.old' })).toBeUndefined();
    expect((await sut.search({ owners: [{ scope: 'system', user: '' }], prefix: 'ttl.' })).map((k) => k.name)).not.toContain('ttl.old');
    const rewritten = await sut.upsert(plain('ttl.old', 'fresh'));
    expect(rewritten.previous).toBeUndefined();
    expect(Date.now() - rewritten.current.created_at.getTime()).toBeLessThan(60_000);
  });

  it('expires a key after its TTL', async () => {
    const { current } = await sut.upsert(plain('ttl.short', 'v', { ttlSeconds: 1 }));
    expect(current.expire_at!.getTime() - current.updated_at.getTime()).toBe(1000);
    expect(await sut.get({ scope: 'system', user: '', name: 'ttl.short' })).toMatchObject({ value: 'v' });
    const deadline = Date.now() + 10_000;
    while ((await sut.get({ scope: 'system', user: '', name: 'ttl.short' })) && Date.now() < deadline) await delay(50);
    expect(await sut.get({ scope: 'system', user: '', name: 'ttl.short' })).toBeUndefined();
    expect(await sut.purgeExpired()).toBeGreaterThanOrEqual(1);
    expect(await sql`select 1 from key_value_pairs where name = 'ttl.short'`.execute(database.db)).toMatchObject({ rows: [] });
  });

  it('deletes a key, reporting whether it existed', async () => {
    await sut.upsert(plain('gone', 'v'));
    expect(await sut.delete({ scope: 'system', user: '', name: 'gone' })).toMatchObject({ name: 'gone', value: 'v' });
    expect(await sut.delete({ scope: 'system', user: '', name: 'gone' })).toBeUndefined();
  });

  it('refuses to store a secret without its ciphertext, or with a clear value', async () => {
    await expect(sut.upsert(plain('leak', 'hunter2', { secret: true }))).rejects.toThrow(/key_value_pairs_secret_encrypted/);
    await expect(sut.upsert(plain('leak', 'hunter2', { secret: true, encryptedValue: Buffer.from('x') }))).rejects.toThrow(/key_value_pairs_secret_encrypted/);
    const stored = await sut.upsert(plain('sealed', '', { secret: true, value: null, encryptedValue: Buffer.from([1, 2, 3]) }));
    expect(stored.current.encrypted_value).toEqual(Buffer.from([1, 2, 3]));
    expect(await sut.get({ scope: 'system', user: '', name: 'leak' })).toBeUndefined();
  });
});
