import { ApiError, TempestClient } from '@tempest/client';
import type { TempestConfig } from '@tempest/config';
import { isTerminal } from '@tempest/domain';
import { BenchSetupError, type Benchmark, type BenchContext } from '../benchmark';
import { findGateway } from '../gateway';
import { sample } from '../sampler';

/** Starts one execution through the API and follows it (long polls of its output) until it ends; returns its id. */
export async function runToEnd(client: TempestClient, ref: string, parameters: Record<string, unknown>): Promise<string> {
  const { id } = await client.run(ref, parameters);
  for (let status = ''; !isTerminal(status); ) status = (await client.getOutput(id, undefined, 10)).status;
  return id;
}

/**
 * One run of an action as a user sees it: POST /executions, then follow the
 * execution until it ends — gateway, Temporal, worker, runner and the Postgres
 * mirror included. Needs a running platform (`npm start`).
 */
export async function actionRunner(config: TempestConfig, repoRoot: string, ref: string, parameters: Record<string, unknown>): Promise<() => Promise<{ id: string }>> {
  const client = new TempestClient(findGateway(config, repoRoot));
  try {
    await client.getAction(ref);
  } catch (error) {
    throw new BenchSetupError(`cannot use ${ref}: ${error instanceof ApiError ? error.message : error}; start Tempest with npm start`);
  }
  return async () => ({ id: await runToEnd(client, ref, parameters) });
}

function actionBenchmark(ref: string, parameters: Record<string, unknown>): Benchmark {
  return {
    description: `end-to-end latency of ${ref} through the API (request to recorded result)`,
    async run({ config, repoRoot, sampling }: BenchContext) {
      return sample(await actionRunner(config, repoRoot, ref, parameters), sampling);
    },
  };
}

export const noopBenchmark = actionBenchmark('core.noop', {});
export const localBenchmark = actionBenchmark('core.local', { cmd: 'true' });
