import { runProcess } from '@tempest/testing';
import { descendants } from './process-tree';
import { BenchSetupError } from '../benchmark';
import type { Incarnation } from './chaos-process';

export const SERVICES = ['gateway', 'worker', 'sensors'] as const;
export type ServiceName = (typeof SERVICES)[number];

const READY_MS = 90_000;

/** What a service prints once it serves. */
const READY_LINE: Record<ServiceName, RegExp> = {
  gateway: /"gateway listening"/,
  worker: /"worker polling"/,
  sensors: /"sensor container ready"/,
};

/**
 * A compiled service, as `node --enable-source-maps dist/apps/<name>/src/main.js`
 * with `env`; ready once it prints its ready line. `lines` collects its output.
 * Used by the chaos platform and by the scale benchmark's extra processes.
 */
export function launchService(name: ServiceName, entry: string, env: NodeJS.ProcessEnv): { incarnation: Incarnation; lines: string[] } {
  const running = runProcess(entry, env, ['--enable-source-maps']);
  const pid = running.child.pid!;
  return {
    lines: running.lines,
    incarnation: {
      pid,
      exited: running.exited,
      ready: () => withDeadline(running.printed(READY_LINE[name]), `${name} to print its ready line`),
      tail: () => running.lines.slice(-50),
      kill: (signal, tree) => signalAll([pid, ...(tree ? descendants(pid) : [])], signal),
    },
  };
}

/** Signals each pid (a negative one: its process group); those already gone are skipped. */
export function signalAll(pids: number[], signal: NodeJS.Signals): void {
  for (const pid of pids) {
    try {
      process.kill(pid, signal);
    } catch {
      // already gone
    }
  }
}

async function withDeadline<T>(promise: Promise<T>, what: string): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new BenchSetupError(`timed out after ${READY_MS / 1000} s waiting for ${what}`)), READY_MS)));
  try {
    await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}
