import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { findRepoRoot } from '@tempest/config';
import { eventually, runProcess } from '@tempest/testing';
import { Supervisor } from './supervisor';

describe(Supervisor.name, () => {
  const logDir = mkdtempSync(join(tmpdir(), 'tempest-supervisor-'));
  const quick = { firstDelayMs: 20, maxDelayMs: 40, stableAfterMs: 60_000, maxRestarts: 3 };
  const crashing = (name: string) => ({ name, command: process.execPath, args: ['-e', 'console.log("up"); process.exit(3)'] });
  let said: string[];
  let sut: Supervisor | undefined;

  beforeEach(() => {
    said = [];
    // The launcher's console lines, as a person at the terminal reads them.
    jest.spyOn(process.stderr, 'write').mockImplementation((line) => said.push(String(line).trimEnd()) > 0);
    jest.spyOn(process.stdout, 'write').mockImplementation((line) => said.push(String(line).trimEnd()) > 0);
  });
  afterEach(async () => {
    await sut?.stopAll();
    jest.restoreAllMocks();
  });

  it('restarts a crashed service with growing delays, saying so, and gives up when it keeps crashing', async () => {
    const restarted: number[] = [];
    const gaveUp = new Promise<{ name: string; reason: string; tail: string[] }>((resolve) => {
      sut = new Supervisor(logDir, { onGaveUp: (name, reason, tail) => resolve({ name, reason, tail }), onRestarted: (_name, child) => restarted.push(child.pid!) }, quick);
    });
    sut!.restartCrashed();
    const first = sut!.start(crashing('flaky'));

    expect(await gaveUp).toEqual({ name: 'flaky', reason: 'keeps crashing: exited (code 3), 4 times in a row soon after starting', tail: ['up', 'up', 'up', 'up'] });
    expect(said.filter((line) => line.includes('flaky exited'))).toEqual([
      'tempest: flaky exited (code 3); restarting in 0.02 s (restart 1)',
      'tempest: flaky exited (code 3); restarting in 0.04 s (restart 2)',
      'tempest: flaky exited (code 3); restarting in 0.04 s (restart 3)',
    ]);
    expect(restarted).toHaveLength(3);
    expect(restarted).not.toContain(first.pid);
  });

  it('leaves no child running when the launcher itself dies of an error nobody caught', async () => {
    // Children run in process groups of their own (so Ctrl-C reaches only the launcher): a launcher that dies must take them along.
    const compiled = join(findRepoRoot(), 'dist/apps/launcher/src/supervisor.js');
    const launcher = runProcess(
      [
        `const sut = new (require(${JSON.stringify(compiled)}).Supervisor)(${JSON.stringify(logDir)}, { onGaveUp: () => undefined });`,
        `console.log('child', sut.start({ name: 'sleeper', command: process.execPath, args: ['-e', 'setInterval(() => undefined, 1000)'] }).pid);`,
        `setTimeout(() => { throw new Error('a bug in the launcher'); }, 100);`,
      ].join('\n'),
      {},
      ['-e'],
    );
    const child = Number((await launcher.printed(/^child \d+$/)).split(' ')[1]);
    expect(await launcher.exited).toBe(1);
    await eventually(() => !alive(child), `the launcher's child ${child} to be gone`, 5_000);
  });

  it('reports a crash at once, restarting nothing, until told to restart crashed services', async () => {
    const gaveUp = new Promise<string>((resolve) => {
      sut = new Supervisor(logDir, { onGaveUp: (name, reason) => resolve(`${name} ${reason}`), onRestarted: () => said.push('restarted') }, quick);
    });
    sut!.start(crashing('early'));
    expect(await gaveUp).toBe('early exited unexpectedly (code 3)');
    expect(said).toEqual([]);
  });

  it('reports a command that cannot start, saying why in its log', async () => {
    const gaveUp = new Promise<string>((resolve) => {
      sut = new Supervisor(logDir, { onGaveUp: (name, reason) => resolve(`${name} ${reason}`) }, quick);
    });
    sut!.start({ name: 'missing', command: join(logDir, 'no-such-program'), args: [] });
    expect(await gaveUp).toBe('missing exited unexpectedly (code 127)');
    expect(await eventually(() => readLog('missing'), 'the log line')).toMatch(/^failed to start .*no-such-program: spawn .* ENOENT$/);
  });

  it('reads a kill -9 as the shell does (137), and kills what the crashed process left in its group', async () => {
    let gaveUp = '';
    sut = new Supervisor(logDir, { onGaveUp: (name, reason) => (gaveUp = `${name} ${reason}`) }, quick);
    // A shell whose own child outlives it unless the group is killed.
    const parent = sut.start({ name: 'parent', command: 'bash', args: ['-c', 'sleep 300 & echo $!; wait'] });
    const orphan = Number(await eventually(() => readLog('parent'), 'the background pid in the log'));
    process.kill(parent.pid!, 'SIGKILL');
    await eventually(() => gaveUp || undefined, 'the crash reported');
    expect(gaveUp).toBe('parent exited unexpectedly (code 137)');
    await eventually(() => !alive(orphan), `pid ${orphan} (left behind by the crashed process) to be gone`);
  });

  it('keeps logging what a process left behind writes after it exited, without crashing the launcher', async () => {
    // Postgres killed -9: its backends still write to the inherited pipe after the postmaster's exit.
    sut = new Supervisor(logDir, { onGaveUp: () => undefined }, quick);
    const leaver = [
      "const { spawn } = require('node:child_process');",
      "spawn(process.execPath, ['-e', 'const p = ' + process.pid + '; const t = setInterval(() => { try { process.kill(p, 0); } catch { console.log(\\'left behind\\'); clearInterval(t); } }, 10)'], { stdio: 'inherit' }).unref();",
      "console.log('leaving');",
    ].join('\n');
    const parent = sut.start({ name: 'leaver', command: process.execPath, args: ['-e', leaver], oneShot: true });
    await new Promise((resolve) => parent.once('exit', resolve));
    await eventually(() => readFileSync(join(logDir, 'leaver.log'), 'utf8').includes('left behind\n'), "the orphan's line in the log");
  });

  function readLog(name: string): string | undefined {
    try {
      return readFileSync(join(logDir, `${name}.log`), 'utf8').trim().split('\n')[0] || undefined;
    } catch {
      return undefined;
    }
  }
});

/** Running, not merely a zombie waiting for init to reap it. */
function alive(pid: number): boolean {
  try {
    return !/^\d+ \(.*\) Z/.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return false;
  }
}
