import { createTestDatabase, type TestDatabase } from '@tempest/testing';
import { ExecutionRepository } from './execution.repository';
import { ActionTokenRepository } from './action-token.repository';

describe(ActionTokenRepository.name, () => {
  let database: TestDatabase;
  let sut: ActionTokenRepository;
  const inAMinute = () => new Date(Date.now() + 60_000);

  beforeAll(async () => {
    database = await createTestDatabase();
    sut = new ActionTokenRepository(database.db);
    const executions = new ExecutionRepository(database.db);
    for (const id of ['e1', 'e2']) {
      await executions.create({ id, actionRef: 'core.noop', pack: 'core', runnerType: 'noop', parameters: {}, secrets: {}, context: { user: 'alice', source: 'api' } });
    }
  });
  afterAll(() => database.drop());

  it('finds a token by its hash until it expires', async () => {
    await sut.create({ tokenHash: 'h-valid', executionId: 'e1', user: 'alice', expiresAt: inAMinute() });
    await sut.create({ tokenHash: 'h-expired', executionId: 'e1', user: 'alice', expiresAt: new Date(Date.now() - 1000) });
    expect(await sut.getValid('h-valid')).toMatchObject({ execution_id: 'e1', user: 'alice' });
    expect(await sut.getValid('h-expired')).toBeUndefined();
    expect(await sut.getValid('h-unknown')).toBeUndefined();
  });

  it("revokes every token of one execution and no other's", async () => {
    await sut.create({ tokenHash: 'h-e2', executionId: 'e2', user: 'alice', expiresAt: inAMinute() });
    await sut.deleteByExecution('e1');
    expect(await sut.getValid('h-valid')).toBeUndefined();
    expect(await sut.getValid('h-e2')).toBeDefined();
  });
});
