import { randomUUID } from 'node:crypto';
import { mkdirSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { findRepoRoot } from '@tempest/config';
import { KeyValueCipher, loadDatastoreKey } from '@tempest/datastore';
import { ExecutionRepository } from '@tempest/db';
import { findRunnerType, maskSecrets } from '@tempest/domain';
import { loadPack, type ActionMetadata } from '@tempest/packs';
import { prepareExecutionParameters } from '@tempest/templating';
import { captureLogs, createTestDatabase, startTestSshd, testConfig, uniqueName, type TestDatabase, type TestSshd } from '@tempest/testing';
import type { ActionExecutionInput } from '@tempest/workflows';
import { createTempestWorker } from './worker';
import { workflowBundlePath } from './workflow-bundle';

// The SSH runners end to end: packs' actions, as registered, run through a real
// worker, Temporal and Postgres against the real OpenSSH sshd on loopback.
describe('remote executions', () => {
  const config = testConfig();
  const taskQueue = uniqueName('tempest-remote-test');
  const repoRoot = findRepoRoot();
  // A small pack with a remote-shell-script action, as a pack author writes it.
  const packsDir = mkdtempSync(join(tmpdir(), 'tempest-remote-packs-'));
  const fixture = join(packsDir, 'fixture');
  mkdirSync(join(fixture, 'actions'), { recursive: true });
  writeFileSync(join(fixture, 'pack.yaml'), 'ref: fixture\nname: fixture\ndescription: SSH runner fixture\nversion: 0.1.0\nauthor: Tempest\n');
  writeFileSync(
    join(fixture, 'actions', 'report.yaml'),
    [
      'name: report',
      'runner_type: remote-shell-script',
      'entry_point: report.sh',
      'description: Prints its arguments and where it runs',
      'parameters:',
      '  service: { type: string, required: true, position: 0 }',
      '  dry_run: { type: boolean, default: false }',
      '',
    ].join('\n'),
  );
  writeFileSync(join(fixture, 'actions', 'report.sh'), '#!/bin/sh\nfor a in "$@"; do printf "[%s]\\n" "$a"; done\necho "in $(dirname "$0")"\n');
  const remoteDir = mkdtempSync(join(tmpdir(), 'tempest-remote-dir-'));

  let sshd: TestSshd;
  let database: TestDatabase;
  let executions: ExecutionRepository;
  let connection: Connection;
  let client: Client;
  let actions: ActionMetadata[];
  let stopWorker: () => Promise<void>;

  beforeAll(async () => {
    sshd = await startTestSshd();
    database = await createTestDatabase();
    executions = new ExecutionRepository(database.db, new KeyValueCipher(loadDatastoreKey(config)!));
    const packs = await Promise.all([loadPack(join(repoRoot, 'packs', 'core'), repoRoot), loadPack(fixture, packsDir)]);
    actions = packs.flatMap((pack) => {
      if (Array.isArray(pack)) throw new Error(`pack did not load: ${JSON.stringify(pack)}`);
      return pack.actions;
    });
    connection = await Connection.connect({ address: config.temporal.address });
    client = new Client({ connection, namespace: config.temporal.namespace });
    const sut = await createTempestWorker({ config: { ...config, sshKnownHosts: sshd.knownHosts }, logger: captureLogs('worker').logger, db: database.db, packsDir, workflowBundlePath: workflowBundlePath(repoRoot), taskQueue });
    const running = sut.run();
    stopWorker = async () => {
      sut.worker.shutdown();
      await running;
    };
  });
  afterAll(async () => {
    await stopWorker?.();
    await connection?.close();
    await database?.drop();
    await sshd?.stop();
  });

  /** Validates and records the request as the gateway does (secrets kept apart), then starts its workflow. */
  async function run(ref: string, provided: Record<string, unknown>) {
    const action = actions.find((a) => a.ref === ref)!;
    const id = randomUUID();
    const resolved = prepareExecutionParameters(action.runnerType, findRunnerType(action.runnerType)!.parameters, action.parameters, provided, {
      action_context: { user: 'admin', execution_id: id, pack: action.pack },
      config_context: {},
    });
    if (!resolved.ok) throw new Error(resolved.violations.join('; '));
    const parameters = maskSecrets(resolved.values, resolved.secrets);
    const secrets = Object.fromEntries(resolved.secrets.filter((n) => resolved.values[n] !== undefined).map((n) => [n, resolved.values[n]]));
    await executions.create({ id, actionRef: ref, pack: action.pack, runnerType: action.runnerType, parameters, secrets, context: { user: 'admin', source: 'api' } });
    const input: ActionExecutionInput = {
      executionId: id,
      action: { ref, pack: action.pack, runnerType: action.runnerType, entryPoint: action.entryPoint, parameterSpecs: action.parameters },
      parameters,
      timeoutSeconds: Number(parameters.timeout),
    };
    const handle = await client.workflow.start('actionExecution', { taskQueue, workflowId: id, args: [input] });
    return { id, handle, outcome: await handle.result() };
  }

  it('runs core.remote on the test sshd: per-host stdout in the result and the output, and the key kept out of history', async () => {
    const { id, handle, outcome } = await run('core.remote', {
      hosts: `127.0.0.1:${sshd.port}`,
      username: sshd.username,
      private_key: sshd.key.text,
      cmd: 'echo "hello from $(hostname)"; echo "$ST2_ACTION_PACK_NAME"',
    });
    const host = `127.0.0.1`;
    expect(outcome).toMatchObject({ status: 'succeeded', result: { [host]: { succeeded: true, failed: false, return_code: 0 } } });
    const stdout = (outcome.result as Record<string, { stdout: string }>)[host].stdout;
    expect(stdout).toMatch(/^hello from \S+\ncore$/);
    const row = await executions.getById(id);
    expect(row).toMatchObject({ status: 'succeeded', result: outcome.result });
    expect((await executions.getOutput(id)).filter((c) => c.stream === 'stdout').map((c) => c.data).join('')).toBe(`${stdout}\n`);
    expect(JSON.stringify(await handle.fetchHistory())).not.toContain(sshd.key.text.split('\n')[1]);
    expect(JSON.stringify(row)).not.toContain(sshd.key.text.split('\n')[1]);
  });

  it('fails core.remote on a host that turns the login away, saying why for that host', async () => {
    const { outcome } = await run('core.remote', { hosts: '127.0.0.1', port: sshd.port, username: sshd.username, private_key: sshd.strangerKey.text, cmd: 'true' });
    expect(outcome).toMatchObject({
      status: 'failed',
      result: { '127.0.0.1': { succeeded: false, failed: true, error: `ssh to 127.0.0.1:${sshd.port} as ${sshd.username}: authentication failed (publickey)` } },
    });
  });

  it('runs a pack\'s remote-shell-script action: script copied, run with its arguments, its folder removed', async () => {
    const { outcome } = await run('fixture.report', {
      hosts: `127.0.0.1:${sshd.port}`,
      private_key: sshd.key.file,
      dir: remoteDir,
      service: "nginx'; touch /tmp/tempest-pwned; echo '",
      dry_run: true,
    });
    expect(outcome).toMatchObject({ status: 'succeeded' });
    const stdout = (outcome.result as Record<string, { stdout: string }>)['127.0.0.1'].stdout;
    expect(stdout).toMatch(new RegExp(`^\\[--dry_run\\]\\n\\[nginx'; touch /tmp/tempest-pwned; echo '\\]\\nin ${remoteDir}/tempest-[0-9a-f-]+$`));
    expect(readdirSync(remoteDir)).toEqual([]);
  });
});
