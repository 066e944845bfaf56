/** Latency summary of one benchmark, every figure in milliseconds. */
export interface LatencyStats {
  count: number;
  mean: number;
  min: number;
  median: number;
  p90: number;
  p99: number;
  max: number;
}

/**
 * The p-th percentile (0..100) of ascending samples, interpolating linearly
 * between the closest ranks (numpy's default): the median of an even count is
 * the mean of the middle two, and few samples never jump to the maximum.
 */
export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) throw new RangeError('percentile of no samples');
  const rank = (p / 100) * (sorted.length - 1);
  const below = Math.floor(rank);
  const above = Math.min(below + 1, sorted.length - 1);
  return sorted[below] + (sorted[above] - sorted[below]) * (rank - below);
}

export function summarize(samples: readonly number[]): LatencyStats {
  if (samples.length === 0) throw new RangeError('cannot summarize zero samples');
  const sorted = [...samples].sort((a, b) => a - b);
  return {
    count: sorted.length,
    mean: sorted.reduce((sum, ms) => sum + ms, 0) / sorted.length,
    min: sorted[0],
    median: percentile(sorted, 50),
    p90: percentile(sorted, 90),
    p99: percentile(sorted, 99),
    max: sorted[sorted.length - 1],
  };
}

export interface BenchReport {
  benchmark: string;
  runs: number;
  warmup: number;
  concurrency: number;
  stats: LatencyStats;
  /** Wall time of the timed runs together (warm-up excluded). */
  wallMs: number;
}

const columns = ['median', 'p90', 'p99', 'min', 'max', 'mean'] as const;

/**
 * A header line and a small table; throughput only with concurrency > 1,
 * where it says more than 1000 / mean does.
 */
export function formatReport(report: BenchReport): string {
  const { benchmark, runs, warmup, concurrency, stats } = report;
  const width = 10;
  const lines = [
    `benchmark ${benchmark}: ${runs} runs (+${warmup} warm-up), concurrency ${concurrency}, latency in ms`,
    columns.map((name) => name.padStart(width)).join(''),
    columns.map((name) => stats[name].toFixed(2).padStart(width)).join(''),
  ];
  if (concurrency > 1) {
    lines.push(`throughput ${(runs / (report.wallMs / 1000)).toFixed(1)} runs/s over ${(report.wallMs / 1000).toFixed(2)} s`);
  }
  return `${lines.join('\n')}\n`;
}
