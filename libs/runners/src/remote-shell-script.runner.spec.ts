import { randomUUID } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ParameterSpecs } from '@tempest/domain';
import { startTestSshd, type TestSshd } from '@tempest/testing';
import { OutputSink } from './output-sink';
import { remoteShellScript } from './remote-shell-script.runner';
import type { RunnerContext } from './runner';

// Against the real OpenSSH sshd on loopback: the "remote" folders are on this machine, so the tests can look in them.
describe('remoteShellScript', () => {
  let a: TestSshd;
  let b: TestSshd;
  const root = mkdtempSync(join(tmpdir(), 'tempest-remote-script-'));
  const packsDir = join(root, 'packs');
  const knownHosts = join(root, 'known_hosts');
  const actions = join(packsDir, 'test', 'actions');
  mkdirSync(actions, { recursive: true });
  // Not executable here: the runner makes the copy executable on the host, as StackStorm does.
  writeFileSync(join(actions, 'args.sh'), '#!/bin/sh\nfor a in "$@"; do printf "[%s]\\n" "$a"; done\necho "cwd=$(pwd)"\necho "script=$0"\necho "greeting=$GREETING"\n', { mode: 0o644 });
  writeFileSync(join(actions, 'fail.sh'), '#!/bin/sh\necho "about to fail" >&2\ntouch "$(dirname "$0")/leftover"\nexit 4\n');
  writeFileSync(join(actions, 'slow.sh'), '#!/bin/sh\necho started\nsleep 60\n');

  beforeAll(async () => {
    a = await startTestSshd();
    b = await startTestSshd({ sameKeysAs: a });
    writeFileSync(knownHosts, `${a.knownHostsLine}\n${b.knownHostsLine}\n`);
  });
  afterAll(async () => {
    await Promise.all([a?.stop(), b?.stop()]);
  });

  async function run(entryPoint: string, parameters: Record<string, unknown>, actionParameters: ParameterSpecs = {}) {
    const output = new OutputSink(async () => undefined);
    const context: RunnerContext = {
      executionId: randomUUID(),
      pack: 'test',
      entryPoint,
      actionParameters,
      packsDir,
      knownHostsFile: knownHosts,
      parameters: { hosts: '127.0.0.1', port: a.port, private_key: a.key.text, kwarg_op: '--', timeout: 30, ...parameters },
      output,
      signal: new AbortController().signal,
      heartbeat: () => undefined,
      actionEnv: { ST2_ACTION_EXECUTION_ID: 'exec-1' },
    };
    const outcome = await remoteShellScript(context);
    await output.close();
    return { ...outcome, result: outcome.result as Record<string, Record<string, unknown>>, executionId: context.executionId };
  }

  it('copies the script to a folder of its own under dir, runs it there with StackStorm-style arguments, then removes the folder', async () => {
    const dir = mkdtempSync(join(root, 'dir-'));
    const specs: ParameterSpecs = { target: { type: 'string', position: 0 }, count: { type: 'integer', position: 1 }, verbose: { type: 'boolean' }, note: { type: 'string' } };
    const hostile = "$(touch pwned); rm -rf / 'x' \"y\"\nz";
    const sut = await run('args.sh', { hosts: `127.0.0.1:${a.port},127.0.0.1:${b.port}`, dir, target: hostile, count: 3, verbose: true, note: "it's `fine`", env: { GREETING: '$HOME; touch pwned' } }, specs);
    expect(sut.status).toBe('succeeded');
    for (const host of [`127.0.0.1:${a.port}`, `127.0.0.1:${b.port}`]) {
      const stdout = String(sut.result[host].stdout);
      const folder = new RegExp(`^cwd=(${dir}/tempest-${sut.executionId}-[0-9a-f]{8})$`, 'm').exec(stdout)?.[1];
      expect(folder).toBeDefined();
      expect(stdout).toBe(`[--note=it's \`fine\`]\n[--verbose]\n[${hostile}]\n[3]\ncwd=${folder}\nscript=${folder}/args.sh\ngreeting=$HOME; touch pwned`);
    }
    expect(readdirSync(dir)).toEqual([]);
    expect(existsSync(join(homedir(), 'pwned'))).toBe(false);
  });

  it('removes the folder also when the script fails, and reports its exit code', async () => {
    const dir = mkdtempSync(join(root, 'dir-'));
    const sut = await run('fail.sh', { dir });
    expect(sut.status).toBe('failed');
    expect(sut.result['127.0.0.1']).toEqual({ succeeded: false, failed: true, return_code: 4, stdout: '', stderr: expect.stringMatching(/(^|\n)about to fail$/) });
    expect(readdirSync(dir)).toEqual([]);
  });

  it('removes the folder also when the script times out', async () => {
    const dir = mkdtempSync(join(root, 'dir-'));
    const sut = await run('slow.sh', { dir, timeout: 2 });
    expect(sut.status).toBe('timeout');
    expect(sut.result['127.0.0.1']).toMatchObject({ timeout: true, error: 'timed out after 2s; the remote command was killed' });
    expect(readdirSync(dir)).toEqual([]);
  });

  it('runs in cwd when one is given', async () => {
    const cwd = mkdtempSync(join(root, 'cwd-'));
    const sut = await run('args.sh', { dir: mkdtempSync(join(root, 'dir-')), cwd });
    expect(sut.result['127.0.0.1'].stdout).toContain(`cwd=${cwd}\n`);
  });

  it('reports a folder it cannot create on the host as that host\'s failure', async () => {
    const sut = await run('args.sh', { dir: join(root, 'missing', 'deeper') });
    expect(sut.status).toBe('failed');
    expect(sut.result['127.0.0.1']).toMatchObject({ failed: true, error: expect.stringMatching(new RegExp(`^ssh to 127\\.0\\.0\\.1:${a.port} as \\w+: cannot copy args\\.sh to ${root}/missing/deeper/tempest-`)) });
  });

  it('refuses an entry point outside the pack\'s actions folder', async () => {
    expect(await run('../../../../etc/passwd', {})).toMatchObject({ status: 'failed', result: { error: 'entry_point "../../../../etc/passwd" must name a file inside the pack\'s actions folder' } });
  });
});
