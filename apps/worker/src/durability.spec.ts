import { randomUUID } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client, Connection, type WorkflowHandle } from '@temporalio/client';
import { sql } from 'kysely';
import { Client as PgClient } from 'pg';
import { findRepoRoot } from '@tempest/config';
import { ExecutionRepository } from '@tempest/db';
import { createTestDatabase, eventually, runProcess, testServers, uniqueName, type RunningProcess, type TestDatabase } from '@tempest/testing';
import type { ActionOutcome } from '@tempest/workflows';

// A worker process killed (SIGKILL) at each moment of an execution: the next
// worker runs what never started, records what is known of what did, and the
// audit trail never calls `failed` an action that succeeded, nor runs one twice.
const entry = join(findRepoRoot(), 'dist/apps/worker/src/main.js');

describe('worker killed during an execution', () => {
  let database: TestDatabase;
  let executions: ExecutionRepository;
  let connection: Connection;
  let env: NodeJS.ProcessEnv;
  let taskQueue: string;
  const workers: RunningProcess[] = [];
  const groups: string[] = [];

  beforeAll(async () => {
    database = await createTestDatabase();
    executions = new ExecutionRepository(database.db);
    connection = await Connection.connect({ address: testServers().temporalAddress });
  });
  beforeEach(() => {
    taskQueue = uniqueName('tempest-actions-test');
    env = { DATABASE_URL: database.url, TEMPORAL_ADDRESS: testServers().temporalAddress, TEMPORAL_TASK_QUEUE: taskQueue };
  });
  afterEach(async () => {
    // A killed worker's command keeps its own process group; end it.
    for (const pidFile of groups.splice(0)) {
      try {
        process.kill(-Number(readFileSync(pidFile, 'utf8')), 'SIGKILL');
      } catch {
        // never started, or already gone
      }
    }
    for (const worker of workers.splice(0)) {
      worker.child.kill('SIGTERM');
      await worker.exited;
    }
  });
  afterAll(async () => {
    await connection.close();
    await database.drop();
  });

  async function startWorker(): Promise<RunningProcess> {
    const worker = runProcess(entry, env);
    workers.push(worker);
    await worker.printed(/"worker polling"/);
    return worker;
  }

  async function kill(worker: RunningProcess): Promise<void> {
    worker.child.kill('SIGKILL');
    await worker.exited;
  }

  /** Records the request as the gateway does, then starts its workflow. */
  async function start(cmd: string): Promise<{ id: string; handle: WorkflowHandle }> {
    const id = randomUUID();
    const parameters = { cmd, timeout: 120 };
    await executions.create({ id, actionRef: 'core.local', pack: 'core', runnerType: 'local-shell-cmd', parameters, secrets: {}, context: { user: 'admin', source: 'api' } });
    const handle = await new Client({ connection }).workflow.start('actionExecution', {
      taskQueue,
      workflowId: id,
      args: [{ executionId: id, action: { ref: 'core.local', pack: 'core', runnerType: 'local-shell-cmd' }, parameters, timeoutSeconds: 120 }],
    });
    return { id, handle };
  }

  /** Another connection holding a row lock, so the worker stops exactly where it needs that row. */
  async function lockRow(query: string, id: string): Promise<{ release(): Promise<void> }> {
    const client = new PgClient({ connectionString: database.url });
    await client.connect();
    await client.query('begin');
    await client.query(query, [id]);
    return {
      async release() {
        await client.query('rollback');
        await client.end();
      },
    };
  }

  async function waitingOnLock(): Promise<boolean> {
    const { rows } = await sql<{ n: number }>`select count(*)::int as n from pg_stat_activity where datname = current_database() and wait_event_type = 'Lock'`.execute(database.db);
    return rows[0]!.n > 0;
  }

  async function statuses(id: string): Promise<string[]> {
    return ((await executions.getById(id))?.status_history ?? []).map((c) => c.status);
  }

  it('dispatched but not started: the next worker runs the action, once', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tempest-crash-'));
    const first = await startWorker();
    const id = randomUUID();
    await executions.create({ id, actionRef: 'core.local', pack: 'core', runnerType: 'local-shell-cmd', parameters: {}, secrets: {}, context: { user: 'admin', source: 'api' } });
    // Held before the workflow starts: the activity stops at its first write, marking the execution running.
    const held = await lockRow('select id from executions where id = $1 for update', id);
    const handle = await new Client({ connection }).workflow.start('actionExecution', {
      taskQueue,
      workflowId: id,
      args: [{ executionId: id, action: { ref: 'core.local', pack: 'core', runnerType: 'local-shell-cmd' }, parameters: { cmd: `echo ran >> ${dir}/runs` }, timeoutSeconds: 120 }],
    });
    await eventually(waitingOnLock, 'the worker waiting to mark the execution running', 20_000);

    await kill(first);
    await held.release();
    await startWorker();
    const outcome: ActionOutcome = await handle.result();

    expect(outcome).toMatchObject({ status: 'succeeded', result: { stdout: '' } });
    expect(readFileSync(join(dir, 'runs'), 'utf8')).toBe('ran\n');
    expect(await statuses(id)).toEqual(['requested', 'scheduled', 'running', 'succeeded']);
  });

  it('killed while the action runs: recorded abandoned, not failed, and not run again', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tempest-crash-'));
    groups.push(join(dir, 'pid'));
    const first = await startWorker();
    const { id, handle } = await start(`echo $$ > ${dir}/pid; echo ran >> ${dir}/runs; echo started; sleep 60`);
    await eventually(async () => (await executions.getOutput(id)).some((c) => c.data.includes('started')), `the output of ${id}`, 20_000);

    await kill(first);
    await startWorker();
    const outcome: ActionOutcome = await handle.result();

    expect(outcome).toEqual({ status: 'abandoned', result: { error: expect.stringMatching(/^the action started, then its worker stopped answering \(.*HEARTBEAT.*\); whether it did its work is not known/) } });
    const row = await executions.getById(id);
    expect(row?.status_history.map((c) => c.status)).toEqual(['requested', 'scheduled', 'running', 'abandoned']);
    expect(row?.result).toEqual(outcome.result);
    expect(readFileSync(join(dir, 'runs'), 'utf8')).toBe('ran\n');
  });

  it('killed after the action finished, before Temporal heard of it: recorded succeeded with its result', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tempest-crash-'));
    const first = await startWorker();
    const { id, handle } = await start(`echo started; while [ ! -f ${dir}/go ]; do sleep 0.1; done; echo ran >> ${dir}/runs; echo finished`);
    await eventually(async () => (await executions.getOutput(id)).some((c) => c.data.includes('started')), `the output of ${id}`, 20_000);
    // The worker's last step before answering Temporal, revoking the run's token, waits on this lock.
    const lock = await lockRow('select token_hash from action_tokens where execution_id = $1 for update', id);
    writeFileSync(join(dir, 'go'), '');
    await eventually(async () => (await database.db.selectFrom('execution_attempts').select('state').where('execution_id', '=', id).executeTakeFirst())?.state === 'finished', 'the outcome stored by the worker', 20_000);
    await eventually(waitingOnLock, 'the worker waiting to revoke the token', 20_000);

    await kill(first);
    await lock.release();
    await startWorker();
    const outcome: ActionOutcome = await handle.result();

    expect(outcome).toMatchObject({ status: 'succeeded', result: { stdout: 'started\nfinished', return_code: 0 } });
    const row = await executions.getById(id);
    expect(row?.status_history.map((c) => c.status)).toEqual(['requested', 'scheduled', 'running', 'succeeded']);
    expect(row?.result).toEqual(outcome.result);
    expect(existsSync(join(dir, 'runs')) && readFileSync(join(dir, 'runs'), 'utf8')).toBe('ran\n');
  });
});
