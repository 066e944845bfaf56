import { execFileSync, spawn } from 'node:child_process';
import { closeSync, existsSync, mkdirSync, mkdtempSync, openSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { checkEnvNames, killCommand, PID_MARKER, remoteCommand } from './ssh-command';

// Remote shells parse these command lines, so the tests have a real bash parse them too.
const dir = mkdtempSync(join(tmpdir(), 'tempest-ssh-command-'));
const marker = join(dir, 'pwned');
const hostile = [`$(touch ${marker})`, `\`touch ${marker}\``, `'; touch ${marker}; echo '`, `"; touch ${marker}; echo "`, `a\nb; touch ${marker}`, '', '*'];

function bash(script: string, cwd = dir): string {
  return execFileSync('bash', ['-c', script], { cwd, encoding: 'utf8', stdio: 'pipe' });
}

describe(remoteCommand.name, () => {
  it('exports env, enters cwd, then runs the command, one line each', () => {
    const pid = "printf 'tempest-remote-pid %s\\n' \"$$\" >&2";
    expect(remoteCommand('uptime', { env: { A: '1', B: 'two words' }, cwd: '/srv/app', sudo: false })).toBe(`${pid}\nexport A=1 B='two words'\ncd -- /srv/app || exit 1\nuptime`);
    expect(remoteCommand('uptime', { env: {}, sudo: false })).toBe(`${pid}\nuptime`);
  });

  it('passes hostile env values through as exactly themselves', () => {
    const env = Object.fromEntries(hostile.map((value, i) => [`V${i}`, value]));
    const printed = bash(remoteCommand(hostile.map((_v, i) => `printf '[%s]' "$V${i}"`).join('; '), { env, sudo: false }));
    expect(printed).toBe(hostile.map((value) => `[${value}]`).join(''));
    expect(existsSync(marker)).toBe(false);
  });

  it('enters a cwd whatever its name, and stops if it cannot', () => {
    // Run from `dir`, where the relative `touch pwned` would land if the name broke out.
    const odd = join(dir, "it's $(touch pwned) here");
    mkdirSync(odd);
    expect(bash(remoteCommand('pwd', { env: {}, cwd: odd, sudo: false }))).toBe(`${odd}\n`);
    expect(existsSync(marker)).toBe(false);
    expect(() => bash(remoteCommand(`touch ${marker}`, { env: {}, cwd: join(dir, 'missing'), sudo: false }))).toThrow();
    expect(existsSync(marker)).toBe(false);
  });

  it('does not let a comment in the command swallow what comes before it', () => {
    expect(bash(remoteCommand('echo "$X" # a comment', { env: { X: 'kept' }, sudo: false }))).toBe('kept\n');
  });

  it('runs the same script under sudo as a single bash -c argument, with stdin given up after sudo', () => {
    const env = { V: hostile[0], W: hostile[2] };
    const sut = remoteCommand('printf "[%s][%s]" "$V" "$W"; cat', { env, cwd: dir, sudo: true });
    // A stand-in sudo that shows the argv the remote shell would hand to the real one.
    const argv = bash(`sudo() { printf '%s\\0' "$@"; }\n${sut}`).split('\0').slice(0, -1);
    expect(argv.slice(0, 7)).toEqual(['-S', '-E', '-p', '', '--', 'bash', '-c']);
    expect(argv).toHaveLength(8);
    // What sudo's bash then runs: the values intact, and stdin (where sudo's password was) closed to the command.
    // The password comes from a file, not a pipe: the script closes stdin early, and a pipe's writer would race it (EPIPE).
    const password = join(dir, 'sudo-password');
    writeFileSync(password, 'hunter2\n');
    const stdin = openSync(password, 'r');
    try {
      expect(execFileSync('bash', ['-c', argv[7]], { encoding: 'utf8', stdio: [stdin, 'pipe', 'pipe'] })).toBe(`[${hostile[0]}][${hostile[2]}]`);
    } finally {
      closeSync(stdin);
    }
    expect(existsSync(marker)).toBe(false);
  });
});

describe(killCommand.name, () => {
  it('signals the whole process group of a command, found by the pid it reports first on stderr', async () => {
    // Detached: a group of its own, as sshd gives each session.
    const child = spawn('bash', ['-c', remoteCommand('sleep 30 & wait', { env: {}, sudo: false })], { detached: true, stdio: ['ignore', 'ignore', 'pipe'] });
    const exited = new Promise((resolve) => child.once('exit', (_code, signal) => resolve(signal)));
    const stderr = await new Promise<string>((resolve) => child.stderr.setEncoding('utf8').once('data', resolve));
    expect([...stderr.matchAll(PID_MARKER)].map((m) => Number(m[1]))).toEqual([child.pid]);
    execFileSync('bash', ['-c', killCommand([child.pid!], 'KILL', false)]);
    expect(await exited).toBe('SIGKILL');
  });

  it('goes through sudo when the command did, signalling the group sudo started first', () => {
    expect(killCommand([4242, 4250], 'TERM', true)).toBe("sudo -S -p '' -- kill -TERM -- -4250 -4242");
  });
});

describe(checkEnvNames.name, () => {
  it('accepts shell variable names', () => {
    expect(checkEnvNames({ PATH_EXTRA: 1, _x: 2, a1: 3 })).toBeUndefined();
  });

  it('refuses names a shell cannot export, since a name cannot be quoted', () => {
    expect(checkEnvNames({ OK: 1, 'X;touch /tmp/x': 2, '1A': 3, 'A-B': 4 })).toBe(
      'env: "X;touch /tmp/x", "1A", "A-B" cannot be an environment variable name (letters, digits and _, not starting with a digit)',
    );
  });
});
