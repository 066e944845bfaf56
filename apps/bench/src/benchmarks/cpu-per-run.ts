import { cpuUse, type CpuSnapshot } from '../scale/cpu';
import { percentile } from '../stats';

/** Milliseconds of CPU each process group spent per run between two snapshots. */
export function cpuMsPerRun(before: CpuSnapshot, after: CpuSnapshot, runs: number, hz?: number): Record<string, number> {
  const { groups } = cpuUse(before, after, hz);
  const seconds = (after.at - before.at) / 1000;
  return Object.fromEntries(Object.entries(groups).map(([name, percentOfCore]) => [name, (percentOfCore / 100) * seconds * 1000 / runs]));
}

/** The median over rounds of each group's CPU per run, side by side for the systems, with their totals. */
export function formatCpu(level: number, bySystem: Record<string, readonly Record<string, number>[]>): string {
  const systems = Object.keys(bySystem);
  const groups = [...new Set(systems.flatMap((s) => bySystem[s].flatMap((round) => Object.keys(round))))];
  const median = (system: string, group: string) => {
    const values = bySystem[system].map((round) => round[group] ?? 0).sort((a, b) => a - b);
    return values.length ? percentile(values, 50) : 0;
  };
  const line = (label: string, cells: number[]) => `${label.padEnd(30)}${cells.map((c) => c.toFixed(1).padStart(12)).join('')}`;
  return [
    `${`CPU ms per run, ${level} clients`.padEnd(30)}${systems.map((s) => s.padStart(12)).join('')}`,
    ...groups.map((group) => line(group, systems.map((s) => median(s, group)))),
    line('total', systems.map((s) => groups.reduce((sum, group) => sum + median(s, group), 0))),
  ].join('\n') + '\n';
}
