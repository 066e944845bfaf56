import { createHash, createHmac, randomUUID } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';
import type { OutputChunk } from '@tempest/db';
import { eventually, freePort, startTestSshd, type TestSshd } from '@tempest/testing';
import { OutputSink } from './output-sink';
import { remoteShellCmd } from './remote-shell-cmd.runner';
import type { RunnerContext } from './runner';

// Against the real OpenSSH sshd, on loopback, logging in as the current user.
describe('remoteShellCmd', () => {
  let a: TestSshd;
  let b: TestSshd;
  const dir = mkdtempSync(join(tmpdir(), 'tempest-remote-cmd-'));
  /** Both hosts' keys, as an operator keeps them for the worker (TEMPEST_SSH_KNOWN_HOSTS). */
  const knownHosts = join(dir, 'known_hosts');
  beforeAll(async () => {
    a = await startTestSshd();
    b = await startTestSshd({ sameKeysAs: a });
    writeFileSync(knownHosts, `# the worker's known hosts\n${a.knownHostsLine}\n${b.knownHostsLine}\n`);
  });
  afterAll(async () => {
    await Promise.all([a?.stop(), b?.stop()]);
  });

  async function run(parameters: Record<string, unknown>, controller = new AbortController(), knownHostsFile = knownHosts) {
    const chunks: OutputChunk[] = [];
    const output = new OutputSink(async (batch) => void chunks.push(...batch));
    const context: RunnerContext = {
      executionId: randomUUID(),
      pack: 'core',
      actionParameters: {},
      packsDir: dir,
      knownHostsFile,
      parameters: { port: a.port, private_key: a.key.text, timeout: 30, ...parameters },
      output,
      signal: controller.signal,
      heartbeat: () => undefined,
      actionEnv: { ST2_ACTION_EXECUTION_ID: 'exec-1', ST2_ACTION_PACK_NAME: 'core', ST2_ACTION_AUTH_TOKEN: 'token-never-sent' },
    };
    const outcome = await remoteShellCmd(context);
    await output.close();
    return { ...outcome, result: outcome.result as Record<string, Record<string, unknown>>, output: chunks };
  }

  /** The login shell runs the user's ~/.bashrc first, which may say things on stderr: what the command wrote comes last. */
  const endsWith = (text: string) => expect.stringMatching(new RegExp(`(^|\\n)${text.replace(/\n/g, '\\n')}$`));

  /** Alive and not a zombie. */
  function running(pid: number): boolean {
    try {
      return readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.[0] !== 'Z';
    } catch {
      return false;
    }
  }

  it('runs the command on every host, with each host\'s result as StackStorm keys it and the output streamed', async () => {
    const sut = await run({ hosts: `127.0.0.1:${a.port},127.0.0.1:${b.port}`, cmd: 'echo "hello from ${SSH_CONNECTION##* }"; echo careful >&2' });
    expect(sut.status).toBe('succeeded');
    expect(sut.result).toEqual({
      [`127.0.0.1:${a.port}`]: { succeeded: true, failed: false, return_code: 0, stdout: `hello from ${a.port}`, stderr: endsWith('careful') },
      [`127.0.0.1:${b.port}`]: { succeeded: true, failed: false, return_code: 0, stdout: `hello from ${b.port}`, stderr: endsWith('careful') },
    });
    expect(sut.output.filter((c) => c.stream === 'stdout').map((c) => c.data).sort()).toEqual([`hello from ${a.port}\n`, `hello from ${b.port}\n`].sort());
  });

  it('keys a single host by its name, on the port parameter', async () => {
    const sut = await run({ hosts: '127.0.0.1', cmd: 'exit 0' });
    expect(Object.keys(sut.result)).toEqual(['127.0.0.1']);
  });

  it('fails the execution when any host fails, keeping every host\'s result', async () => {
    const sut = await run({ hosts: `127.0.0.1:${a.port},127.0.0.1:${b.port}`, cmd: `[ "\${SSH_CONNECTION##* }" = ${a.port} ] && { echo bad >&2; exit 3; }; echo ok` });
    expect(sut.status).toBe('failed');
    expect(sut.result[`127.0.0.1:${a.port}`]).toEqual({ succeeded: false, failed: true, return_code: 3, stdout: '', stderr: endsWith('bad') });
    expect(sut.result[`127.0.0.1:${b.port}`]).toMatchObject({ succeeded: true, stdout: 'ok' });
  });

  it('exports env values and enters cwd exactly as given, hostile ones included', async () => {
    const marker = join(dir, 'pwned');
    const values = [`$(touch ${marker})`, `'; touch ${marker}; echo '`, `two\nlines; touch ${marker}`, 'a"b`c`'];
    // The remote shell starts in the user's home, where `touch pwned` would land if the name broke out.
    const cwd = join(dir, "it's a $(touch pwned) folder");
    mkdirSync(cwd);
    const env = Object.fromEntries(values.map((value, i) => [`V${i}`, value]));
    const cmd = `${values.map((_v, i) => `printf '[%s]' "$V${i}"`).join('; ')}; echo; pwd; echo "$ST2_ACTION_EXECUTION_ID $ST2_ACTION_PACK_NAME [\${ST2_ACTION_AUTH_TOKEN-unset}]"`;
    const sut = await run({ hosts: '127.0.0.1', env, cwd, cmd });
    expect(sut.result['127.0.0.1']).toMatchObject({ succeeded: true, stdout: `${values.map((v) => `[${v}]`).join('')}\n${cwd}\nexec-1 core [unset]` });
    expect(existsSync(marker)).toBe(false);
    expect(existsSync(join(homedir(), 'pwned'))).toBe(false);
  });

  it('refuses an env name that no shell can export, before connecting', async () => {
    const sut = await run({ hosts: '127.0.0.1', env: { 'X;touch /tmp/x': '1' }, cmd: 'true' });
    expect(sut).toMatchObject({ status: 'failed', result: { error: expect.stringMatching(/^env: "X;touch \/tmp\/x" cannot be an environment variable name/) } });
  });

  it('logs in with a key file, and with an encrypted PEM key and its passphrase', async () => {
    expect((await run({ hosts: '127.0.0.1', private_key: a.key.file, cmd: 'echo file' })).result['127.0.0.1']).toMatchObject({ succeeded: true, stdout: 'file' });
    const encrypted = await run({ hosts: '127.0.0.1', private_key: a.encryptedKey.text, passphrase: a.encryptedKey.passphrase, cmd: 'echo pem' });
    expect(encrypted.result['127.0.0.1']).toMatchObject({ succeeded: true, stdout: 'pem' });
  });

  it('says so when the key cannot be read or decrypted, without trying to log in', async () => {
    const wrong = await run({ hosts: '127.0.0.1', private_key: a.encryptedKey.text, passphrase: 'wrong', cmd: 'true' });
    expect(wrong).toMatchObject({ status: 'failed', result: { error: expect.stringMatching(/^private_key: cannot use the key: /) } });
    const missing = await run({ hosts: '127.0.0.1', private_key: join(dir, 'no-such-key'), cmd: 'true' });
    expect(missing).toMatchObject({ status: 'failed', result: { error: 'private_key: neither the text of a private key (-----BEGIN ... PRIVATE KEY-----) nor the path of a key file readable on this worker (ENOENT)' } });
  });

  it('reports a host that refuses the login, or cannot be reached, as that host\'s failure', async () => {
    const refused = await run({ hosts: '127.0.0.1', private_key: a.strangerKey.text, cmd: 'true' });
    expect(refused.status).toBe('failed');
    expect(refused.result['127.0.0.1']).toEqual({
      succeeded: false,
      failed: true,
      return_code: 255,
      stdout: '',
      stderr: '',
      error: `ssh to 127.0.0.1:${a.port} as ${a.username}: authentication failed (publickey)`,
    });
    const closed = await freePort();
    const partly = await run({ hosts: `127.0.0.1:${a.port},127.0.0.1:${closed}`, cmd: 'echo reached' });
    expect(partly.status).toBe('failed');
    expect(partly.result[`127.0.0.1:${a.port}`]).toMatchObject({ succeeded: true, stdout: 'reached' });
    expect(partly.result[`127.0.0.1:${closed}`]).toMatchObject({ failed: true, error: `ssh to 127.0.0.1:${closed} as ${a.username}: cannot connect (connect ECONNREFUSED 127.0.0.1:${closed})` });
    expect(partly.output.map((c) => c.data)).toContain(`ssh to 127.0.0.1:${closed} as ${a.username}: cannot connect (connect ECONNREFUSED 127.0.0.1:${closed})\n`);
  });

  it('offers the password to sshd (which refuses it: tests set no password on a system account)', async () => {
    const sut = await run({ hosts: '127.0.0.1', private_key: undefined, password: 'not-the-password', cmd: 'true' });
    expect(sut.result['127.0.0.1']).toMatchObject({ failed: true, error: `ssh to 127.0.0.1:${a.port} as ${a.username}: authentication failed (password)` });
    await eventually(() => a.lines.some((line) => line.includes(`Failed password for ${a.username}`)), 'sshd to log the password attempt');
  });

  it('kills the remote command and everything it started at the timeout', async () => {
    const work = mkdtempSync(join(dir, 'timeout-'));
    const sut = await run({ hosts: '127.0.0.1', timeout: 1, cmd: `(sleep 60; touch ${work}/survived) & echo $! > ${work}/child; echo started; wait` });
    expect(sut.status).toBe('timeout');
    expect(sut.result['127.0.0.1']).toEqual({ succeeded: false, failed: true, timeout: true, return_code: -9, stdout: 'started', stderr: expect.any(String), error: 'timed out after 1s; the remote command was killed' });
    const child = Number(readFileSync(join(work, 'child'), 'utf8'));
    await eventually(() => !running(child), `the remote process ${child} to end`);
  });

  it('stops the remote command when the execution is canceled', async () => {
    const work = mkdtempSync(join(dir, 'cancel-'));
    const controller = new AbortController();
    const pending = run({ hosts: '127.0.0.1', cmd: `trap 'echo got TERM; exit 143' TERM; echo $$ > ${work}/pid; echo started; sleep 60 & wait` }, controller);
    await eventually(() => existsSync(join(work, 'pid')) && readFileSync(join(work, 'pid'), 'utf8').endsWith('\n'), 'the command to start');
    controller.abort();
    const sut = await pending;
    expect(sut.status).toBe('canceled');
    expect(sut.result['127.0.0.1']).toMatchObject({ failed: true, return_code: 143, stdout: 'started\ngot TERM', error: 'canceled; the remote command was stopped' });
    const pid = Number(readFileSync(join(work, 'pid'), 'utf8'));
    await eventually(() => !running(pid), `the remote shell ${pid} to end`);
  });

  it('runs on all hosts at once, or one after another when parallel is false', async () => {
    const hosts = `127.0.0.1:${a.port},127.0.0.1:${b.port}`;
    const log = join(dir, 'parallel.log');
    // Each host waits (up to 10 s) until both have started: only parallel runs meet.
    const barrier = `echo start >> ${log}; for i in $(seq 100); do [ "$(grep -c start ${log})" -ge 2 ] && { echo met; exit 0; }; sleep 0.1; done; echo alone`;
    const together = await run({ hosts, cmd: barrier, parallel: true });
    expect(Object.values(together.result).map((r) => r.stdout)).toEqual(['met', 'met']);

    const order = join(dir, 'sequential.log');
    const apart = await run({ hosts, cmd: `p=\${SSH_CONNECTION##* }; echo "start $p" >> ${order}; sleep 0.2; echo "end $p" >> ${order}`, parallel: false });
    expect(apart.status).toBe('succeeded');
    expect(readFileSync(order, 'utf8')).toBe(`start ${a.port}\nend ${a.port}\nstart ${b.port}\nend ${b.port}\n`);
  });

  describe('host keys', () => {
    const hostKeyOf = (line: string) => line.split(' ').slice(1).join(' ');
    const knownHostsWith = (name: string, ...lines: string[]) => {
      const file = join(dir, name);
      writeFileSync(file, lines.map((line) => `${line}\n`).join(''));
      return file;
    };
    /** What `ssh-keygen -l` shows for the sshd's host key. */
    const fingerprintOf = (sshd: TestSshd) => {
      const blob = Buffer.from(sshd.knownHostsLine.split(' ')[2], 'base64');
      return `SHA256:${createHash('sha256').update(blob).digest('base64').replace(/=+$/, '')}`;
    };

    it('refuses a host whose key known_hosts does not have, naming the host, before logging in', async () => {
      const empty = knownHostsWith('known_hosts.other', `[127.0.0.1]:${b.port} ${hostKeyOf(b.knownHostsLine)}`);
      const seen = a.lines.length;
      const sut = await run({ hosts: '127.0.0.1', cmd: 'echo ran' }, undefined, empty);
      expect(sut.status).toBe('failed');
      expect(sut.result['127.0.0.1']).toEqual({
        succeeded: false,
        failed: true,
        return_code: 255,
        stdout: '',
        stderr: '',
        error: `ssh to 127.0.0.1:${a.port} as ${a.username}: the host key of [127.0.0.1]:${a.port} (ssh-ed25519 ${fingerprintOf(a)}) is unknown: it is not in ${empty}; check the fingerprint and add it (ssh-keyscan -p ${a.port} 127.0.0.1 >> ${empty}), or set strict_host_key_checking: false on the action`,
      });
      expect(a.lines.slice(seen).join('\n')).not.toMatch(/Accepted publickey|Failed publickey/);
    });

    it('refuses a host whose key changed, saying it does not match', async () => {
      const changed = knownHostsWith('known_hosts.changed', `[127.0.0.1]:${a.port} ${hostKeyOf(b.knownHostsLine)}`);
      const sut = await run({ hosts: `127.0.0.1:${a.port},127.0.0.1:${b.port}`, cmd: 'echo ran' }, undefined, changed);
      expect(sut.status).toBe('failed');
      expect(sut.result[`127.0.0.1:${a.port}`]).toMatchObject({
        failed: true,
        error: `ssh to 127.0.0.1:${a.port} as ${a.username}: the host key of [127.0.0.1]:${a.port} (ssh-ed25519 ${fingerprintOf(a)}) does not match the one ${changed} has for it: the host was reinstalled or someone is intercepting the connection; check, then replace its line (ssh-keygen -R '[127.0.0.1]:${a.port}' -f ${changed})`,
      });
      expect(sut.result[`127.0.0.1:${b.port}`]).toMatchObject({ failed: true, error: expect.stringContaining(`the host key of [127.0.0.1]:${b.port} (ssh-ed25519 ${fingerprintOf(b)}) is unknown`) });
    });

    it('refuses when the known_hosts file is missing, and accepts a hashed entry as ssh-keygen -H writes it', async () => {
      const missing = join(dir, 'no-known-hosts');
      expect((await run({ hosts: '127.0.0.1', cmd: 'true' }, undefined, missing)).result['127.0.0.1']).toMatchObject({ failed: true, error: expect.stringContaining(`is unknown: it is not in ${missing}`) });
      const salt = Buffer.from('0123456789abcdefghij');
      const hashedName = `|1|${salt.toString('base64')}|${createHmac('sha1', salt).update(`[127.0.0.1]:${a.port}`).digest('base64')}`;
      const hashed = knownHostsWith('known_hosts.hashed', `${hashedName} ${hostKeyOf(a.knownHostsLine)}`);
      expect((await run({ hosts: '127.0.0.1', cmd: 'echo hashed' }, undefined, hashed)).result['127.0.0.1']).toMatchObject({ succeeded: true, stdout: 'hashed' });
    });

    it('accepts any key when the action sets strict_host_key_checking: false', async () => {
      const changed = knownHostsWith('known_hosts.optout', `[127.0.0.1]:${a.port} ${hostKeyOf(b.knownHostsLine)}`);
      const sut = await run({ hosts: `127.0.0.1:${a.port},127.0.0.1:${b.port}`, cmd: 'echo anyway', strict_host_key_checking: false }, undefined, changed);
      expect(sut.status).toBe('succeeded');
      expect(Object.values(sut.result).map((r) => r.stdout)).toEqual(['anyway', 'anyway']);
    });
  });

  it('refuses hosts it cannot parse, naming the entry', async () => {
    expect(await run({ hosts: '127.0.0.1:ssh', cmd: 'true' })).toMatchObject({ status: 'failed', result: { error: 'hosts: "127.0.0.1:ssh" has an invalid port (expected 1-65535)' } });
  });
});
