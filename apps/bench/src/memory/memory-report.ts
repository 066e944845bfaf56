import type { MemoryKiB } from './proc';
import type { PlatformProcess } from './platform-processes';

export interface MeasuredProcess extends PlatformProcess {
  memory: MemoryKiB;
  /** What it is, when the process title does not say (a Postgres backend's client). */
  label?: string;
}

/** One sample: every process of the platform with its memory. */
export type MemorySample = MeasuredProcess[];

interface Group extends MemoryKiB {
  service: string;
  processes: number;
}

const mib = (kib: number) => (kib / 1024).toFixed(1);

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

function groups(sample: MemorySample): Group[] {
  const byService = new Map<string, Group>();
  for (const { service, memory } of sample) {
    const group = byService.get(service) ?? { service, processes: 0, rss: 0, pss: 0, uss: 0 };
    byService.set(service, { service, processes: group.processes + 1, rss: group.rss + memory.rss, pss: group.pss + memory.pss, uss: group.uss + memory.uss });
  }
  return [...byService.values()];
}

function row(name: string, processes: number, memory: MemoryKiB): string {
  return `${name.padEnd(22)}${String(processes).padStart(9)}${mib(memory.rss).padStart(10)}${mib(memory.pss).padStart(10)}${mib(memory.uss).padStart(10)}`;
}

/** A short name for a process: its title without the path of its program. */
function describe(process: MeasuredProcess): string {
  const text = process.command.replace(/^\S*\/(?=\S)/, '').replace(/ --enable-source-maps/, '').replace(/\/\S*\/dist\//, 'dist/');
  const short = text.length > 70 ? `${text.slice(0, 67)}...` : text;
  return process.label ? `${short} [${process.label}]` : short;
}

/**
 * Per service, the median over the samples of its process count and memory
 * (MiB), then the total, then the processes of the last sample one by one.
 */
export function formatMemoryReport(samples: MemorySample[], intervalMs: number): string {
  const services = [...new Set(samples.flatMap((sample) => sample.map((p) => p.service)))];
  const perSample = samples.map((sample) => new Map(groups(sample).map((g) => [g.service, g])));
  const medianOf = (pick: (sample: Map<string, Group>) => number) => median(perSample.map(pick));
  const header = `${'service'.padEnd(22)}${'processes'.padStart(9)}${'RSS'.padStart(10)}${'PSS'.padStart(10)}${'USS'.padStart(10)}`;
  const lines = [
    `benchmark memory: the platform's processes, median of ${samples.length} sample(s) ${intervalMs / 1000} s apart, MiB`,
    '(RSS counts shared pages in every process that maps them; PSS splits them among their users, also',
    ' outside the platform; USS is what the process alone holds, freed when it exits)',
    header,
  ];
  for (const service of services) {
    const at = (sample: Map<string, Group>) => sample.get(service);
    lines.push(
      row(service, medianOf((s) => at(s)?.processes ?? 0), {
        rss: medianOf((s) => at(s)?.rss ?? 0),
        pss: medianOf((s) => at(s)?.pss ?? 0),
        uss: medianOf((s) => at(s)?.uss ?? 0),
      }),
    );
  }
  const total = (pick: (g: Group) => number) => medianOf((s) => [...s.values()].reduce((sum, g) => sum + pick(g), 0));
  lines.push(row('total', total((g) => g.processes), { rss: total((g) => g.rss), pss: total((g) => g.pss), uss: total((g) => g.uss) }));
  lines.push('', 'processes (last sample):', `${'pid'.padStart(8)}  ${'service'.padEnd(10)}${'RSS'.padStart(8)}${'PSS'.padStart(8)}${'USS'.padStart(8)}  command`);
  for (const process of samples[samples.length - 1] ?? []) {
    const { rss, pss, uss } = process.memory;
    lines.push(`${String(process.pid).padStart(8)}  ${process.service.padEnd(10)}${mib(rss).padStart(8)}${mib(pss).padStart(8)}${mib(uss).padStart(8)}  ${describe(process)}`);
  }
  return `${lines.join('\n')}\n`;
}
