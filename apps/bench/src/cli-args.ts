export interface BenchArgs {
  benchmark: string;
  runs: number;
  warmup: number;
  concurrency: number;
  /** The named benchmark's own flags (e.g. chaos's --events), defaults filled in. */
  options: Record<string, number>;
}

/** Thrown for a command line the CLI cannot run; main prints it and exits 2. */
export class UsageError extends Error {
  override name = 'UsageError';
}

/** A numeric flag of one benchmark: `--<name> N`. */
export interface FlagSpec {
  default: number;
  minimum: number;
  description: string;
}

type CommonFlag = 'runs' | 'warmup' | 'concurrency';

const common: Record<CommonFlag, FlagSpec> = {
  runs: { default: 100, minimum: 1, description: 'measured runs' },
  warmup: { default: 10, minimum: 0, description: 'runs before measuring' },
  concurrency: { default: 1, minimum: 1, description: 'runs at once' },
};

function parseCount(flag: string, spec: FlagSpec, value: string | undefined): number {
  if (value === undefined) throw new UsageError(`--${flag} needs a value`);
  const n = /^\d+$/.test(value) ? Number(value) : NaN;
  if (!Number.isSafeInteger(n) || n < spec.minimum) {
    throw new UsageError(`--${flag} must be a whole number >= ${spec.minimum}, got '${value}'`);
  }
  return n;
}

/**
 * `<benchmark> [--runs N] [--warmup N] [--concurrency N] [its own flags]`;
 * flags take `--flag N` or `--flag=N` (the form Nx uses when it forwards
 * arguments). `flagsOf` names a benchmark's own flags.
 */
export function parseArgs(
  argv: readonly string[],
  benchmarks: readonly string[],
  flagsOf: (benchmark: string) => Record<string, FlagSpec> = () => ({}),
): BenchArgs {
  const given: { name: string; value: string | undefined; arg: string }[] = [];
  let benchmark: string | undefined;
  for (let i = 0; i < argv.length; i += 1) {
    const arg = argv[i];
    if (arg.startsWith('-')) {
      const [name, inline] = arg.replace(/^--?/, '').split(/=(.*)/s, 2);
      given.push({ name, value: inline ?? argv[++i], arg: arg.split('=')[0] });
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
  const own = flagsOf(benchmark);
  const specs: Record<string, FlagSpec> = { ...common, ...own };
  const values = Object.fromEntries(Object.entries(specs).map(([name, spec]) => [name, spec.default]));
  for (const { name, value, arg } of given) {
    if (!Object.hasOwn(specs, name)) {
      throw new UsageError(`unknown flag ${arg} (flags: ${Object.keys(specs).map((flag) => `--${flag} N`).join(', ')})`);
    }
    values[name] = parseCount(name, specs[name], value);
  }
  const options = Object.fromEntries(Object.keys(own).map((name) => [name, values[name]]));
  return { benchmark, runs: values.runs, warmup: values.warmup, concurrency: values.concurrency, options };
}
