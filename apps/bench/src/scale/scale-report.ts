import { percentile, type LatencyStats } from '../stats';
import type { CpuUse } from './cpu';
import type { ExactlyOnceVerdict } from './exactly-once';
import type { HistoryTally } from './temporal-tally';

/** One measured phase: which processes served, what the clients got, what it cost. */
export interface PhaseFigures {
  label: string;
  /** Run with the extra gateways and workers (the others: the platform alone). */
  scaled: boolean;
  runs: number;
  wallMs: number;
  latency: LatencyStats;
  cpu?: CpuUse;
  tally?: HistoryTally;
}

export interface ScaleReport {
  ref: string;
  concurrency: number;
  warmup: number;
  phases: PhaseFigures[];
  verdict: ExactlyOnceVerdict;
  /** Problems to print in full. */
  show: number;
  /** Lines said as they are (a crashed extra process, a missing CPU account). */
  notes: string[];
}

/** Completed executions per second over the phase's timed runs. */
export function throughput(phase: Pick<PhaseFigures, 'runs' | 'wallMs'>): number {
  return phase.runs / (phase.wallMs / 1000);
}

const fixed = (n: number | undefined, digits = 0) => (n === undefined || Number.isNaN(n) ? '–' : n.toFixed(digits));

function table(header: string[], rows: string[][], first = 26, width = 12): string[] {
  const line = (cells: string[]) => cells.map((cell, i) => (i === 0 ? cell.padEnd(first) : cell.padStart(width))).join('');
  return [line(header), ...rows.map(line)];
}

function cpuTable(phases: PhaseFigures[]): string[] {
  const measured = phases.filter((p) => p.cpu);
  if (measured.length === 0) return [];
  const names = [...new Set(measured.flatMap((p) => Object.keys(p.cpu!.groups)))];
  const rows = names.map((name) => [name, ...phases.map((p) => fixed(p.cpu?.groups[name]))]);
  const total = (p: PhaseFigures) => (p.cpu ? Object.values(p.cpu.groups).reduce((sum, n) => sum + n, 0) : undefined);
  rows.push(['all of these', ...phases.map((p) => fixed(total(p)))]);
  const cores = measured[0].cpu!.cores;
  // CPU per execution does not depend on what else runs on the machine; the ceiling is what these cores would give with nothing else on them.
  const msPerRun = (p: PhaseFigures) => (p.cpu ? (total(p)! / 100) * (p.wallMs / p.runs) : undefined);
  rows.push(['CPU ms per execution', ...phases.map((p) => fixed(msPerRun(p)))]);
  rows.push([`ceiling on ${cores} idle cores/s`, ...phases.map((p) => fixed(p.cpu && (cores * 1000) / msPerRun(p)!, 1))]);
  return [
    '',
    `CPU in % of one core (the machine has ${cores}; ${cores * 100} = all of it):`,
    ...table(['process', ...phases.map((_, i) => `phase ${i + 1}`)], rows),
    `machine busy, other users included: ${phases.map((p) => (p.cpu ? `${fixed(p.cpu.machineBusy)}%` : '–')).join(' → ')} of all cores`,
  ];
}

function waits(values: readonly number[]): string {
  if (values.length === 0) return '–';
  const sorted = [...values].sort((a, b) => a - b);
  return `${fixed(percentile(sorted, 50))}/${fixed(percentile(sorted, 90))}/${fixed(sorted[sorted.length - 1])}`;
}

