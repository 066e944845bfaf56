import { randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { Client, Connection } from '@temporalio/client';
import { findRepoRoot } from '@tempest/config';
import { ExecutionRepository } from '@tempest/db';
import { createTestDatabase, runProcess, testServers, uniqueName, type TestDatabase } from '@tempest/testing';
import type { ActionOutcome } from '@tempest/workflows';

// A worker killed in the middle of an execution: a new worker finishes the
// execution and the audit trail records each status exactly once.
const entry = join(findRepoRoot(), 'dist/apps/worker/src/main.js');

describe('worker crash during an execution', () => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await createTestDatabase();
  });
  afterAll(() => database.drop());

  it('is finished by the next worker and recorded once', async () => {
    const taskQueue = uniqueName('tempest-actions-test');
    const env = { DATABASE_URL: database.url, TEMPORAL_ADDRESS: testServers().temporalAddress, TEMPORAL_TASK_QUEUE: taskQueue };
    const executions = new ExecutionRepository(database.db);
    const dir = mkdtempSync(join(tmpdir(), 'tempest-crash-'));
    const connection = await Connection.connect({ address: testServers().temporalAddress });
    const first = runProcess(entry, env);
    let second: ReturnType<typeof runProcess> | undefined;
    try {
      await first.printed(/"worker polling"/);
      const id = randomUUID();
      const parameters = { cmd: `echo $$ > ${dir}/pid; echo started; sleep 60`, timeout: 120 };
      await executions.create({ id, actionRef: 'core.local', pack: 'core', runnerType: 'local-shell-cmd', parameters, secrets: {}, context: { user: 'admin', source: 'api' } });
      const handle = await new Client({ connection }).workflow.start('actionExecution', {
        taskQueue,
        workflowId: id,
        args: [{ executionId: id, action: { ref: 'core.local', pack: 'core', runnerType: 'local-shell-cmd' }, parameters, timeoutSeconds: 120 }],
      });
      // Polls the audit trail, which another process writes.
      while (!(await executions.getOutput(id)).some((c) => c.data.includes('started'))) await delay(50);

      first.child.kill('SIGKILL');
      await first.exited;
      second = runProcess(entry, env);
      const outcome: ActionOutcome = await handle.result();

      expect(outcome).toEqual({ status: 'failed', result: { error: expect.stringMatching(/^the worker running the action stopped answering \(.*HEARTBEAT.*\); the action was not retried/) } });
      const row = await executions.getById(id);
      expect(row?.status_history.map((c) => c.status)).toEqual(['requested', 'running', 'failed']);
      expect(row?.result).toEqual(outcome.result);
    } finally {
      // The killed worker's command keeps its own process group; end it.
      try {
        process.kill(-Number(readFileSync(join(dir, 'pid'), 'utf8')), 'SIGKILL');
      } catch {
        // never started, or already gone
      }
      second?.child.kill('SIGTERM');
      await second?.exited;
      await connection.close();
    }
  });
});
