import { setTimeout as delay } from 'node:timers/promises';

/** One run of a process: its pid, its exit, and the readiness probe for it. */
export interface Incarnation {
  pid: number;
  /** Exit code, or the signal's name when a signal ended it. */
  exited: Promise<number | string | null>;
  /** Resolves once it serves; rejects if it exits first or does not within the deadline. */
  ready(): Promise<void>;
  /** Its last lines of output, to say why it exited. */
  tail(): string[];
  /** Signals it; with `tree`, every process below it too, in whatever process group (as when a container dies). */
  kill(signal: NodeJS.Signals, tree?: boolean): void;
}

/** An exit nobody asked for, restarted by the harness. */
export interface Crash {
  name: string;
  pid: number;
  at: number;
  code: number | string | null;
  tail: string[];
}

const CRASH_RESTART_DELAY_MS = 1_000;
/** A process that keeps crashing is left down after this many restarts, and the run says so. */
const MAX_CRASH_RESTARTS = 20;

/**
 * One platform process under chaos: `kill9` it, `restart` it, and, like a
 * supervisor, restart it after an exit that no kill caused (counted as a
 * crash, since that is a finding of its own).
 */
export class ChaosProcess {
  private current?: Incarnation;
  private down = false;
  private stopping = false;
  private restarts = 0;
  readonly crashes: Crash[] = [];

  constructor(
    readonly name: string,
    private readonly launch: () => Incarnation,
    private readonly clock: () => number,
  ) {}

  get pid(): number | undefined {
    return this.current?.pid;
  }

  async start(): Promise<void> {
    const incarnation = this.launch();
    this.current = incarnation;
    void incarnation.exited.then((code) => this.onExit(incarnation, code));
    await incarnation.ready();
  }

  /** `kill -9` (with `tree`, of everything it started too), and waits for the exit; the process stays down until `restart`. */
  async kill9(tree = false): Promise<void> {
    const incarnation = this.current;
    if (!incarnation) return;
    this.down = true;
    incarnation.kill('SIGKILL', tree);
    await incarnation.exited;
  }

  async restart(): Promise<void> {
    this.down = false;
    await this.start();
  }

  /** Asks it to stop (`signal`), then SIGKILL after `graceMs`. */
  async stop(signal: NodeJS.Signals, graceMs = 15_000): Promise<void> {
    this.stopping = true;
    const incarnation = this.current;
    if (!incarnation) return;
    incarnation.kill(signal);
    const timer = setTimeout(() => incarnation.kill('SIGKILL'), graceMs);
    await incarnation.exited;
    clearTimeout(timer);
  }

  private onExit(incarnation: Incarnation, code: number | string | null): void {
    if (this.down || this.stopping || incarnation !== this.current) return;
    this.crashes.push({ name: this.name, pid: incarnation.pid, at: this.clock(), code, tail: incarnation.tail() });
    if (this.restarts >= MAX_CRASH_RESTARTS) return;
    this.restarts += 1;
    void delay(CRASH_RESTART_DELAY_MS)
      .then(() => (this.down || this.stopping || incarnation !== this.current ? undefined : this.start()))
      .catch(() => undefined); // a failed start exits too, and that exit restarts it again
  }
}
