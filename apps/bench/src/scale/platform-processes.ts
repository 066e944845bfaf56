import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ProcessGroups } from './cpu';

/**
 * The processes `npm start` runs, by name, from the lock file it keeps in its
 * data folder (`tempest.lock`: the launcher and each child's pid), each with
 * the processes below it (Postgres's backends, the worker's actions).
 */
export function lockedProcesses(lockText: string): ProcessGroups {
  const lock = JSON.parse(lockText) as { children?: { name?: unknown; pid?: unknown }[] };
  const groups: ProcessGroups = {};
  for (const child of lock.children ?? []) {
    if (typeof child.name === 'string' && Number.isSafeInteger(child.pid)) groups[child.name] = { pid: child.pid as number, tree: true };
  }
  return groups;
}

/** The running platform's processes, or why they cannot be accounted for. */
export function readPlatformProcesses(dataDir: string): ProcessGroups | string {
  const file = join(dataDir, 'tempest.lock');
  try {
    const groups = lockedProcesses(readFileSync(file, 'utf8'));
    const alive = Object.entries(groups).filter(([, { pid }]) => isAlive(pid));
    return alive.length > 0 ? Object.fromEntries(alive) : `no live process listed in ${file}`;
  } catch (error) {
    return `cannot read ${file} (${error instanceof Error ? error.message : error})`;
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
