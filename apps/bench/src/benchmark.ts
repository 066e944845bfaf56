import type { TempestConfig } from '@tempest/config';
import type { SampleOptions, Samples } from './sampler';

export interface BenchContext {
  config: TempestConfig;
  repoRoot: string;
  sampling: SampleOptions;
}

/** One named benchmark of the CLI: sets up what it measures, runs the samples, cleans up. */
export interface Benchmark {
  description: string;
  run(context: BenchContext): Promise<Samples>;
}

/** A failure the user can fix (missing build, unreachable server); main prints it without a stack. */
export class BenchSetupError extends Error {
  override name = 'BenchSetupError';
}
