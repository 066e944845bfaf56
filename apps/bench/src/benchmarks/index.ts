import type { Benchmark } from '../benchmark';
import { localBenchmark, noopBenchmark } from './action.benchmark';
import { chaosBenchmark } from './chaos.benchmark';
import { floorBenchmark } from './floor.benchmark';
import { memoryBenchmark } from './memory.benchmark';
import { pingBenchmark } from './ping.benchmark';
import { rulesBenchmark } from './rules.benchmark';
import { scaleBenchmark } from './scale.benchmark';
import { webhookBenchmark } from './webhook.benchmark';
import { workflowsBenchmark } from './workflows.benchmark';

/** Every benchmark the CLI runs, by the name given on its command line. */
export const benchmarks: Record<string, Benchmark> = {
  ping: pingBenchmark,
  'core.noop': noopBenchmark,
  'core.local': localBenchmark,
  rules: rulesBenchmark,
  webhook: webhookBenchmark,
  chaos: chaosBenchmark,
  floor: floorBenchmark,
  memory: memoryBenchmark,
  scale: scaleBenchmark,
  workflows: workflowsBenchmark,
};
