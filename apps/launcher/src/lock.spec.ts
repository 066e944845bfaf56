import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DataDirLock } from './lock';

describe(DataDirLock.name, () => {
  const dir = mkdtempSync(join(tmpdir(), 'tempest-lock-'));
  let file: string;
  let n = 0;
  beforeEach(() => {
    file = join(dir, `lock-${n++}`);
  });

  it('refuses a second holder while the first runs, saying who holds it', async () => {
    const sut = await DataDirLock.acquire(file, 'npm start');
    await expect(DataDirLock.acquire(file, 'npm start')).rejects.toThrow(
      new RegExp(`Tempest is already running on this data folder \\(npm start, pid ${process.pid}`),
    );
    sut.release();
    expect(existsSync(file)).toBe(false);
  });

  it('takes over a lock whose holder died, stopping the children it left behind', async () => {
    const orphan = spawn('sleep', ['300'], { detached: true, stdio: 'ignore' });
    const exited = new Promise((resolve) => orphan.once('exit', (_code, signal) => resolve(signal)));
    writeFileSync(file, JSON.stringify({ pid: 2 ** 22 + 1, startedAt: 'then', mode: 'npm start', children: [{ name: 'temporal', pid: orphan.pid, command: 'sleep' }] }));
    const sut = await DataDirLock.acquire(file, 'npm start');
    expect(await exited).toBe('SIGKILL');
    sut.release();
  });

  it('leaves alone a recorded pid that now belongs to another program', async () => {
    const bystander = spawn('sleep', ['300'], { stdio: 'ignore' });
    writeFileSync(file, JSON.stringify({ pid: 2 ** 22 + 1, startedAt: 'then', mode: 'npm start', children: [{ name: 'postgres', pid: bystander.pid, command: 'bin/postgres' }] }));
    const sut = await DataDirLock.acquire(file, 'npm start');
    expect(bystander.exitCode).toBeNull();
    expect(bystander.signalCode).toBeNull();
    bystander.kill();
    sut.release();
  });
});
