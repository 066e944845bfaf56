import { ApiError, TempestClient } from '@tempest/client';
import { isTerminal } from '@tempest/domain';
import { BenchSetupError, type Benchmark, type BenchContext } from '../benchmark';
import { findGateway } from '../gateway';
import { sample } from '../sampler';


/**
 * End-to-end latency of one action as a user sees it: POST /executions, then
 * follow the execution until it ends — gateway, Temporal, worker, runner and
 * the Postgres mirror included. Needs a running platform (`npm start`).
 */
function actionBenchmark(ref: string, parameters: Record<string, unknown>): Benchmark {
  return {
    description: `end-to-end latency of ${ref} through the API (request to recorded result)`,
    async run({ config, repoRoot, sampling }: BenchContext) {
      const client = new TempestClient(findGateway(config, repoRoot));
      try {
        await client.getAction(ref);
      } catch (error) {
        throw new BenchSetupError(`cannot use ${ref}: ${error instanceof ApiError ? error.message : error}; start Tempest with npm start`);
      }
      return sample(async () => {
        const { id } = await client.run(ref, parameters);
        for (let status = ''; !isTerminal(status); ) status = (await client.getOutput(id, undefined, 10)).status;
      }, sampling);
    },
  };
}

export const noopBenchmark = actionBenchmark('core.noop', {});
export const localBenchmark = actionBenchmark('core.local', { cmd: 'true' });
