import { execFile, spawn } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { setTimeout as delay } from 'node:timers/promises';
import { promisify } from 'node:util';
import { freePort } from './ports';

const SSHD_CANDIDATES = ['/usr/sbin/sshd', '/usr/local/sbin/sshd', '/sbin/sshd'];
const READY_TIMEOUT_MS = 10_000;
const PASSPHRASE = 'correct horse';

export interface TestKey {
  /** Path of the private key file. */
  file: string;
  /** The private key's text. */
  text: string;
}

export interface TestSshd {
  host: string;
  port: number;
  /** The user sshd runs as, and the one tests log in as. */
  username: string;
  /** An ed25519 key (OpenSSH format, no passphrase) that may log in. */
  key: TestKey;
  /** A PEM ECDSA key encrypted with `passphrase`, which may log in too. */
  encryptedKey: TestKey & { passphrase: string };
  /** A key sshd does not know. */
  strangerKey: TestKey;
  /** This sshd's host key as a known_hosts line (`[127.0.0.1]:<port> ssh-ed25519 AAAA...`). */
  knownHostsLine: string;
  /** A known_hosts file holding that line alone, for TEMPEST_SSH_KNOWN_HOSTS. */
  knownHosts: string;
  /** What sshd logged (-e), for tests that check what it saw. */
  lines: string[];
  stop(): Promise<void>;
}

/** The sshd npm test provisioned (TEST_SSHD), or one in the usual places. */
function sshdBinary(): string {
  const found = [process.env.TEST_SSHD, ...SSHD_CANDIDATES].find((file): file is string => !!file && existsSync(file));
  if (!found) throw new Error('sshd is not installed: run the tests with `npm test` (it installs openssh-server as root on Debian), or install openssh-server');
  return found;
}

async function keygen(file: string, args: string[]): Promise<TestKey> {
  await promisify(execFile)('ssh-keygen', ['-q', '-C', 'tempest-test', '-f', file, ...args]);
  return { file, text: readFileSync(file, 'utf8') };
}

/** Another instance's key pair (so one key logs in to both), or a new one. */
async function copyOrGenerate(other: TestKey | undefined, file: string, args: string[]): Promise<TestKey> {
  if (!other) return keygen(file, args);
  writeFileSync(file, other.text, { mode: 0o600 });
  copyFileSync(`${other.file}.pub`, `${file}.pub`);
  return { file, text: other.text };
}

/**
 * The real OpenSSH sshd on 127.0.0.1 and a free port, as the current user,
 * with a host key and an authorized_keys generated for this run (or the
 * keys of `sameKeysAs`, for tests that log in to several hosts). Only public
 * keys log in: password logins would need a user whose password the tests
 * know, and tests do not touch system accounts.
 */
export async function startTestSshd(options: { sameKeysAs?: TestSshd } = {}): Promise<TestSshd> {
  const binary = sshdBinary();
  const dir = mkdtempSync(join(tmpdir(), 'tempest-sshd-'));
  const [hostKey, key, encryptedKey, strangerKey] = await Promise.all([
    keygen(join(dir, 'host_key'), ['-t', 'ed25519', '-N', '']),
    copyOrGenerate(options.sameKeysAs?.key, join(dir, 'id_ed25519'), ['-t', 'ed25519', '-N', '']),
    copyOrGenerate(options.sameKeysAs?.encryptedKey, join(dir, 'id_ecdsa_pem'), ['-t', 'ecdsa', '-b', '256', '-m', 'PEM', '-N', PASSPHRASE]),
    copyOrGenerate(options.sameKeysAs?.strangerKey, join(dir, 'id_stranger'), ['-t', 'ed25519', '-N', '']),
  ]);
  writeFileSync(join(dir, 'authorized_keys'), [key, encryptedKey].map((k) => readFileSync(`${k.file}.pub`, 'utf8')).join(''));
  // sshd's privilege separation needs this folder; root's systems create it when the service starts.
  if (process.getuid?.() === 0 && !existsSync('/run/sshd')) mkdirSync('/run/sshd', { mode: 0o755 });
  const port = await freePort();
  const [keyType, keyBlob] = readFileSync(`${hostKey.file}.pub`, 'utf8').trim().split(/\s+/);
  const knownHostsLine = `[127.0.0.1]:${port} ${keyType} ${keyBlob}`;
  const knownHosts = join(dir, 'known_hosts');
  writeFileSync(knownHosts, `${knownHostsLine}\n`);
  const config = join(dir, 'sshd_config');
  writeFileSync(
    config,
    [
      `ListenAddress 127.0.0.1:${port}`,
      `HostKey ${hostKey.file}`,
      `PidFile ${join(dir, 'sshd.pid')}`,
      `AuthorizedKeysFile ${join(dir, 'authorized_keys')}`,
      'StrictModes no',
      'PubkeyAuthentication yes',
      'PasswordAuthentication yes',
      'KbdInteractiveAuthentication no',
      'PermitRootLogin yes',
      'UsePAM no',
      'PrintMotd no',
      'PrintLastLog no',
      'LogLevel VERBOSE',
      'Subsystem sftp internal-sftp',
      '',
    ].join('\n'),
  );
  const child = spawn(binary, ['-D', '-e', '-f', config], { stdio: ['ignore', 'pipe', 'pipe'] });
  const lines: string[] = [];
  for (const stream of [child.stdout, child.stderr]) createInterface({ input: stream }).on('line', (line) => lines.push(line));
  let exited = false;
  const exit = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  void exit.then(() => (exited = true));
  const stop = async () => {
    if (!exited) child.kill('SIGTERM');
    await exit;
    rmSync(dir, { recursive: true, force: true });
  };
  const deadline = Date.now() + READY_TIMEOUT_MS;
  while (!lines.some((line) => line.includes(`Server listening on 127.0.0.1 port ${port}`))) {
    if (exited || Date.now() > deadline) {
      await stop();
      throw new Error(`sshd did not start listening on 127.0.0.1:${port}:\n${lines.join('\n')}`);
    }
    await delay(20);
  }
  return {
    host: '127.0.0.1',
    port,
    username: userInfo().username,
    key,
    encryptedKey: { ...encryptedKey, passphrase: PASSPHRASE },
    strangerKey,
    knownHostsLine,
    knownHosts,
    lines,
    stop,
  };
}
