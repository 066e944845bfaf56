import { createTestDatabase, type TestDatabase } from '@tempest/testing';
import { ApiKeyRepository } from './api-key.repository';

describe(ApiKeyRepository.name, () => {
  let database: TestDatabase;
  let sut: ApiKeyRepository;

  beforeAll(async () => {
    database = await createTestDatabase();
    sut = new ApiKeyRepository(database.db);
  });
  afterAll(() => database.drop());

  it('finds a key by its hash only', async () => {
    const created = await sut.upsert({ name: 'ci', keyHash: 'hash-ci', keyPrefix: 'tpst_abc', user: 'robot' });
    expect(await sut.getByHash('hash-ci')).toMatchObject({ id: created.id, user: 'robot', enabled: true });
    expect(await sut.getByHash('unknown')).toBeUndefined();
  });

  it('rotates a named key in place: the old key stops working', async () => {
    const first = await sut.upsert({ name: 'admin', keyHash: 'hash-1', keyPrefix: 'p1', user: 'admin' });
    const second = await sut.upsert({ name: 'admin', keyHash: 'hash-2', keyPrefix: 'p2', user: 'admin' });
    expect(second.id).toBe(first.id);
    expect(await sut.getByHash('hash-1')).toBeUndefined();
    expect(await sut.getByHash('hash-2')).toMatchObject({ name: 'admin' });
  });

  it('records when a key was last used', async () => {
    const key = await sut.upsert({ name: 'touch', keyHash: 'hash-touch', keyPrefix: 'p', user: 'u' });
    const at = new Date('2026-01-02T03:04:05Z');
    await sut.touch(key.id, at);
    expect((await sut.getByHash('hash-touch'))?.last_used_at).toEqual(at);
  });
});
