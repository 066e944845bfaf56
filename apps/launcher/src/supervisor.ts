import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream, mkdirSync } from 'node:fs';
import { constants } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { LaunchError, say, warn } from './console';
import { RestartBackoff, type RestartPolicy } from './restart-backoff';

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

export interface SupervisorEvents {
  /** A service exited and will not be restarted (restarts are off, or it keeps crashing). */
  onGaveUp(name: string, reason: string, tail: string[]): void;
  /** A crashed service runs again, as a new process. */
  onRestarted?(name: string, child: ChildProcess): void;
}

/** One run of a child. */
interface Incarnation {
  process: ChildProcess;
  startedAt: number;
  exited: Promise<number | null>;
}

/** One service: its current process, its last lines, and the back-off across its restarts. */
interface Slot extends Incarnation {
  spec: ChildSpec;
  tail: string[];
  backoff: RestartBackoff;
  restartTimer?: NodeJS.Timeout;
}

const STOP_GRACE_MS = 15_000;

/**
 * Runs the platform's processes. Each child gets its own process group, so a
 * Ctrl-C reaches only the launcher, which then stops children in reverse start
 * order (services before the databases they use). Output goes to
 * `<logDir>/<name>.log`. Once `restartCrashed()` is called, a service that
 * exits is started again with exponential back-off, until it keeps crashing.
 */
export class Supervisor {
  private readonly slots: Slot[] = [];
  private stopping = false;
  private restarting = false;
  // Children run in process groups of their own, so nothing takes them along if the
  // launcher dies without stopping them (an error nobody caught): this does, as it exits.
  private readonly killAllOnExit = () => {
    for (const slot of this.slots) if (running(slot.process)) signal(slot.process.pid, 'SIGKILL');
  };

  constructor(
    private readonly logDir: string,
    private readonly events: SupervisorEvents,
    private readonly policy?: RestartPolicy,
  ) {
    mkdirSync(logDir, { recursive: true });
    process.on('exit', this.killAllOnExit);
  }

  logFile(name: string): string {
    return join(this.logDir, `${name}.log`);
  }

  /** From now on a crashed service is restarted rather than reported (before, a crash is a failed start). */
  restartCrashed(): void {
    this.restarting = true;
  }

  start(spec: ChildSpec): ChildProcess {
    if (this.stopping) throw new LaunchError(`not starting ${spec.name}: stopping`);
    const tail: string[] = [];
    const slot: Slot = { spec, tail, backoff: new RestartBackoff(this.policy), ...this.spawn(spec, tail) };
    this.watch(slot);
    this.slots.push(slot);
    return slot.process;
  }

  private spawn(spec: ChildSpec, tail: string[]): Incarnation {
    const log = createWriteStream(this.logFile(spec.name), { flags: 'a' });
    // A log that cannot be written (a full disk) must not take the launcher, and so every service, down.
    log.on('error', (error) => warn(`cannot write ${this.logFile(spec.name)}: ${error.message}`));
    const child = spawn(spec.command, spec.args, {
      env: spec.env ?? process.env,
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
      uid: spec.uid,
      gid: spec.gid,
    });
    const onLine = (line: string) => {
      // A process's own children (Postgres backends) may write after it exited, until they close the pipe.
      if (!log.writableEnded) log.write(`${line}\n`);
      tail.push(line);
      if (tail.length > 20) tail.shift();
      if (spec.echoWarnings && /"level":"(warn|error|fatal)"/.test(line)) warn(`${spec.name}: ${line}`);
    };
    for (const stream of [child.stdout, child.stderr]) createInterface({ input: stream! }).on('line', onLine);
    const exited = new Promise<number | null>((resolve) => {
      // A signal reads as the shell shows it: kill -9 is 137.
      child.once('exit', (code, sig) => resolve(code ?? (sig ? 128 + constants.signals[sig] : null)));
      // A process that never started emits no 'exit': 127, as a shell says of a missing command.
      child.once('error', (error) => {
        onLine(`failed to start ${spec.command}: ${error.message}`);
        if (child.pid === undefined) resolve(127);
      });
    });
    // 'close', not 'exit': the log stays open until everyone holding the pipes let go of them.
    child.once('close', () => log.end());
    return { process: child, startedAt: Date.now(), exited };
  }

  private watch(slot: Slot): void {
    const child = slot.process;
    void slot.exited.then((code) => {
      if (this.stopping || slot.spec.oneShot) return;
      // What it left behind (Postgres backends, a sensor's own processes) would hold
      // the ports and shared memory its successor needs.
      signal(child.pid, 'SIGKILL');
      this.onCrash(slot, code);
    });
  }

  private onCrash(slot: Slot, code: number | null): void {
    const { name } = slot.spec;
    if (!this.restarting) return this.events.onGaveUp(name, `exited unexpectedly (code ${code})`, slot.tail);
    const decision = slot.backoff.next(Date.now() - slot.startedAt);
    if ('giveUp' in decision) {
      return this.events.onGaveUp(name, `keeps crashing: exited (code ${code}), ${decision.crashes} times in a row soon after starting`, slot.tail);
    }
    warn(`${name} exited (code ${code}); restarting in ${decision.delayMs / 1000} s (restart ${decision.restart})`);
    slot.restartTimer = setTimeout(() => {
      if (this.stopping) return;
      Object.assign(slot, this.spawn(slot.spec, slot.tail));
      this.watch(slot);
      say(`${name} restarted (pid ${slot.process.pid})`);
      this.events.onRestarted?.(name, slot.process);
    }, decision.delayMs);
  }

  /** Resolves when the named child's current process exits (for readiness checks that race a crash). */
  exited(name: string): Promise<number | null> {
    const slot = this.slots.find((s) => s.spec.name === name);
    return slot ? slot.exited : Promise.resolve(null);
  }

  /** The stop signal to each child, newest first; SIGKILL to any that outlives the grace period. */
  async stopAll(): Promise<void> {
    this.stopping = true;
    for (const slot of this.slots) clearTimeout(slot.restartTimer);
    for (const slot of [...this.slots].reverse()) {
      const child = slot.process;
      if (!running(child)) continue;
      signal(child.pid, slot.spec.stopSignal ?? 'SIGTERM');
      let timer: NodeJS.Timeout | undefined;
      const killed = new Promise<void>((resolve) => {
        timer = setTimeout(() => {
          warn(`${slot.spec.name} did not stop within ${STOP_GRACE_MS / 1000}s; killing it`);
          signal(child.pid, 'SIGKILL');
          resolve();
        }, STOP_GRACE_MS);
      });
      await Promise.race([slot.exited, killed]);
      await slot.exited;
      clearTimeout(timer);
    }
    process.removeListener('exit', this.killAllOnExit);
  }
}

function running(child: ChildProcess): boolean {
  return child.exitCode === null && child.signalCode === null && child.pid !== undefined;
}

/** Signals the child's whole process group (it may have children of its own). */
function signal(pid: number | undefined, sig: NodeJS.Signals): void {
  if (!pid) return;
  try {
    process.kill(-pid, sig);
  } catch {
    // already gone
  }
}
