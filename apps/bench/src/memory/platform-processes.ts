import type { ProcessEntry } from './proc';

/** What `npm start` records in `<data dir>/tempest.lock`: the launcher and the services it started. */
export interface LauncherLock {
  pid: number;
  children: { name: string; pid: number }[];
}

export interface PlatformProcess extends ProcessEntry {
  /** The service it belongs to: a recorded child's name, `launcher`, or `npm start` for the wrapper above it. */
  service: string;
}

export const WRAPPER = 'npm start';
export const LAUNCHER = 'launcher';

/** The command a user typed: npm and the shell it runs the script in, up to the launcher. */
const WRAPPER_COMMAND = /(^|\/)npm( |$)|tempest-dev\.mjs/;

/**
 * Every process of a running platform: the wrapper processes above the
 * launcher (same process group, npm or the start script), the launcher, and
 * everything below it, each under the recorded child it descends from (a
 * Postgres backend under `postgres`, a sensor's process under `sensors`).
 */
export function platformProcesses(lock: LauncherLock, table: Map<number, ProcessEntry>): PlatformProcess[] {
  const launcher = table.get(lock.pid);
  if (!launcher) return [];
  const found: PlatformProcess[] = [{ ...launcher, service: LAUNCHER }];
  for (let parent = table.get(launcher.ppid); parent && parent.pgid === launcher.pgid && WRAPPER_COMMAND.test(parent.command); parent = table.get(parent.ppid)) {
    found.unshift({ ...parent, service: WRAPPER });
  }
  const children = new Map<number, ProcessEntry[]>();
  for (const entry of table.values()) children.set(entry.ppid, [...(children.get(entry.ppid) ?? []), entry]);
  const serviceOf = new Map(lock.children.map((child) => [child.pid, child.name]));
  const walk = (pid: number, service: string) => {
    for (const child of children.get(pid) ?? []) {
      const own = service === LAUNCHER ? (serviceOf.get(child.pid) ?? LAUNCHER) : service;
      found.push({ ...child, service: own });
      walk(child.pid, own);
    }
  };
  walk(launcher.pid, LAUNCHER);
  return found;
}
