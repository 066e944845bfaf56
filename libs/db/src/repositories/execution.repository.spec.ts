import { randomUUID } from 'node:crypto';
import { createTestDatabase, type TestDatabase } from '@tempest/testing';
import { NO_SECRET_KEY } from './execution-secret.repository';
import { ExecutionRepository, type NewExecution } from './execution.repository';

describe(ExecutionRepository.name, () => {
  let database: TestDatabase;
  let sut: ExecutionRepository;
  const request = (overrides: Partial<NewExecution> = {}): NewExecution => ({
    id: randomUUID(),
    actionRef: 'core.local',
    pack: 'core',
    runnerType: 'local-shell-cmd',
    parameters: { cmd: 'uptime', sudo_password: '********' },
    secrets: {},
    context: { user: 'admin', source: 'api' },
    ...overrides,
  });

  beforeAll(async () => {
    database = await createTestDatabase();
    sut = new ExecutionRepository(database.db);
  });
  afterAll(() => database.drop());

  it('records a request with its masked parameters', async () => {
    const created = await sut.create(request());
    expect(created).toMatchObject({ status: 'requested', parameters: { sudo_password: '********' }, workflow_id: created.id });
    expect(await sut.getSecrets(created.id)).toEqual({});
  });

  // Sealing them is tested with the datastore's cipher, in libs/datastore (sealed-execution-secrets.spec.ts).
  it('refuses secret values without the datastore key, recording nothing', async () => {
    const refused = request({ secrets: { sudo_password: 'hunter2' } });
    await expect(sut.create(refused)).rejects.toThrow(NO_SECRET_KEY);
    expect(await sut.getById(refused.id)).toBeUndefined();
  });

  it('moves statuses forward only, recording each change once', async () => {
    const { id } = await sut.create(request());
    expect(await sut.transition(id, 'running', { runId: 'run-1' })).toBe(true);
    expect(await sut.transition(id, 'running')).toBe(false);
    expect(await sut.transition(id, 'succeeded', { result: { stdout: 'up' } })).toBe(true);
    expect(await sut.transition(id, 'failed')).toBe(false);
    const execution = await sut.getById(id);
    expect(execution).toMatchObject({ status: 'succeeded', run_id: 'run-1', result: { stdout: 'up' } });
    expect(execution?.status_history.map((c) => c.status)).toEqual(['requested', 'running', 'succeeded']);
    expect(execution?.started_at).toBeInstanceOf(Date);
    expect(execution?.finished_at).toBeInstanceOf(Date);
  });

  it('pauses and resumes a running workflow, keeping when it first started', async () => {
    const { id } = await sut.create(request());
    await sut.transition(id, 'running', { at: new Date('2026-12-05T10:00:00.000Z') });
    for (const status of ['pausing', 'paused', 'resuming', 'running'] as const) expect(await sut.transition(id, status)).toBe(true);
    // A late write of a pause status the workflow already passed changes nothing.
    expect(await sut.transition(id, 'paused')).toBe(false);
    const execution = await sut.getById(id);
    expect(execution?.status_history.map((c) => c.status)).toEqual(['requested', 'running', 'pausing', 'paused', 'resuming', 'running']);
    expect(execution?.started_at?.toISOString()).toBe('2026-12-05T10:00:00.000Z');
  });

  it('records `scheduled` on the way to running when nothing recorded it yet, at the time given, and never twice', async () => {
    const scheduledAt = new Date('2026-12-05T10:00:00.000Z');
    const child = await sut.create(request());
    expect(await sut.transition(child.id, 'running', { runId: 'run-1', scheduledAt })).toBe(true);
    expect((await sut.getById(child.id))?.status_history).toEqual([
      { status: 'requested', at: expect.any(String) },
      { status: 'scheduled', at: scheduledAt.toISOString() },
      { status: 'running', at: expect.any(String) },
    ]);
    const started = await sut.create(request());
    await sut.advance(started.id, 'scheduled');
    expect(await sut.transition(started.id, 'running', { scheduledAt })).toBe(true);
    expect((await sut.getById(started.id))?.status_history.map((c) => c.status)).toEqual(['requested', 'scheduled', 'running']);
  });

  it('advances to a status before the end, answering the row as it is then, or nothing when refused', async () => {
    const { id } = await sut.create(request());
    expect(await sut.advance(id, 'scheduled')).toMatchObject({ id, status: 'scheduled', status_history: [{ status: 'requested' }, { status: 'scheduled' }] });
    expect(await sut.advance(id, 'scheduled')).toBeUndefined();
    await expect(sut.advance(id, 'succeeded')).rejects.toThrow('advance() is for statuses before the end, not succeeded');
  });

  it('tells an attempt that never started from one that started and one that finished', async () => {
    const { id } = await sut.create(request());
    expect(await sut.settleAttempt(id, 1, 1)).toEqual({ state: 'never-started' });
    // The silent dispatch wakes up late: it may no longer start the action; the next one may, once.
    expect(await sut.claimAttempt(id, 1, 1)).toBe(false);
    expect(await sut.claimAttempt(id, 1, 2)).toBe(true);
    expect(await sut.claimAttempt(id, 1, 2)).toBe(false);
    expect(await sut.settleAttempt(id, 1, 2)).toEqual({ state: 'started' });
    await sut.recordAttemptOutcome(id, 1, 2, { status: 'succeeded', result: { stdout: 'done' } });
    expect(await sut.settleAttempt(id, 1, 2)).toEqual({ state: 'finished', outcome: { status: 'succeeded', result: { stdout: 'done' } } });
    // Attempts of the retry policy are apart.
    expect(await sut.claimAttempt(id, 2, 1)).toBe(true);
  });

  it('writes each output chunk once, even when the write is retried', async () => {
    const { id } = await sut.create(request());
    const chunks = [{ seq: 0, stream: 'stdout' as const, data: 'a\n' }, { seq: 1, stream: 'stderr' as const, data: 'b\n' }];
    await sut.appendOutput(id, 1, chunks);
    await sut.appendOutput(id, 1, chunks);
    const output = await sut.getOutput(id);
    expect(output.map((c) => [c.stream, c.data])).toEqual([['stdout', 'a\n'], ['stderr', 'b\n']]);
    expect(await sut.getOutput(id, output[0].id)).toHaveLength(1);
  });

  it('reads the status and the output after a chunk in one query, as getById and getOutput would', async () => {
    const { id } = await sut.create(request());
    await sut.appendOutput(id, 1, [{ seq: 0, stream: 'stdout', data: 'a\n' }, { seq: 1, stream: 'stderr', data: 'b\n' }]);
    const all = await sut.getOutput(id);
    expect(await sut.statusAndOutput(id)).toEqual({ status: 'requested', chunks: all });
    expect(await sut.statusAndOutput(id, all[0].id)).toEqual({ status: 'requested', chunks: [all[1]] });
    expect(await sut.statusAndOutput(id, '9223372036854775807')).toEqual({ status: 'requested', chunks: [] });
    expect(await sut.statusAndOutput('no-such-execution')).toBeUndefined();
  });

  it('lists newest first, filtered and paginated', async () => {
    const user = `u-${randomUUID()}`;
    const ids = [];
    for (const actionRef of ['core.noop', 'core.local', 'core.noop']) ids.push((await sut.create(request({ actionRef, context: { user, source: 'cli' } }))).id);
    expect((await sut.search({ user, limit: 10, offset: 0 })).map((e) => e.id)).toEqual([...ids].reverse());
    expect((await sut.search({ user, action: 'core.noop', limit: 1, offset: 1 })).map((e) => e.id)).toEqual([ids[0]]);
    expect(await sut.search({ user, status: 'running', limit: 10, offset: 0 })).toEqual([]);
  });
});
