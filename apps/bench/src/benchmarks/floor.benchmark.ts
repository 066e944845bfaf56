import type { Benchmark, BenchContext, BenchReportText } from '../benchmark';
import { sample } from '../sampler';
import { percentile } from '../stats';
import { actionRunner } from './action.benchmark';
import { judgeFloor, type Round } from './floor-verdict';
import { startPingWorker } from './ping-worker';

/** One client for latency (goal 2), then the two loads (goal 1). */
const LEVELS = [1, 8, 32];

/**
 * Goals 1 and 2 of the performance issue in one run: `core.noop` through the
 * API against the bare one-activity workflow on the same Temporal server,
 * alternating the two round by round so a noisy neighbour hits both alike.
 */
async function runFloor({ config, repoRoot, sampling, options }: BenchContext): Promise<BenchReportText> {
  const tempest = await actionRunner(config, repoRoot, 'core.noop', {});
  const ping = await startPingWorker(config, repoRoot);
  const rounds: Round[] = [];
  let seq = 0;
  const measure = async (system: Round['system'], concurrency: number) => {
    const run = system === 'bare' ? () => ping.execute(seq++) : tempest;
    const { samples, wallMs } = await sample(run, { ...sampling, concurrency });
    const medianMs = percentile([...samples].sort((a, b) => a - b), 50);
    rounds.push({ system, concurrency, medianMs, perSecond: sampling.runs / (wallMs / 1000) });
    process.stderr.write(`round: ${system} at ${concurrency}: median ${medianMs.toFixed(1)} ms, ${(sampling.runs / (wallMs / 1000)).toFixed(1)}/s\n`);
  };
  try {
    for (let round = 0; round < options.rounds; round++) {
      for (const concurrency of LEVELS) {
        await measure('bare', concurrency);
        await measure('tempest', concurrency);
      }
    }
  } finally {
    await ping.close();
  }
  return judgeFloor(rounds);
}

export const floorBenchmark: Benchmark = {
  description: 'goals 1 and 2: core.noop through the API against bare Temporal, at 1, 8 and 32 clients',
  flags: { rounds: { default: 3, minimum: 1, description: 'alternated rounds per level' } },
  run: runFloor,
};
