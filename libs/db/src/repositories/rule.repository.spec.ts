import { createTestDatabase, type TestDatabase } from '@tempest/testing';
import { PackRepository } from './pack.repository';
import { RuleRepository, type RuleRecord } from './rule.repository';

describe(RuleRepository.name, () => {
  let database: TestDatabase;
  let sut: RuleRepository;
  // Written so that a store sorting keys (jsonb sorts by length) would change the order.
  const criteria = { 'trigger.body.alerts[0].labels.instance': { type: 'exists' }, 'trigger.status': { type: 'equals', pattern: 'firing' }, 'trigger.a': { type: 'regex', pattern: 'x' } };
  const rule: RuleRecord = {
    ref: 'ops.disk', pack: 'ops', name: 'disk', description: '', enabled: true, type: 'standard', trigger: { type: 'core.st2.webhook', parameters: { url: 'alerts' } },
    criteria, action: { ref: 'core.noop', parameters: {} }, context: {}, metadataFile: 'rules/disk.yaml', createdBy: 'admin',
  };

  beforeAll(async () => {
    database = await createTestDatabase();
    sut = new RuleRepository(database.db);
    await new PackRepository(database.db).upsert({ ref: 'ops', name: 'ops', description: '', version: '1.0.0', author: 'a', keywords: [], dependencies: [], path: '/packs/ops', metadata: {} });
  });
  afterAll(() => database.drop());

  it('keeps criteria in the order they were written, since they are evaluated in that order', async () => {
    expect((await sut.replaceForPack('ops', [rule])).created).toEqual(['ops.disk']);
    expect(Object.keys((await sut.getByRef('ops.disk'))!.criteria)).toEqual(Object.keys(criteria));
    expect((await sut.replaceForPack('ops', [rule])).unchanged).toEqual(['ops.disk']);
    const reordered = { 'trigger.a': criteria['trigger.a'], 'trigger.status': criteria['trigger.status'], 'trigger.body.alerts[0].labels.instance': criteria['trigger.body.alerts[0].labels.instance'] };
    expect((await sut.replaceForPack('ops', [{ ...rule, criteria: reordered }])).updated).toEqual(['ops.disk']);
    expect(Object.keys((await sut.getByRef('ops.disk'))!.criteria)).toEqual(Object.keys(reordered));
  });
});
