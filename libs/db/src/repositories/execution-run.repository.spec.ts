import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import { createTestDatabase, type TestDatabase } from '@tempest/testing';
import { ActionTokenRepository } from './action-token.repository';
import { ExecutionRunRepository, type ExecutionEnd } from './execution-run.repository';
import { ExecutionRepository } from './execution.repository';
import { PackRepository } from './pack.repository';
import { RuleRepository } from './rule.repository';

describe(ExecutionRunRepository.name, () => {
  let database: TestDatabase;
  let executions: ExecutionRepository;
  let sut: ExecutionRunRepository;
  const TRIGGER = 'core.st2.generic.actiontrigger';

  const newExecution = async () =>
    (await executions.create({ id: randomUUID(), actionRef: 'core.noop', pack: 'core', runnerType: 'noop', parameters: {}, secrets: {}, context: { user: 'admin', source: 'api' } })).id;
  const runningExecution = async () => {
    const id = await newExecution();
    await sut.startAttempt(id, 1, 1, 'run-1');
    return id;
  };

  const end = (id: string, overrides: Partial<ExecutionEnd> = {}): ExecutionEnd => ({
    status: 'succeeded',
    result: { ok: true },
    at: new Date('2026-12-05T10:00:00Z'),
    emits: [{ id: randomUUID(), trigger: TRIGGER, parameters: {}, payload: { execution_id: id }, status: 'pending', traceTag: id, idempotencyKey: id, source: 'actiontrigger', context: { execution_id: id } }],
    ...overrides,
  });

  const emitted = (id: string) => database.db.selectFrom('trigger_instances').select(['status', 'payload', 'trace_tag']).where('idempotency_key', '=', id).execute();

  beforeAll(async () => {
    database = await createTestDatabase();
    executions = new ExecutionRepository(database.db);
    sut = new ExecutionRunRepository(database.db);
  });
  afterAll(() => database.drop());

  it('claims an attempt and marks the execution running in one statement', async () => {
    const id = await newExecution();
    expect(await sut.startAttempt(id, 1, 1, 'run-1')).toBe(true);
    expect(await executions.getById(id)).toMatchObject({ status: 'running', run_id: 'run-1' });
    expect(await executions.settleAttempt(id, 1, 2)).toEqual({ state: 'started' });
  });

  it('records scheduled before running, at the time given, when the execution was still requested', async () => {
    const id = await newExecution();
    const scheduledAt = new Date('2026-12-05T09:59:59.000Z');
    expect(await sut.startAttempt(id, 1, 1, 'run-1', scheduledAt)).toBe(true);
    expect((await executions.getById(id))!.status_history).toEqual([
      { status: 'requested', at: expect.any(String) },
      { status: 'scheduled', at: scheduledAt.toISOString() },
      { status: 'running', at: expect.any(String) },
    ]);
  });

  it('changes nothing when the attempt was handed to another dispatch', async () => {
    const id = await newExecution();
    await executions.settleAttempt(id, 1, 1); // dispatch 1 went silent before starting: fenced, dispatch 2 may start it
    expect(await sut.startAttempt(id, 1, 1, 'run-1')).toBe(false);
    expect((await executions.getById(id))!.status).toBe('requested');
    expect(await sut.startAttempt(id, 1, 2, 'run-2')).toBe(true);
    expect((await executions.getById(id))!.status).toBe('running');
  });

  it('records the end with the attempt outcome, revoking tokens and secrets, and emits the actiontrigger once', async () => {
    const id = await runningExecution();
    await new ActionTokenRepository(database.db).create({ tokenHash: randomUUID(), executionId: id, user: 'admin', expiresAt: new Date(Date.now() + 60_000) });
    await database.db.insertInto('execution_secrets').values({ execution_id: id, values: JSON.stringify({ password: 'hunter2' }), sealed: null }).execute();

    expect(await sut.recordEnd(id, end(id, { attempt: { attempt: 1, dispatch: 1, outcome: { status: 'succeeded' } } }))).toBe(true);

    expect(await executions.getById(id)).toMatchObject({ status: 'succeeded', result: { ok: true }, finished_at: new Date('2026-12-05T10:00:00Z') });
    expect(await executions.settleAttempt(id, 1, 2)).toEqual({ state: 'finished', outcome: { status: 'succeeded' } });
    expect(await database.db.selectFrom('action_tokens').select('token_hash').where('execution_id', '=', id).execute()).toEqual([]);
    expect(await executions.getSecrets(id)).toEqual({});
    // No enabled rule listens: recorded, not queued for the gateways.
    expect(await emitted(id)).toEqual([{ status: 'processed', payload: { execution_id: id }, trace_tag: id }]);

    expect(await sut.recordEnd(id, end(id, { status: 'failed' }))).toBe(false);
    expect((await executions.getById(id))!.status).toBe('succeeded');
    expect(await emitted(id)).toHaveLength(1);
  });

  it('removes the secrets on a retried end too', async () => {
    const id = await runningExecution();
    await sut.recordEnd(id, end(id));
    await database.db.insertInto('execution_secrets').values({ execution_id: id, values: JSON.stringify({ password: 'hunter2' }), sealed: null }).execute();
    expect(await sut.recordEnd(id, end(id))).toBe(false);
    expect(await executions.getSecrets(id)).toEqual({});
  });

  it('queues the actiontrigger when an enabled rule listens for it', async () => {
    await new PackRepository(database.db).upsert({ ref: 'ops', name: 'ops', description: '', version: '1.0.0', author: 'a', keywords: [], dependencies: [], path: '/packs/ops', metadata: {} });
    await new RuleRepository(database.db).replaceForPack('ops', [
      { ref: 'ops.on_end', pack: 'ops', name: 'on_end', description: '', enabled: true, type: 'standard', trigger: { type: TRIGGER, parameters: {} }, criteria: {}, action: { ref: 'core.noop', parameters: {} }, context: {}, metadataFile: 'rules/on_end.yaml', createdBy: 'admin' },
    ]);
    const id = await runningExecution();
    await sut.recordEnd(id, end(id));
    expect((await emitted(id)).map((row) => row.status)).toEqual(['pending']);
  });

  it('emits every notifytrigger with the end, each queued only if a rule listens for its type, and none twice', async () => {
    const NOTIFY = 'core.st2.generic.notifytrigger';
    await new PackRepository(database.db).upsert({ ref: 'chat', name: 'chat', description: '', version: '1.0.0', author: 'a', keywords: [], dependencies: [], path: '/packs/chat', metadata: {} });
    await new RuleRepository(database.db).replaceForPack('chat', [
      { ref: 'chat.post', pack: 'chat', name: 'post', description: '', enabled: true, type: 'standard', trigger: { type: NOTIFY, parameters: {} }, criteria: {}, action: { ref: 'core.noop', parameters: {} }, context: {}, metadataFile: 'rules/post.yaml', createdBy: 'admin' },
    ]);
    const id = await runningExecution();
    const notification = (route: string) => ({ id: randomUUID(), trigger: NOTIFY, parameters: {}, payload: { execution_id: id, route }, status: 'pending' as const, traceTag: 'tag-1', idempotencyKey: `${id}:on-success:${route}`, source: 'notify', context: { execution_id: id } });
    const withNotifications = (): ExecutionEnd => ({ ...end(id), emits: [...end(id).emits, notification('slack'), notification('pager')] });
    const rows = () => database.db.selectFrom('trigger_instances').select(['trigger', 'status', 'payload', 'trace_tag', 'occurrence_time']).where(sql<string>`context->>'execution_id'`, '=', id).orderBy('trigger').orderBy('idempotency_key').execute();

    expect(await sut.recordEnd(id, withNotifications())).toBe(true);
    const at = new Date('2026-12-05T10:00:00Z');
    expect(await rows()).toEqual([
      { trigger: TRIGGER, status: expect.any(String), payload: { execution_id: id }, trace_tag: id, occurrence_time: at },
      { trigger: NOTIFY, status: 'pending', payload: { execution_id: id, route: 'pager' }, trace_tag: 'tag-1', occurrence_time: at },
      { trigger: NOTIFY, status: 'pending', payload: { execution_id: id, route: 'slack' }, trace_tag: 'tag-1', occurrence_time: at },
    ]);
    // A retried end records nothing more, whatever ids it carries.
    expect(await sut.recordEnd(id, withNotifications())).toBe(false);
    expect(await rows()).toHaveLength(3);
  });
});
