import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { descendants } from '../chaos/process-tree';

/**
 * CPU time of a process from its /proc/<pid>/stat line, in clock ticks: its
 * own user and system time, plus that of the children it has waited for (a
 * Postgres backend that ended is counted in its postmaster).
 */
export function processTicks(stat: string): number {
  // "pid (comm) state ppid ...": comm may hold spaces and parentheses, so count fields after the last ')'.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  // Fields 14-17 of proc(5) (utime, stime, cutime, cstime) are 11-14 after comm and state.
  return fields.slice(11, 15).reduce((sum, field) => sum + Number(field), 0);
}

/** The machine's busy and total CPU ticks (all cores) from the first line of /proc/stat; idle and iowait are not busy. */
export function machineTicks(procStat: string): { busy: number; total: number } {
  const [label, ...values] = procStat.split('\n')[0].trim().split(/\s+/);
  if (label !== 'cpu') throw new Error(`not a /proc/stat cpu line: ${label}`);
  // user nice system idle iowait irq softirq steal (guest time is already in user).
  const ticks = values.slice(0, 8).map(Number);
  const total = ticks.reduce((sum, n) => sum + n, 0);
  return { busy: total - ticks[3] - ticks[4], total };
}

/** Processes to account for, by name: a pid, with every process below it when `tree` is set. */
export type ProcessGroups = Record<string, { pid: number; tree: boolean }>;

export interface CpuSnapshot {
  at: number;
  groups: Record<string, number>;
  machine: { busy: number; total: number };
}

function readTicks(pid: number): number {
  try {
    return processTicks(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return 0; // ended while we looked
  }
}

/** CPU ticks of each group (root and every live process below it) and of the machine, now. */
export function cpuSnapshot(groups: ProcessGroups): CpuSnapshot {
  const ticks = Object.fromEntries(
    Object.entries(groups).map(([name, { pid, tree }]) => [name, [pid, ...(tree ? descendants(pid) : [])].reduce((sum, p) => sum + readTicks(p), 0)]),
  );
  return { at: performance.now(), groups: ticks, machine: machineTicks(readFileSync('/proc/stat', 'utf8')) };
}

/** How much CPU was used between two snapshots. */
export interface CpuUse {
  /** Per group, in per cent of one core. */
  groups: Record<string, number>;
  /** The whole machine, in per cent of all its cores. */
  machineBusy: number;
  cores: number;
}

let ticksPerSecond: number | undefined;

function clockTicks(): number {
  try {
    ticksPerSecond ??= Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
  } catch {
    ticksPerSecond = 100; // Linux's USER_HZ nearly everywhere
  }
  return ticksPerSecond;
}

export function cpuUse(before: CpuSnapshot, after: CpuSnapshot, hz = clockTicks()): CpuUse {
  const seconds = (after.at - before.at) / 1000;
  const groups = Object.fromEntries(Object.keys(after.groups).map((name) => [name, (100 * (after.groups[name] - (before.groups[name] ?? 0))) / hz / seconds]));
  const total = after.machine.total - before.machine.total;
  const cores = Math.max(1, Math.round(total / hz / seconds));
  return { groups, machineBusy: total > 0 ? (100 * (after.machine.busy - before.machine.busy)) / total : 0, cores };
}
