import { randomUUID } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client, Connection, WorkflowFailedError } from '@temporalio/client';
import { findRepoRoot } from '@tempest/config';
import { KeyValueCipher, loadDatastoreKey } from '@tempest/datastore';
import { ExecutionRepository } from '@tempest/db';
import { captureLogs, createTestDatabase, eventually, testConfig, type TestDatabase, uniqueName } from '@tempest/testing';
import type { ActionExecutionInput, ActionOutcome } from '@tempest/workflows';
import { createTempestWorker } from './worker';
import { workflowBundlePath } from './workflow-bundle';

// Executions end to end on a real worker, Temporal and Postgres: the workflow
// runs the runner activity and mirrors every status, output chunk and result.
describe('action executions', () => {
  const config = testConfig();
  const taskQueue = uniqueName('tempest-actions-test');
  // A pack on this worker: a script that prints its arguments one per line.
  const packsDir = mkdtempSync(join(tmpdir(), 'tempest-packs-'));
  mkdirSync(join(packsDir, 'test', 'actions'), { recursive: true });
  writeFileSync(join(packsDir, 'test', 'actions', 'args.sh'), '#!/bin/sh\nfor a in "$@"; do printf "[%s]\\n" "$a"; done\npwd\n');
  chmodSync(join(packsDir, 'test', 'actions', 'args.sh'), 0o755);
  writeFileSync(join(packsDir, 'test', 'actions', 'plain.sh'), '#!/bin/sh\necho never\n');
  writeFileSync(join(packsDir, 'test', 'actions', 'sum.js'), 'module.exports = async ({ a, b }, context) => { console.log("adding"); return { sum: a + b, pack: context.pack }; };\n');
  writeFileSync(
    join(packsDir, 'test', 'actions', 'typed.ts'),
    'interface In { name: string }\nexport default function greet({ name }: In): string {\n  if (name === "x") throw new RangeError("no x");\n  return `hi ${name}`;\n}\n',
  );
  // A Python action written for StackStorm, unchanged, with a helper in actions/lib.
  mkdirSync(join(packsDir, 'test', 'actions', 'lib'));
  writeFileSync(join(packsDir, 'test', 'actions', 'lib', 'helpers.py'), 'def greeting(name):\n    return "hello " + name\n');
  writeFileSync(
    join(packsDir, 'test', 'actions', 'greet.py'),
    [
      'from st2common.runners.base_action import Action',
      'from helpers import greeting',
      '',
      'class Greet(Action):',
      '    def run(self, name, mood="fine"):',
      '        self.logger.info("greeting %s", name)',
      '        print("about to greet")',
      '        if mood == "grumpy":',
      '            return (False, {"refused": name})',
      '        if mood == "broken":',
      '            raise ValueError("no greeting for " + name)',
      '        return {"greeting": greeting(name), "config": self.config}',
      '',
    ].join('\n'),
  );
  let database: TestDatabase;
  let executions: ExecutionRepository;
  let connection: Connection;
  let client: Client;
  let stopWorker: () => Promise<void>;

  beforeAll(async () => {
    database = await createTestDatabase();
    executions = new ExecutionRepository(database.db, new KeyValueCipher(loadDatastoreKey(config)!));
    connection = await Connection.connect({ address: config.temporal.address });
    client = new Client({ connection, namespace: config.temporal.namespace });
    const sut = await createTempestWorker({ config, logger: captureLogs('worker').logger, db: database.db, packsDir, workflowBundlePath: workflowBundlePath(findRepoRoot()), taskQueue });
    const running = sut.run();
    stopWorker = async () => {
      sut.worker.shutdown();
      await running;
    };
  });
  afterAll(async () => {
    await stopWorker();
    await connection.close();
    await database.drop();
  });

  /** Records the request as the gateway does, then starts its workflow. */
  async function start(
    runnerType: string,
    parameters: Record<string, unknown>,
    secrets: Record<string, unknown> = {},
    action: { entryPoint?: string; parameterSpecs?: Record<string, unknown> } = {},
    retry?: ActionExecutionInput['retry'],
  ) {
    const id = randomUUID();
    await executions.create({ id, actionRef: `test.${runnerType}`, pack: 'test', runnerType, parameters, secrets, context: { user: 'admin', source: 'api' } });
    const handle = await client.workflow.start('actionExecution', {
      taskQueue,
      workflowId: id,
      args: [{ executionId: id, action: { ref: `test.${runnerType}`, pack: 'test', runnerType, ...action }, parameters, timeoutSeconds: Number(parameters.timeout ?? 60), retry }],
    });
    return { id, handle };
  }

  /** Alive and not a zombie: a killed process may linger unreaped, but it runs nothing. */
  function running(pid: number): boolean {
    try {
      return readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.[0] !== 'Z';
    } catch {
      return false;
    }
  }

  /** Waits until the audit row's output (written by another process) satisfies `done`. */
  async function waitFor(id: string, done: (output: string) => boolean): Promise<void> {
    await eventually(async () => done((await executions.getOutput(id)).map((c) => c.data).join('')), `the output of ${id}`, 10_000);
  }

  it('runs noop and records requested, running, succeeded', async () => {
    const { id, handle } = await start('noop', {});
    expect(await handle.result()).toMatchObject<Partial<ActionOutcome>>({ status: 'succeeded' });
    const row = await executions.getById(id);
    expect(row?.status_history.map((c) => c.status)).toEqual(['requested', 'scheduled', 'running', 'succeeded']);
    expect(row?.run_id).toBe(handle.firstExecutionRunId);
  });

  it('takes one activity and two workflow tasks: the attempt that ends the execution records its end and its actiontrigger', async () => {
    const { id, handle } = await start('noop', {});
    expect(await handle.result()).toEqual({ status: 'succeeded', result: expect.objectContaining({ succeeded: true }) });
    const events = (await handle.fetchHistory()).events ?? [];
    expect(events.flatMap((e) => e.activityTaskScheduledEventAttributes?.activityType?.name ?? [])).toEqual(['runAction']);
    expect(events.filter((e) => e.workflowTaskCompletedEventAttributes)).toHaveLength(2);
    expect(await executions.getById(id)).toMatchObject({ status: 'succeeded', result: { succeeded: true } });
    const emitted = await database.db.selectFrom('trigger_instances').select('payload').where('trigger', '=', 'core.st2.generic.actiontrigger').execute();
    expect(emitted.filter((row) => (row.payload as { execution_id?: string }).execution_id === id)).toHaveLength(1);
  });

  it('runs a shell command: exit code, stdout and stderr in the result and in the streamed output', async () => {
    const { id, handle } = await start('local-shell-cmd', { cmd: 'echo hello; echo oops >&2; exit 3', timeout: 30 });
    const outcome = await handle.result();
    expect(outcome).toEqual({ status: 'failed', result: { succeeded: false, failed: true, return_code: 3, stdout: 'hello', stderr: 'oops' } });
    expect(await executions.getById(id)).toMatchObject({ status: 'failed', result: outcome.result });
    expect((await executions.getOutput(id)).map((c) => [c.stream, c.data])).toEqual([['stdout', 'hello\n'], ['stderr', 'oops\n']]);
  });

  it('stores output and results holding NUL bytes (binary output), each NUL as U+FFFD, instead of losing the execution', async () => {
    const { id, handle } = await start('local-shell-cmd', { cmd: "printf 'a\\000b'; printf 'c\\000' >&2", timeout: 30 });
    const outcome = await handle.result();
    expect(outcome).toEqual({ status: 'succeeded', result: { succeeded: true, failed: false, return_code: 0, stdout: 'a\uFFFDb', stderr: 'c\uFFFD' } });
    expect(await executions.getById(id)).toMatchObject({ status: 'succeeded', result: outcome.result });
    expect((await executions.getOutput(id)).map((c) => [c.stream, c.data])).toEqual([['stdout', 'a\uFFFDb'], ['stderr', 'c\uFFFD']]);
  });

  it('gives the action its execution id and pack, as StackStorm does', async () => {
    const { id, handle } = await start('local-shell-cmd', { cmd: 'echo "$ST2_ACTION_EXECUTION_ID $ST2_ACTION_PACK_NAME"' });
    expect(((await handle.result()).result as { stdout: string }).stdout).toBe(`${id} test`);
  });

  it('kills the whole process group when the action times out', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tempest-timeout-'));
    const { handle } = await start('local-shell-cmd', { cmd: `(sleep 60; touch ${dir}/survived) & echo $! > ${dir}/child; wait`, timeout: 3 });
    const outcome = await handle.result();
    expect(outcome.status).toBe('timeout');
    expect((outcome.result as { stderr: string }).stderr).toContain('action timed out after 3s');
    const child = Number(readFileSync(join(dir, 'child'), 'utf8'));
    expect(running(child)).toBe(false);
    expect(existsSync(join(dir, 'survived'))).toBe(false);
  });

  it('cancels a running action: the process is stopped and the execution is canceled', async () => {
    const { id, handle } = await start('local-shell-cmd', { cmd: 'echo started; sleep 60', timeout: 120 });
    await waitFor(id, (output) => output.includes('started'));
    await handle.cancel();
    await expect(handle.result()).rejects.toBeInstanceOf(WorkflowFailedError);
    const row = await executions.getById(id);
    expect(row?.status).toBe('canceled');
    expect(row?.status_history.map((c) => c.status)).toEqual(['requested', 'scheduled', 'running', 'canceled']);
  });

  it('keeps secret values out of the workflow history, giving them to the runner only', async () => {
    const { id, handle } = await start('local-shell-cmd', { cmd: 'true', sudo_password: '********' }, { sudo_password: 'hunter2-secret' });
    await handle.result();
    const history = JSON.stringify(await handle.fetchHistory());
    expect(history).not.toContain('hunter2-secret');
    expect(JSON.stringify(await executions.getById(id))).not.toContain('hunter2-secret');
  });

  it('runs an HTTP request through the http-request runner', async () => {
    const server = createServer((_request, response) => response.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true}'));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const { id, handle } = await start('http-request', { url: `http://127.0.0.1:${(server.address() as { port: number }).port}/status`, method: 'GET', timeout: 10 });
      expect(await handle.result()).toMatchObject({ status: 'succeeded', result: { status_code: 200, body: { ok: true }, parsed: true } });
      expect((await executions.getOutput(id)).map((c) => c.data).join('')).toMatch(/^GET http:\/\/127\.0\.0\.1:\d+\/status -> 200/);
    } finally {
      server.close();
    }
  });

  it('runs a pack script with StackStorm-style arguments, each value literal, in the script\'s folder', async () => {
    const parameterSpecs = { target: { type: 'string', position: 0 }, verbose: { type: 'boolean' }, note: { type: 'string' } };
    const parameters = { target: '$(touch /tmp/tempest-pwned); rm -rf /', verbose: true, note: "it's fine", kwarg_op: '--', timeout: 30 };
    const { handle } = await start('local-shell-script', parameters, {}, { entryPoint: 'args.sh', parameterSpecs });
    const outcome = await handle.result();
    expect(outcome).toMatchObject({ status: 'succeeded' });
    expect((outcome.result as { stdout: string }).stdout).toBe(`[--note=it's fine]\n[--verbose]\n[$(touch /tmp/tempest-pwned); rm -rf /]\n${join(packsDir, 'test', 'actions')}`);
  });

  it('refuses a script that is not executable or outside the pack', async () => {
    const plain = await (await start('local-shell-script', {}, {}, { entryPoint: 'plain.sh' })).handle.result();
    expect(plain).toEqual({ status: 'failed', result: { error: expect.stringMatching(/missing or not executable \(chmod \+x\)$/) } });
    const escape = await (await start('local-shell-script', {}, {}, { entryPoint: '../../../../bin/sh' })).handle.result();
    expect(escape).toEqual({ status: 'failed', result: { error: 'entry_point "../../../../bin/sh" must name a file inside the pack\'s actions folder' } });
  });

  it('runs a StackStorm Python action unchanged, mapping its return value as StackStorm does', async () => {
    const run = async (mood: string) => (await start('python-script', { name: 'ops', mood, timeout: 60 }, {}, { entryPoint: 'greet.py' })).handle.result();
    const fine = await run('fine');
    expect(fine).toMatchObject({ status: 'succeeded', result: { exit_code: 0, result: { greeting: 'hello ops', config: {} }, stdout: 'about to greet\n' } });
    expect((fine.result as { stderr: string }).stderr).toContain('INFO greeting ops');
    expect(await run('grumpy')).toMatchObject({ status: 'failed', result: { result: { refused: 'ops' } } });
    const broken = await run('broken');
    expect(broken).toMatchObject({ status: 'failed', result: { error: 'ValueError: no greeting for ops', traceback: expect.stringContaining('raise ValueError') } });
  });

  it('retries as the action.retry policy says, keeping every attempt\'s output', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tempest-retry-'));
    const cmd = `if [ -f ${dir}/once ]; then echo second; else touch ${dir}/once; echo first; exit 1; fi`;
    const { id, handle } = await start('local-shell-cmd', { cmd }, {}, {}, { retryOn: 'failure', maxRetryCount: 2, delaySeconds: 0 });
    expect(await handle.result()).toMatchObject({ status: 'succeeded', result: { stdout: 'second', attempts: 2 } });
    expect((await executions.getOutput(id)).map((c) => [c.attempt, c.data])).toEqual([[1, 'first\n'], [2, 'second\n']]);

    const always = await start('local-shell-cmd', { cmd: 'exit 1' }, {}, {}, { retryOn: 'failure', maxRetryCount: 2, delaySeconds: 0 });
    expect(await always.handle.result()).toMatchObject({ status: 'failed', result: { return_code: 1, attempts: 3 } });
    const onTimeoutOnly = await start('local-shell-cmd', { cmd: 'exit 1' }, {}, {}, { retryOn: 'timeout', maxRetryCount: 2, delaySeconds: 0 });
    expect((await onTimeoutOnly.handle.result()).result).not.toHaveProperty('attempts');
  });

  it('cancels an execution waiting out its action.retry delay: canceled at once, not left canceling', async () => {
    const { id, handle } = await start('local-shell-cmd', { cmd: 'echo attempt; exit 1' }, {}, {}, { retryOn: 'failure', maxRetryCount: 1, delaySeconds: 3600 });
    await eventually(async () => (await handle.fetchHistory()).events?.some((e) => e.timerStartedEventAttributes) ?? false, 'the retry delay to begin', 10_000);
    await executions.transition(id, 'canceling');
    await handle.cancel();
    await expect(handle.result()).rejects.toBeInstanceOf(WorkflowFailedError);
    const row = await executions.getById(id);
    expect(row?.status_history.map((c) => c.status)).toEqual(['requested', 'scheduled', 'running', 'canceling', 'canceled']);
    expect((await executions.getOutput(id)).map((c) => c.data)).toEqual(['attempt\n']);
  });

  it('runs a JavaScript or TypeScript module of the pack with the nodejs runner', async () => {
    const js = await (await start('nodejs', { a: 2, b: 3 }, {}, { entryPoint: 'sum.js' })).handle.result();
    expect(js).toMatchObject({ status: 'succeeded', result: { exit_code: 0, result: { sum: 5, pack: 'test' }, stdout: 'adding\n' } });
    expect(await (await start('nodejs', { name: 'ops' }, {}, { entryPoint: 'typed.ts' })).handle.result()).toMatchObject({ status: 'succeeded', result: { result: 'hi ops' } });
    expect(await (await start('nodejs', { name: 'x' }, {}, { entryPoint: 'typed.ts' })).handle.result()).toMatchObject({
      status: 'failed',
      result: { error: 'RangeError: no x', traceback: expect.stringContaining('typed.ts') },
    });
  });

  it('fails an action whose runner this worker does not have, saying so', async () => {
    const { handle } = await start('winrm-cmd', { host: 'localhost', cmd: 'true' });
    expect(await handle.result()).toEqual({ status: 'failed', result: { error: expect.stringMatching(/^runner "winrm-cmd" cannot run on this worker/) } });
  });
});
