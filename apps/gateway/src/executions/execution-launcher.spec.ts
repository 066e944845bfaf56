import { randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync } from 'node:fs';
import { createConnection, createServer, type AddressInfo, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { findRepoRoot } from '@tempest/config';
import { ExecutionRepository, PackConfigRepository, type Action } from '@tempest/db';
import { captureLogs, createTestDatabase, eventually, runProcess, testConfig, testServers, uniqueName, type RunningProcess, type TestDatabase } from '@tempest/testing';
import { ExecutionLauncher, ExecutionStartUnknownError } from './execution-launcher';

/**
 * A TCP proxy to Temporal that can hold its answers back for a while, as a
 * slow network does: requests still reach Temporal, which acts on them.
 */
async function slowAnswers(target: string) {
  const [host, port] = target.split(':') as [string, string];
  let heldUntil = 0;
  const sockets = new Set<Socket>();
  const server = createServer((down) => {
    const up = createConnection(Number(port), host);
    sockets.add(down).add(up);
    down.pipe(up);
    // Held chunks go out together, in order, when the hold ends.
    const held: Buffer[] = [];
    up.on('data', (data: Buffer) => {
      const wait = heldUntil - Date.now();
      if (wait <= 0 && held.length === 0) return void down.write(data);
      if (held.push(data) === 1) setTimeout(() => down.write(Buffer.concat(held.splice(0))), Math.max(wait, 0));
    });
    for (const [a, b] of [[down, up], [up, down]] as const) {
      a.on('error', () => b.destroy());
      a.on('close', () => b.destroy());
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    address: `127.0.0.1:${(server.address() as AddressInfo).port}`,
    holdAnswers(ms: number) {
      heldUntil = Date.now() + ms;
    },
    async close() {
      for (const socket of sockets) socket.destroy();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

// The start of a workflow whose answer is lost after Temporal accepted it.
describe(ExecutionLauncher.name, () => {
  const taskQueue = uniqueName('tempest-actions-test');
  let database: TestDatabase;
  let executions: ExecutionRepository;
  let proxy: Awaited<ReturnType<typeof slowAnswers>>;
  let connection: Connection;
  let worker: RunningProcess;
  const action = { ref: 'core.local', pack: 'core', runner_type: 'local-shell-cmd', entry_point: null, parameters: {}, retry: null, metadata: {} } as unknown as Action;

  beforeAll(async () => {
    database = await createTestDatabase();
    executions = new ExecutionRepository(database.db);
    proxy = await slowAnswers(testServers().temporalAddress);
    connection = await Connection.connect({ address: proxy.address });
    worker = runProcess(join(findRepoRoot(), 'dist/apps/worker/src/main.js'), { DATABASE_URL: database.url, TEMPORAL_ADDRESS: testServers().temporalAddress, TEMPORAL_TASK_QUEUE: taskQueue });
    await worker.printed(/"worker polling"/);
  });
  afterAll(async () => {
    worker.child.kill('SIGTERM');
    await worker.exited;
    await connection.close();
    await proxy.close();
    await database.drop();
  });

  function launcher(options: { startDeadlineMs: number; describeDeadlineMs: number }): ExecutionLauncher {
    const config = testConfig({ TEMPORAL_TASK_QUEUE: taskQueue });
    return new ExecutionLauncher(executions, new PackConfigRepository(database.db), new Client({ connection }), config, captureLogs('gateway', 'fatal').logger, options);
  }

  async function launch(sut: ExecutionLauncher, dir: string) {
    const id = randomUUID();
    const request = { id, action, parameters: { values: { cmd: `echo ran >> ${dir}/runs` }, secrets: [] }, context: { user: 'admin', source: 'api' } };
    // Warm: the connection is up, so only the start's own answer is slow.
    await connection.workflowService.getSystemInfo({});
    proxy.holdAnswers(1_500);
    return { id, launched: sut.launch(request) };
  }

  async function finalStatus(id: string): Promise<string[]> {
    await eventually(async () => (await executions.getById(id))?.status === 'succeeded', `execution ${id} to succeed`, 20_000);
    return (await executions.getById(id))!.status_history.map((c) => c.status);
  }

  it('a start whose deadline passed after Temporal accepted it: answered as started, run once, never said failed', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tempest-start-'));
    const { id, launched } = await launch(launcher({ startDeadlineMs: 300, describeDeadlineMs: 5_000 }), dir);

    // Answered as started; the worker may have run it while the answer was held.
    expect(['scheduled', 'running', 'succeeded']).toContain((await launched).status);

    const history = await finalStatus(id);
    expect(history).not.toContain('failed');
    expect(history.at(-1)).toBe('succeeded');
    expect(readFileSync(join(dir, 'runs'), 'utf8')).toBe('ran\n');
  });

  it('when Temporal cannot be asked either: left requested for the reaper, and the run is recorded as it happens', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tempest-start-'));
    const { id, launched } = await launch(launcher({ startDeadlineMs: 300, describeDeadlineMs: 300 }), dir);

    await expect(launched).rejects.toBeInstanceOf(ExecutionStartUnknownError);

    expect(await finalStatus(id)).toEqual(['requested', 'scheduled', 'running', 'succeeded']);
    expect(readFileSync(join(dir, 'runs'), 'utf8')).toBe('ran\n');
  });
});
