import { ApiKeyRepository, PackConfigRepository, PackRepository } from '@tempest/db';
import { captureLogs, createTestDatabase, eventually, testConfig, type TestDatabase } from '@tempest/testing';
import { CachedApiKeyRepository, CachedPackConfigRepository } from './cached-repositories';
import { LookupCache } from './lookup-cache';

describe(LookupCache.name, () => {
  let database: TestDatabase;
  let sut: LookupCache;
  let loads: number;
  const load = (value: string | undefined) => async () => {
    loads += 1;
    return value;
  };

  /** Resolves once the cache listens: a lookup is then kept. */
  const listening = () =>
    eventually(async () => {
      await sut.get('actions', 'probe', load('kept'));
      const before = loads;
      await sut.get('actions', 'probe', load('kept'));
      return loads === before;
    }, 'the lookup cache to listen');

  beforeAll(async () => {
    database = await createTestDatabase();
    sut = new LookupCache(testConfig({ DATABASE_URL: database.url }), captureLogs().logger);
    sut.onApplicationBootstrap();
  });
  beforeEach(() => (loads = 0));
  afterAll(async () => {
    await sut.onApplicationShutdown();
    await database.drop();
  });

  it('looks up once, then answers from memory', async () => {
    await listening();
    loads = 0;
    expect(await sut.get('pack_configs', 'ops', load('config'))).toBe('config');
    expect(await sut.get('pack_configs', 'ops', load('other'))).toBe('config');
    expect(loads).toBe(1);
  });

  it('keeps what is absent too, until a row is created anywhere', async () => {
    await listening();
    loads = 0;
    expect(await sut.get('pack_configs', 'none', load(undefined))).toBeUndefined();
    expect(await sut.get('pack_configs', 'none', load('found'))).toBeUndefined();
    expect(loads).toBe(1);
    const configs = new CachedPackConfigRepository(database.db, undefined, sut);
    expect(await configs.getByPack('web')).toBeUndefined();
    await new PackRepository(database.db).upsert({ ref: 'web', name: 'web', description: '', version: '1.0.0', author: 'a', keywords: [], dependencies: [], path: '/packs/web', metadata: {} });
    await new PackConfigRepository(database.db).upsert({ pack: 'web', schema: {}, values: { region: 'eu' } });
    await eventually(async () => (await configs.getByPack('web'))?.values.region === 'eu', 'the created config to be seen');
  });

  it('forgets an API key as soon as another process changes the table', async () => {
    await listening();
    const keys = new ApiKeyRepository(database.db);
    const cached = new CachedApiKeyRepository(database.db, sut);
    const key = await keys.upsert({ name: 'ci', keyHash: 'hash-ci', keyPrefix: 'tpst_ci', user: 'ci' });
    expect((await cached.getByHash('hash-ci'))!.enabled).toBe(true);
    // Another process disables it, writing to Postgres directly: Postgres tells this one.
    await database.db.updateTable('api_keys').set({ enabled: false }).where('id', '=', key.id).execute();
    await eventually(async () => (await cached.getByHash('hash-ci'))!.enabled === false, 'the disabled key to be seen disabled');
  });

  it('does not keep a lookup that was under way when the table changed', async () => {
    await listening();
    let finish!: (value: string) => void;
    const slow = sut.get('actions', 'ops.racing', () => new Promise<string>((resolve) => (finish = resolve)));
    sut.forget('actions'); // the change lands while the read is under way
    finish('read before the change');
    expect(await slow).toBe('read before the change');
    loads = 0;
    expect(await sut.get('actions', 'ops.racing', load('read after the change'))).toBe('read after the change');
    expect(loads).toBe(1);
  });
});
