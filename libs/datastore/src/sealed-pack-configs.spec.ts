import { randomBytes } from 'node:crypto';
import { sql } from 'kysely';
import { PackConfigRepository, PackRepository } from '@tempest/db';
import { createTestDatabase, type TestDatabase } from '@tempest/testing';
import { KeyValueCipher } from './cipher';

// The datastore key seals packs' configs at rest (libs/db keeps them).
describe('pack configs sealed with the datastore key', () => {
  let database: TestDatabase;
  const cipher = new KeyValueCipher(randomBytes(32));
  let sut: PackConfigRepository;
  const schema = { token: { type: 'string', secret: true, default: 'default-hunter2' }, region: { type: 'string', default: 'eu' } };
  const rawRow = async (pack: string) => (await sql<Record<string, unknown>>`select pack, "schema"::text, "values"::text, encode(sealed, 'escape') as sealed from pack_configs where pack = ${pack}`.execute(database.db)).rows[0];

  beforeAll(async () => {
    database = await createTestDatabase();
    sut = new PackConfigRepository(database.db, cipher);
    for (const ref of ['alpha', 'beta', 'legacy', 'plain']) {
      await new PackRepository(database.db).upsert({ ref, name: ref, description: '', version: '1.0.0', author: 'test', keywords: [], dependencies: [], path: `/packs/${ref}`, metadata: {} });
    }
  });
  afterAll(() => database.drop());

  it('keeps values and schema (secret defaults included) encrypted, and gives them back in clear', async () => {
    expect(await sut.upsert({ pack: 'alpha', schema, values: { token: 'hunter2', region: 'eu' } })).toBe(true);
    const row = await rawRow('alpha');
    expect(row).toMatchObject({ schema: null, values: null, sealed: expect.any(String) });
    expect(JSON.stringify(row)).not.toMatch(/hunter2/);
    expect(await sut.getByPack('alpha')).toMatchObject({ pack: 'alpha', schema, values: { token: 'hunter2', region: 'eu' }, updated_at: expect.any(Date) });
    // The same config again changes nothing; another value does.
    expect(await sut.upsert({ pack: 'alpha', schema, values: { region: 'eu', token: 'hunter2' } })).toBe(false);
    expect(await sut.upsert({ pack: 'alpha', schema, values: { token: 'hunter3', region: 'eu' } })).toBe(true);
    await expect(new PackConfigRepository(database.db).getByPack('alpha')).rejects.toThrow('pack alpha: its config is sealed with the datastore key: set TEMPEST_DATASTORE_KEY or TEMPEST_DATASTORE_KEY_FILE');
  });

  it('refuses a config moved onto another pack', async () => {
    await sut.upsert({ pack: 'beta', schema, values: { token: 'beta-secret', region: 'us' } });
    await sql`update pack_configs set sealed = (select sealed from pack_configs where pack = 'alpha') where pack = 'beta'`.execute(database.db);
    await expect(sut.getByPack('beta')).rejects.toThrow(/^the config of pack beta cannot be decrypted/);
    // Registering it again writes it anew.
    expect(await sut.upsert({ pack: 'beta', schema, values: { token: 'beta-secret', region: 'us' } })).toBe(true);
    expect((await sut.getByPack('beta'))?.values).toEqual({ token: 'beta-secret', region: 'us' });
  });

  it('reads a config an older version wrote in clear, and seals it when the pack is registered again', async () => {
    await sql`insert into pack_configs (pack, "schema", "values") values ('legacy', ${JSON.stringify(schema)}, '{"token": "old-hunter2", "region": "eu"}')`.execute(database.db);
    expect((await sut.getByPack('legacy'))?.values).toEqual({ token: 'old-hunter2', region: 'eu' });
    expect(await sut.upsert({ pack: 'legacy', schema, values: { token: 'old-hunter2', region: 'eu' } })).toBe(false);
    expect(JSON.stringify(await rawRow('legacy'))).not.toContain('hunter2');
    expect((await sut.getByPack('legacy'))?.values).toEqual({ token: 'old-hunter2', region: 'eu' });
  });

  it('without a datastore key, stores a config only if it holds no secret', async () => {
    const keyless = new PackConfigRepository(database.db);
    await expect(keyless.upsert({ pack: 'plain', schema, values: { token: 'hunter2', region: 'eu' } })).rejects.toThrow('pack plain: its config holds secrets, which need the datastore key');
    const blank = { token: { type: 'string', secret: true, default: '' }, region: { type: 'string' } };
    expect(await keyless.upsert({ pack: 'plain', schema: blank, values: { token: '', region: 'eu' } })).toBe(true);
    expect(await rawRow('plain')).toMatchObject({ values: '{"token": "", "region": "eu"}', sealed: null });
  });
});
