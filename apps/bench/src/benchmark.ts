import type { TempestConfig } from '@tempest/config';
import type { SampleOptions, Samples } from './sampler';

export interface BenchContext {
  config: TempestConfig;
  repoRoot: string;
  sampling: SampleOptions;
}

/** What a benchmark measured; `details` are lines printed after the latency table (e.g. one row per size). */
export interface BenchResult extends Samples {
  details?: string;
}

/** What a benchmark that measures with an outside tool (no per-run samples) prints, whole. */
export interface BenchReportText {
  report: string;
}

/** One named benchmark of the CLI: sets up what it measures, runs the samples, cleans up. */
export interface Benchmark {
  description: string;
  run(context: BenchContext): Promise<BenchResult | BenchReportText>;
}

/** A failure the user can fix (missing build, unreachable server); main prints it without a stack. */
export class BenchSetupError extends Error {
  override name = 'BenchSetupError';
}
