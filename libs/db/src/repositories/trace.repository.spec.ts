import { randomUUID } from 'node:crypto';
import { createTestDatabase, type TestDatabase } from '@tempest/testing';
import { ExecutionRepository } from './execution.repository';
import { TraceRepository } from './trace.repository';
import { TriggerInstanceRepository } from './trigger-instance.repository';

describe(TraceRepository.name, () => {
  let database: TestDatabase;
  let sut: TraceRepository;
  const execution = async (parentId?: string) =>
    (
      await new ExecutionRepository(database.db).create({
        id: randomUUID(), actionRef: 'core.noop', pack: 'core', runnerType: 'noop', parameters: {}, secrets: {}, context: { user: 'u', source: 'rule' }, parentId,
      })
    ).id;

  beforeAll(async () => {
    database = await createTestDatabase();
    sut = new TraceRepository(database.db);
  });
  afterAll(() => database.drop());

  it('finds the executions a trace started and every one they started in turn, and nothing else', async () => {
    const root = await execution();
    const child = await execution(root);
    const grandchild = await execution(child);
    const other = await execution();
    await execution(other);
    expect((await sut.executionTree([root])).map((e) => e.id)).toEqual([root, child, grandchild]);
    expect(await sut.executionTree([])).toEqual([]);
  });

  it('lists traces newest first, with how many trigger instances each holds', async () => {
    const instances = new TriggerInstanceRepository(database.db);
    const add = (traceTag: string, at: string) => instances.create({ id: randomUUID(), trigger: 't', parameters: {}, payload: {}, status: 'pending', traceTag, source: 'test', occurrenceTime: new Date(at) });
    await add('old', '2020-01-01T00:00:00Z');
    await add('new', '2021-01-01T00:00:00Z');
    await add('old', '2022-01-01T00:00:00Z');
    expect((await sut.search({ limit: 10, offset: 0 })).map((t) => [t.trace_tag, t.trigger_instances])).toEqual([['new', 1], ['old', 2]]);
  });
});
