import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream, mkdirSync, type WriteStream } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { LaunchError, warn } from './console';

export interface ChildSpec {
  name: string;
  command: string;
  args: string[];
  env?: NodeJS.ProcessEnv;
  uid?: number;
  gid?: number;
  /** Signal that asks it to stop; SIGTERM unless it needs another (Postgres: SIGINT, fast shutdown). */
  stopSignal?: NodeJS.Signals;
  /** A job that ends by itself (its caller awaits `exited`), not a service whose exit is a failure. */
  oneShot?: boolean;
  /** Echo log lines at warn level and above to the terminal (JSON logs only). */
  echoWarnings?: boolean;
}

interface Running {
  spec: ChildSpec;
  process: ChildProcess;
  exited: Promise<number | null>;
  log: WriteStream;
  tail: string[];
}

const STOP_GRACE_MS = 15_000;

/**
 * Runs the platform's processes. Each child gets its own process group, so a
 * Ctrl-C reaches only the launcher, which then stops children in reverse start
 * order (services before the databases they use). Output goes to
 * `<logDir>/<name>.log`.
 */
export class Supervisor {
  private readonly running: Running[] = [];
  private stopping = false;

  constructor(
    private readonly logDir: string,
    private readonly onUnexpectedExit: (name: string, code: number | null, tail: string[]) => void,
  ) {
    mkdirSync(logDir, { recursive: true });
  }

  logFile(name: string): string {
    return join(this.logDir, `${name}.log`);
  }

  start(spec: ChildSpec): ChildProcess {
    if (this.stopping) throw new LaunchError(`not starting ${spec.name}: stopping`);
    const log = createWriteStream(this.logFile(spec.name), { flags: 'a' });
    const child = spawn(spec.command, spec.args, {
      env: spec.env ?? process.env,
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
      uid: spec.uid,
      gid: spec.gid,
    });
    const entry: Running = { spec, process: child, log, tail: [], exited: new Promise((resolve) => child.once('exit', (code) => resolve(code))) };
    for (const stream of [child.stdout, child.stderr]) {
      createInterface({ input: stream! }).on('line', (line) => this.onLine(entry, line));
    }
    child.once('error', (error) => this.onLine(entry, `failed to start ${spec.command}: ${error.message}`));
    void entry.exited.then((code) => {
      log.end();
      if (!this.stopping && !spec.oneShot) this.onUnexpectedExit(spec.name, code, entry.tail);
    });
    this.running.push(entry);
    return child;
  }

  /** Resolves when the named child exits (for readiness checks that race a crash). */
  exited(name: string): Promise<number | null> {
    const entry = this.running.find((r) => r.spec.name === name);
    return entry ? entry.exited : Promise.resolve(null);
  }

  private onLine(entry: Running, line: string): void {
    entry.log.write(`${line}\n`);
    entry.tail.push(line);
    if (entry.tail.length > 20) entry.tail.shift();
    if (entry.spec.echoWarnings && /"level":"(warn|error|fatal)"/.test(line)) warn(`${entry.spec.name}: ${line}`);
  }

  /** The stop signal to each child, newest first; SIGKILL to any that outlives the grace period. */
  async stopAll(): Promise<void> {
    this.stopping = true;
    for (const entry of [...this.running].reverse()) {
      if (entry.process.exitCode !== null || entry.process.signalCode !== null || !entry.process.pid) continue;
      signal(entry.process.pid, entry.spec.stopSignal ?? 'SIGTERM');
      let timer: NodeJS.Timeout | undefined;
      const killed = new Promise<void>((resolve) => {
        timer = setTimeout(() => {
          warn(`${entry.spec.name} did not stop within ${STOP_GRACE_MS / 1000}s; killing it`);
          signal(entry.process.pid!, 'SIGKILL');
          resolve();
        }, STOP_GRACE_MS);
      });
      await Promise.race([entry.exited, killed]);
      await entry.exited;
      clearTimeout(timer);
    }
  }
}

/** Signals the child's whole process group (it may have children of its own). */
function signal(pid: number, sig: NodeJS.Signals): void {
  try {
    process.kill(-pid, sig);
  } catch {
    // already gone
  }
}
