import { randomUUID } from 'node:crypto';
import { ExecutionRepository, ExecutionRunRepository } from '@tempest/db';
import type { ConcurrencyPolicy } from '@tempest/domain';
import { createTestDatabase, type TestDatabase } from '@tempest/testing';
import { canceledByPolicy, startWithinPolicies } from './concurrency-admission';

describe(startWithinPolicies.name, () => {
  let database: TestDatabase;
  let executions: ExecutionRepository;

  beforeAll(async () => {
    database = await createTestDatabase();
    executions = new ExecutionRepository(database.db);
  });
  afterAll(() => database.drop());

  const serial: ConcurrencyPolicy = { ref: 'ops.deploy.serial', type: 'action.concurrency', threshold: 2, action: 'delay' };
  const perHost: ConcurrencyPolicy = { ref: 'ops.deploy.per_host', type: 'action.concurrency.attr', threshold: 1, action: 'cancel', attributes: ['host'] };

  async function scheduledRun(actionRef: string, parameters: Record<string, unknown> = {}): Promise<string> {
    const id = randomUUID();
    await executions.create({ id, actionRef, pack: 'ops', runnerType: 'local-shell-cmd', parameters, secrets: {}, context: { user: 'admin', source: 'api' } });
    await executions.transition(id, 'scheduled');
    return id;
  }
  /** What the worker does: the attempt claimed and the run marked `running`, in the admission's transaction. */
  const startRun = (id: string, actionRef: string, parameters: Record<string, unknown>, policies: ConcurrencyPolicy[]) =>
    startWithinPolicies(database.db, { executionId: id, actionRef, parameters }, policies, (trx) => new ExecutionRunRepository(trx).startAttempt(id, 1, 1, 'run'));

  it('lets exactly `threshold` of many runs racing on separate connections start; the others are delayed', async () => {
    const ids = await Promise.all(Array.from({ length: 8 }, () => scheduledRun('ops.race')));
    const answers = await Promise.all(ids.map((id) => startRun(id, 'ops.race', {}, [serial])));
    expect(answers.filter((a) => 'started' in a && a.started)).toHaveLength(2);
    const statuses = await Promise.all(ids.map(async (id) => (await executions.getById(id))!.status));
    expect([...statuses].sort()).toEqual(['delayed', 'delayed', 'delayed', 'delayed', 'delayed', 'delayed', 'running', 'running']);

    // A slot frees when a run ends: one delayed run starts, the next is delayed again (its history says so once).
    const running = ids.filter((_, i) => statuses[i] === 'running');
    const delayed = ids.filter((_, i) => statuses[i] === 'delayed');
    expect(await startRun(delayed[0], 'ops.race', {}, [serial])).toEqual({ held: { policy: serial, running: 2 } });
    await executions.transition(running[0], 'succeeded');
    expect(await startRun(delayed[0], 'ops.race', {}, [serial])).toEqual({ started: true });
    expect(await startRun(delayed[1], 'ops.race', {}, [serial])).toEqual({ held: { policy: serial, running: 2 } });
    expect((await executions.getById(delayed[1]))!.status_history.map((c) => c.status)).toEqual(['requested', 'scheduled', 'delayed']);
  });

  it('counts per value of the attributes, and cancels when the policy says so, naming it', async () => {
    const a1 = await scheduledRun('ops.hosts', { host: 'a', note: 1 });
    const b1 = await scheduledRun('ops.hosts', { host: 'b', note: 1 });
    const a2 = await scheduledRun('ops.hosts', { host: 'a', note: 2 });
    expect(await startRun(a1, 'ops.hosts', { host: 'a', note: 1 }, [perHost])).toEqual({ started: true });
    expect(await startRun(b1, 'ops.hosts', { host: 'b', note: 1 }, [perHost])).toEqual({ started: true });
    const held = await startRun(a2, 'ops.hosts', { host: 'a', note: 2 }, [perHost]);
    expect(held).toEqual({ held: { policy: perHost, running: 1 } });
    // Canceled, not delayed: the row is left for the end the worker records.
    expect((await executions.getById(a2))!.status).toBe('scheduled');
    expect(canceledByPolicy((held as { held: Parameters<typeof canceledByPolicy>[0] }).held, 'ops.hosts')).toBe(
      'canceled by policy "ops.deploy.per_host" (action.concurrency.attr, threshold 1): 1 run(s) of ops.hosts with the same host already running',
    );
  });

  it('does not count the run itself (a second action.retry attempt of a run that holds its slot)', async () => {
    const id = await scheduledRun('ops.retried');
    expect(await startRun(id, 'ops.retried', {}, [{ ...serial, threshold: 1 }])).toEqual({ started: true });
    const again = await startWithinPolicies(database.db, { executionId: id, actionRef: 'ops.retried', parameters: {} }, [{ ...serial, threshold: 1 }], (trx) => new ExecutionRunRepository(trx).startAttempt(id, 2, 1, 'run'));
    expect(again).toEqual({ started: true });
  });
});
