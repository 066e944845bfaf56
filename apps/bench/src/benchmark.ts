import type { TempestConfig } from '@tempest/config';
import type { FlagSpec } from './cli-args';
import type { SampleOptions, Samples } from './sampler';

export interface BenchContext {
  config: TempestConfig;
  repoRoot: string;
  sampling: SampleOptions;
  /** The benchmark's own flags (see `Benchmark.flags`), defaults filled in. */
  options: Record<string, number>;
}

/** What a benchmark measured; `details` are lines printed after the latency table (e.g. one row per size). */
export interface BenchResult extends Samples {
  details?: string;
}

/** What a benchmark that measures with an outside tool (no per-run samples) prints, whole. */
export interface BenchReportText {
  report: string;
  /** The run found what the benchmark checks to be wrong (e.g. a lost event): the CLI exits 1 after the report. */
  failed?: boolean;
}

/** One named benchmark of the CLI: sets up what it measures, runs the samples, cleans up. */
export interface Benchmark {
  description: string;
  /** Flags of its own, beyond --runs, --warmup and --concurrency. */
  flags?: Record<string, FlagSpec>;
  run(context: BenchContext): Promise<BenchResult | BenchReportText>;
}

/** A failure the user can fix (missing build, unreachable server); main prints it without a stack. */
export class BenchSetupError extends Error {
  override name = 'BenchSetupError';
}
