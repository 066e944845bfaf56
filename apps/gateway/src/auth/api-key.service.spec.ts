import { ActionTokenRepository, ApiKeyRepository } from '@tempest/db';
import { captureLogs, createTestDatabase, testConfig, type TestDatabase } from '@tempest/testing';
import { LookupCache } from '../common/lookup-cache';
import { ApiKeyService, hashApiKey } from './api-key.service';

describe(ApiKeyService.name, () => {
  let database: TestDatabase;
  let keys: ApiKeyRepository;
  let sut: ApiKeyService;
  const key = 'tpst_test-key-single-flight-0123456789';

  beforeAll(async () => {
    database = await createTestDatabase();
    keys = new ApiKeyRepository(database.db);
    const config = testConfig({ DATABASE_URL: database.url });
    const { logger } = captureLogs('gateway', 'warn');
    sut = new ApiKeyService(keys, new ActionTokenRepository(database.db), config, logger, new LookupCache(config, logger));
    await keys.upsert({ name: 'storm', keyHash: hashApiKey(key), keyPrefix: key.slice(0, 8), user: 'alertmanager' });
  });
  afterAll(() => database.drop());

  it('answers requests with the same key at the same moment from one lookup, and reads the key again afterwards', async () => {
    const lookups = jest.spyOn(keys, 'getByHash');
    const principals = await Promise.all(Array.from({ length: 20 }, () => sut.authenticate(key)));
    expect(lookups).toHaveBeenCalledTimes(1);
    expect(principals).toEqual(Array(20).fill(expect.objectContaining({ user: 'alertmanager' })));

    // Nothing is kept beyond the lookup: a key disabled since is refused at once.
    await database.db.updateTable('api_keys').set({ enabled: false }).where('key_hash', '=', hashApiKey(key)).execute();
    expect(await sut.authenticate(key)).toBeUndefined();
    expect(lookups).toHaveBeenCalledTimes(2);
    expect(await sut.authenticate('tpst_unknown-key-0123456789')).toBeUndefined();
  });
});
