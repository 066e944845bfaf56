import { readdirSync, readFileSync } from 'node:fs';

/** One line of the process table, as /proc tells it. */
export interface ProcessEntry {
  pid: number;
  ppid: number;
  pgid: number;
  command: string;
}

/** Memory of one process in KiB: resident, proportional (shared pages split among their users), unique (private). */
export interface MemoryKiB {
  rss: number;
  pss: number;
  uss: number;
}

/** "pid (comm) state ppid pgrp ...": comm may hold spaces and parentheses, so the fields are read after the last ')'. */
export function parseStat(stat: string): { ppid: number; pgid: number } {
  const [, ppid, pgid] = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return { ppid: Number(ppid), pgid: Number(pgid) };
}

/** The totals of /proc/<pid>/smaps_rollup (kB, as the kernel counts them). */
export function parseSmapsRollup(text: string): MemoryKiB {
  const field = (name: string) => Number(new RegExp(`^${name}:\\s+(\\d+) kB`, 'm').exec(text)?.[1] ?? 0);
  return { rss: field('Rss'), pss: field('Pss'), uss: field('Private_Clean') + field('Private_Dirty') };
}

/** Every live process of the machine, by pid. */
export function readProcessTable(): Map<number, ProcessEntry> {
  const table = new Map<number, ProcessEntry>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const pid = Number(entry);
      const { ppid, pgid } = parseStat(readFileSync(`/proc/${pid}/stat`, 'utf8'));
      const command = readFileSync(`/proc/${pid}/cmdline`, 'utf8').replace(/\0+$/, '').replace(/\0/g, ' ');
      table.set(pid, { pid, ppid, pgid, command });
    } catch {
      // it ended while we looked
    }
  }
  return table;
}

/** The process's memory, or undefined once it has ended (or is a kernel thread). */
export function readMemory(pid: number): MemoryKiB | undefined {
  try {
    return parseSmapsRollup(readFileSync(`/proc/${pid}/smaps_rollup`, 'utf8'));
  } catch {
    return undefined;
  }
}