function tallyLines(phases: PhaseFigures[]): string[] {
  const tallied = phases.map((p, i) => ({ phase: i + 1, tally: p.tally })).filter((t) => t.tally && t.tally.workflows > 0);
  if (tallied.length === 0) return [];
  const lines = ['', 'From the workflow histories (a sample of each phase):'];
  for (const { phase, tally } of tallied) {
    const t = tally!;
    const total = [...t.activitiesByWorker.values()].reduce((sum, n) => sum + n, 0);
    const share = [...t.activitiesByWorker].map(([worker, n]) => `${worker} ${fixed((100 * n) / total)}%`).join(', ');
    lines.push(
      `  phase ${phase}: ${t.workflows} workflows, ${fixed(t.workflowTasksPerRun, 1)} workflow tasks and ${fixed(t.activitiesPerRun, 1)} activities each, ${t.activityRetries} activity retries`,
      `    activities run by: ${share || '–'}`,
      `    wait in the task queue, scheduled → started (median/p90/max ms): first workflow task ${waits(t.firstWorkflowTaskWaits)}, later ones ${waits(t.laterWorkflowTaskWaits)}, activities ${waits(t.activityTaskWaits)}`,
    );
  }
  return lines;
}

function verdictLines(verdict: ExactlyOnceVerdict, show: number): string[] {
  const { checked, duplicates, problems, redispatched } = verdict;
  const lines = [
    '',
    `exactly once: ${checked} executions checked in Postgres: ${duplicates.length} ran more than once, ${problems.length} other problems, ${redispatched.length} handed to a second dispatch`,
  ];
  if (redispatched.length > 0) {
    const ids = redispatched.slice(0, show).join(', ') + (redispatched.length > show ? ', ...' : '');
    lines.push(`  handed on after the first dispatch went silent until its heartbeat timed out, and fenced off (see their histories): ${ids}`);
  }
  for (const line of [...duplicates, ...problems].slice(0, show)) lines.push(`  ${line}`);
  if (duplicates.length + problems.length > show) lines.push(`  ... and ${duplicates.length + problems.length - show} more`);
  return lines;
}

/**
 * Scaled throughput over the platform alone: against the first phase, and, when the platform
 * alone was measured again afterwards, against the mean of both (other load on the machine drifts).
 */
export function factorLine(phases: readonly PhaseFigures[]): string {
  const alone = phases.map((p, i) => ({ p, n: i + 1 })).filter(({ p }) => !p.scaled);
  const scaled = phases.map((p, i) => ({ p, n: i + 1 })).filter(({ p }) => p.scaled);
  if (alone.length === 0 || scaled.length === 0) return 'factor: – (needs a phase of the platform alone and a scaled one)';
  const rate = scaled.reduce((sum, { p }) => sum + throughput(p), 0) / scaled.length;
  const against = (some: typeof alone) => rate / (some.reduce((sum, { p }) => sum + throughput(p), 0) / some.length);
  const names = (some: typeof alone) => {
    const numbers = some.map(({ n }) => String(n));
    return numbers.length === 1 ? `phase ${numbers[0]}` : `phases ${numbers.slice(0, -1).join(', ')} and ${numbers.at(-1)}`;
  };
  const label = `${names(scaled)} (${scaled[0].p.label})`;
  const first = `factor ${fixed(against(alone.slice(0, 1)), 2)}× (${label} against ${names(alone.slice(0, 1))})`;
  return alone.length > 1 ? `${first}, ${fixed(against(alone), 2)}× against the mean of ${names(alone)}` : first;
}

/** The report: throughput and latency of each phase, the factor, the CPU each process used, and the exactly-once check. */
export function formatScaleReport(report: ScaleReport): string {
  const { phases } = report;
  const rows = phases.map((p) => [p.label, fixed(throughput(p), 1), fixed(p.latency.median), fixed(p.latency.p90), fixed(p.latency.max), fixed(p.wallMs / 1000, 1)]);
  const lines = [
    `benchmark scale: ${report.ref} through the API, ${report.concurrency} clients, ${phases[0].runs} runs per phase (+${report.warmup} warm-up)`,
    ...table(['phase', 'runs/s', 'median ms', 'p90 ms', 'max ms', 'wall s'], rows),
    factorLine(phases),
    ...cpuTable(phases),
    ...tallyLines(phases),
    ...verdictLines(report.verdict, report.show),
    ...(report.notes.length ? ['', ...report.notes] : []),
  ];
  return `${lines.join('\n')}\n`;
}
