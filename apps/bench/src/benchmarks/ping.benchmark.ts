import type { Benchmark, BenchContext } from '../benchmark';
import { sample } from '../sampler';
import { startPingWorker } from './ping-worker';

async function runPing({ config, repoRoot, sampling }: BenchContext) {
  const ping = await startPingWorker(config, repoRoot);
  try {
    return await sample(ping.execute, sampling);
  } finally {
    await ping.close();
  }
}

export const pingBenchmark: Benchmark = {
  description: 'end-to-end latency of the ping workflow (one activity) through a Tempest worker',
  run: runPing,
};
