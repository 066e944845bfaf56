export interface BenchArgs {
  benchmark: string;
  runs: number;
  warmup: number;
  concurrency: number;
}

/** Thrown for a command line the CLI cannot run; main prints it and exits 2. */
export class UsageError extends Error {
  override name = 'UsageError';
}

type Flag = 'runs' | 'warmup' | 'concurrency';

const defaults: Record<Flag, number> = { runs: 100, warmup: 10, concurrency: 1 };
const minimum: Record<Flag, number> = { runs: 1, warmup: 0, concurrency: 1 };
const flagList = Object.keys(defaults).map((flag) => `--${flag} N`).join(', ');

function isFlag(name: string): name is Flag {
  return Object.hasOwn(defaults, name);
}

function parseCount(flag: Flag, value: string | undefined): number {
  if (value === undefined) throw new UsageError(`--${flag} needs a value`);
  const n = /^\d+$/.test(value) ? Number(value) : NaN;
  if (!Number.isSafeInteger(n) || n < minimum[flag]) {
    throw new UsageError(`--${flag} must be a whole number >= ${minimum[flag]}, got '${value}'`);
  }
  return n;
}

/**
 * `<benchmark> [--runs N] [--warmup N] [--concurrency N]`; flags take
 * `--flag N` or `--flag=N` (the form Nx uses when it forwards arguments).
 */
export function parseArgs(argv: readonly string[], benchmarks: readonly string[]): BenchArgs {
  const counts = { ...defaults };
  let benchmark: string | undefined;
  for (let i = 0; i < argv.length; i += 1) {
    const arg = argv[i];
    if (arg.startsWith('-')) {
      const [name, inline] = arg.replace(/^--?/, '').split(/=(.*)/s, 2);
      if (!isFlag(name)) throw new UsageError(`unknown flag ${arg.split('=')[0]} (flags: ${flagList})`);
      counts[name] = parseCount(name, inline ?? argv[++i]);
    } else if (benchmark === undefined) {
      benchmark = arg;
    } else {
      throw new UsageError(`unexpected argument '${arg}': run one benchmark at a time`);
    }
  }
  if (benchmark === undefined) throw new UsageError(`name a benchmark (one of: ${benchmarks.join(', ')})`);
  if (!benchmarks.includes(benchmark)) {
    throw new UsageError(`unknown benchmark '${benchmark}' (one of: ${benchmarks.join(', ')})`);
  }
  return { benchmark, ...counts };
}
