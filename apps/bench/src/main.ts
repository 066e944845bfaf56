import { DefaultLogger, Runtime } from '@temporalio/worker';
import { ConfigError, findRepoRoot, loadConfig } from '@tempest/config';
import { BenchSetupError } from './benchmark';
import { benchmarks } from './benchmarks';
import { parseArgs, UsageError } from './cli-args';
import { formatReport, summarize } from './stats';

// Usage: node dist/apps/bench/src/main.js <benchmark> [--runs N] [--warmup N] [--concurrency N] [its own flags]
async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2), Object.keys(benchmarks), (name) => benchmarks[name].flags ?? {});
  const config = loadConfig(process.env);
  // Only the SDK's warnings, on stderr: stdout carries the report alone.
  Runtime.install({ logger: new DefaultLogger('WARN') });
  const { runs, warmup, concurrency } = args;
  const result = await benchmarks[args.benchmark].run({
    config,
    repoRoot: findRepoRoot(),
    sampling: { runs, warmup, concurrency },
    options: args.options,
  });
  if ('report' in result) {
    process.stdout.write(result.report);
    if (result.failed) process.exitCode = 1;
    return;
  }
  const { samples, wallMs, details } = result;
  process.stdout.write(formatReport({ benchmark: args.benchmark, runs, warmup, concurrency, stats: summarize(samples), wallMs }) + (details ?? ''));
}

main().catch((error) => {
  if (error instanceof UsageError) {
    console.error(`bench: ${error.message}`);
    process.exit(2);
  }
  const known = error instanceof ConfigError || error instanceof BenchSetupError;
  console.error(known ? error.message : `bench failed: ${error instanceof Error ? error.message : error}`);
  process.exit(1);
});
