import { execFile } from 'node:child_process';
import { createConnection } from 'node:net';
import { startTestSshd, type TestSshd } from './sshd';

/** The OpenSSH client, so the harness is checked by something other than the code under test. */
function ssh(sshd: TestSshd, keyFile: string, command: string, knownHosts?: string): Promise<{ code: number; stdout: string }> {
  const hostKeys = knownHosts ? ['-o', 'StrictHostKeyChecking=yes', '-o', `UserKnownHostsFile=${knownHosts}`] : ['-o', 'StrictHostKeyChecking=no', '-o', 'UserKnownHostsFile=/dev/null'];
  const args = ['-p', String(sshd.port), '-i', keyFile, '-o', 'BatchMode=yes', '-o', 'IdentitiesOnly=yes', ...hostKeys, `${sshd.username}@${sshd.host}`, command];
  return new Promise((resolve) => execFile('ssh', args, (error, stdout) => resolve({ code: error ? Number(error.code) : 0, stdout })));
}

function accepts(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = createConnection({ host: '127.0.0.1', port }, () => {
      socket.end();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

describe(startTestSshd.name, () => {
  let sut: TestSshd;
  beforeAll(async () => {
    sut = await startTestSshd();
  });
  afterAll(async () => {
    await sut?.stop();
  });

  it('lets the generated key log in as the current user', async () => {
    expect(await ssh(sut, sut.key.file, 'echo "$USER ok"')).toEqual({ code: 0, stdout: `${sut.username} ok\n` });
  });

  it('gives a known_hosts file with its host key, which OpenSSH\'s own client accepts strictly', async () => {
    expect(sut.knownHostsLine).toMatch(new RegExp(`^\\[127\\.0\\.0\\.1\\]:${sut.port} ssh-ed25519 AAAA\\S+$`));
    expect(await ssh(sut, sut.key.file, 'echo known', sut.knownHosts)).toEqual({ code: 0, stdout: 'known\n' });
  });

  it('turns away a key it does not know', async () => {
    expect((await ssh(sut, sut.strangerKey.file, 'true')).code).toBe(255);
    expect(sut.lines.join('\n')).toMatch(/Connection closed by authenticating user|Failed publickey/);
  });

  it('shares another instance\'s keys when asked, so one key logs in to both, until stopped', async () => {
    const other = await startTestSshd({ sameKeysAs: sut });
    expect(other.port).not.toBe(sut.port);
    expect((await ssh(other, sut.key.file, 'echo both')).stdout).toBe('both\n');
    await other.stop();
    expect(await accepts(other.port)).toBe(false);
  });
});
