import { readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { setTimeout as delay } from 'node:timers/promises';
import { LaunchError, warn } from './console';

interface LockContent {
  pid: number;
  startedAt: string;
  mode: string;
  children: { name: string; pid: number; command: string }[];
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function commandLine(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').replace(/\0/g, ' ');
  } catch {
    return '';
  }
}

/**
 * One launcher per data folder. The lock file records the launcher and its
 * children, so that after a crash (kill -9) the next start can stop the
 * orphans that still hold ports and files instead of corrupting them.
 */
export class DataDirLock {
  private content: LockContent;

  private constructor(private readonly file: string, mode: string) {
    this.content = { pid: process.pid, startedAt: new Date().toISOString(), mode, children: [] };
  }

  static async acquire(file: string, mode: string): Promise<DataDirLock> {
    const lock = new DataDirLock(file, mode);
    for (let attempt = 0; attempt < 2; attempt++) {
      try {
        writeFileSync(file, JSON.stringify(lock.content), { flag: 'wx', mode: 0o600 });
        return lock;
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
        await lock.clearStale();
      }
    }
    throw new LaunchError(`could not take the lock ${file}; remove it if no Tempest is running`);
  }

  private async clearStale(): Promise<void> {
    let previous: LockContent | undefined;
    try {
      previous = JSON.parse(readFileSync(this.file, 'utf8')) as LockContent;
    } catch {
      previous = undefined;
    }
    if (previous && alive(previous.pid) && commandLine(previous.pid).includes('node')) {
      throw new LaunchError(
        `Tempest is already running on this data folder (${previous.mode}, pid ${previous.pid}, since ${previous.startedAt}); ` +
          'stop it first (Ctrl-C in its terminal), or use another TEMPEST_DATA_DIR',
      );
    }
    for (const child of previous?.children ?? []) {
      if (alive(child.pid) && commandLine(child.pid).includes(child.command)) {
        warn(`stopping ${child.name} (pid ${child.pid}) left running by a Tempest that did not shut down cleanly`);
        process.kill(child.pid, 'SIGKILL');
        // Its ports and files are free only once it is gone.
        for (let waited = 0; alive(child.pid) && waited < 5_000; waited += 50) await delay(50);
      }
    }
    rmSync(this.file, { force: true });
  }

  recordChild(name: string, pid: number, command: string): void {
    this.content.children = [...this.content.children.filter((c) => c.name !== name), { name, pid, command }];
    // Whole or not at all: another start (or an operator) may read it at any moment.
    const next = `${this.file}.${process.pid}.tmp`;
    writeFileSync(next, JSON.stringify(this.content), { mode: 0o600 });
    renameSync(next, this.file);
  }

  /** A recorded child runs again as a new process (restarted after a crash). */
  recordRestart(name: string, pid: number): void {
    const recorded = this.content.children.find((c) => c.name === name);
    if (recorded) this.recordChild(name, pid, recorded.command);
  }

  release(): void {
    rmSync(this.file, { force: true });
  }
}
