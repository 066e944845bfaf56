import { randomUUID } from 'node:crypto';
import { createTestDatabase, type TestDatabase } from '@tempest/testing';
import { ExecutionRepository } from './execution.repository';
import { RuleEnforcementRepository } from './rule-enforcement.repository';
import { TraceRepository } from './trace.repository';
import { TriggerInstanceRepository } from './trigger-instance.repository';

describe(TraceRepository.name, () => {
  let database: TestDatabase;
  let sut: TraceRepository;
  const execution = async (parentId?: string, context: Record<string, unknown> = {}) =>
    (
      await new ExecutionRepository(database.db).create({
        id: randomUUID(), actionRef: 'core.noop', pack: 'core', runnerType: 'noop', parameters: {}, secrets: {}, context: { user: 'u', source: 'rule', ...context }, parentId,
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

  it("groups each trace's instances, enforcements and executions (a run from the API in the trace named after it), and finds traces by what they hold", async () => {
    const instances = new TriggerInstanceRepository(database.db);
    const add = async (traceTag: string, context: Record<string, unknown> = {}) => {
      const id = randomUUID();
      await instances.create({ id, trigger: 't', parameters: {}, payload: {}, status: 'processed', traceTag, source: 'test', context });
      return { id };
    };
    const event = await add('event');
    const started = await execution(undefined, { trace_tag: 'event' });
    const task = await execution(started, { trace_tag: 'event' });
    await new RuleEnforcementRepository(database.db).record({ triggerInstanceId: event.id, ruleRef: 'ops.on_event', executionId: started });
    const run = await execution(undefined, {});
    const runTask = await execution(run, { trace_tag: run });
    const ended = await add(run, { execution_id: run });

    const traces = await sut.getTraces(['event', run, 'none'], 10);
    expect(traces.get('event')).toMatchObject({ instances: [{ id: event.id }], enforcements: [{ rule_ref: 'ops.on_event', execution_id: started }] });
    expect(traces.get('event')!.executions.map((e) => e.id)).toEqual([started, task]);
    expect(traces.get(run)).toMatchObject({ instances: [{ id: ended.id }], enforcements: [] });
    expect(traces.get(run)!.executions.map((e) => e.id)).toEqual([run, runTask]);
    expect(traces.get('none')).toEqual({ instances: [], enforcements: [], executions: [] });

    const found = async (filter: object) => (await sut.search({ limit: 10, offset: 0, ...filter })).map((t) => t.trace_tag);
    expect(await found({ execution: task })).toEqual(['event']);
    expect(await found({ execution: runTask })).toEqual([run]);
    expect(await found({ rule: 'ops.on_event' })).toEqual(['event']);
    expect(await found({ triggerInstance: ended.id })).toEqual([run]);
    expect(await found({ traceTag: 'event' })).toEqual(['event']);
    expect(await found({ execution: 'no-such-execution' })).toEqual([]);
  });
});
