import { parseArgs, UsageError, type FlagSpec } from './cli-args';

describe(parseArgs.name, () => {
  const names = ['ping', 'core.noop'];

  it('defaults to 100 runs, 10 warm-up runs, one at a time', () => {
    expect(parseArgs(['ping'], names)).toEqual({ benchmark: 'ping', runs: 100, warmup: 10, concurrency: 1, options: {} });
  });

  it('reads --flag N and --flag=N, before or after the name', () => {
    expect(parseArgs(['--runs', '5', 'core.noop', '--warmup=0', '--concurrency', '8'], names)).toEqual({
      benchmark: 'core.noop',
      runs: 5,
      warmup: 0,
      concurrency: 8,
      options: {},
    });
  });

  it("reads a benchmark's own flags, with their defaults, and only for that benchmark", () => {
    const flagsOf = (name: string): Record<string, FlagSpec> => (name === 'ping' ? { events: { default: 300, minimum: 1, description: 'events' } } : {});
    expect(parseArgs(['ping'], names, flagsOf).options).toEqual({ events: 300 });
    expect(parseArgs(['ping', '--events=20'], names, flagsOf).options).toEqual({ events: 20 });
    expect(() => parseArgs(['core.noop', '--events', '20'], names, flagsOf)).toThrow(
      new UsageError('unknown flag --events (flags: --runs N, --warmup N, --concurrency N)'),
    );
    expect(() => parseArgs(['ping', '--events', '0'], names, flagsOf)).toThrow(new UsageError("--events must be a whole number >= 1, got '0'"));
  });

  it('lets a benchmark give a common flag its own default (scale: 16 clients, 300 runs a phase)', () => {
    const flagsOf = (name: string): Record<string, FlagSpec> =>
      name === 'ping'
        ? { concurrency: { default: 16, minimum: 1, description: 'clients' }, runs: { default: 300, minimum: 1, description: 'runs per phase' }, workers: { default: 2, minimum: 1, description: 'workers' } }
        : {};
    expect(parseArgs(['ping'], names, flagsOf)).toMatchObject({ runs: 300, warmup: 10, concurrency: 16, options: { workers: 2 } });
    expect(parseArgs(['ping', '--concurrency', '32', '--workers=3'], names, flagsOf)).toMatchObject({ concurrency: 32, options: { workers: 3 } });
    expect(parseArgs(['core.noop'], names, flagsOf)).toMatchObject({ runs: 100, concurrency: 1 });
    expect(() => parseArgs(['ping', '--workers', '0'], names, flagsOf)).toThrow(new UsageError("--workers must be a whole number >= 1, got '0'"));
  });

  it.each([
    [['ping', '--runz', '5'], 'unknown flag --runz (flags: --runs N, --warmup N, --concurrency N)'],
    [['ping', '--runs=abc'], "--runs must be a whole number >= 1, got 'abc'"],
    [['ping', '--runs', '1.5'], "--runs must be a whole number >= 1, got '1.5'"],
    [['ping', '--concurrency', '0'], "--concurrency must be a whole number >= 1, got '0'"],
    [['ping', '--warmup', '-1'], "--warmup must be a whole number >= 0, got '-1'"],
    [['ping', '--runs'], '--runs needs a value'],
    [['pong'], "unknown benchmark 'pong' (one of: ping, core.noop)"],
    [[], 'name a benchmark (one of: ping, core.noop)'],
    [['ping', 'core.noop'], "unexpected argument 'core.noop': run one benchmark at a time"],
  ])('rejects %j: %s', (argv, message) => {
    expect(() => parseArgs(argv, names)).toThrow(new UsageError(message));
  });
});
