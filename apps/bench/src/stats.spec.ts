import { formatReport, percentile, summarize, type BenchReport } from './stats';

describe(percentile.name, () => {
  it('interpolates between the closest ranks', () => {
    const sorted = Array.from({ length: 11 }, (_, i) => i * 10); // 0, 10, ... 100
    expect(percentile(sorted, 50)).toBe(50);
    expect(percentile(sorted, 90)).toBe(90);
    expect(percentile(sorted, 99)).toBeCloseTo(99);
    expect(percentile(sorted, 0)).toBe(0);
    expect(percentile(sorted, 100)).toBe(100);
  });

  it('refuses no samples', () => {
    expect(() => percentile([], 50)).toThrow(RangeError);
  });
});

describe(summarize.name, () => {
  it('takes the middle sample of an odd count, whatever the input order', () => {
    expect(summarize([5, 1, 3, 2, 4])).toEqual({ count: 5, mean: 3, min: 1, median: 3, p90: 4.6, p99: expect.closeTo(4.96), max: 5 });
  });

  it('averages the middle two of an even count', () => {
    const stats = summarize([4, 1, 3, 2]);
    expect(stats.median).toBe(2.5);
    expect(stats.p90).toBeCloseTo(3.7);
    expect(stats.p99).toBeCloseTo(3.97);
    expect(stats.mean).toBe(2.5);
  });

  it('puts p90 and p99 in the tail of 100 samples', () => {
    const stats = summarize(Array.from({ length: 100 }, (_, i) => 100 - i)); // 1..100, reversed
    expect(stats).toMatchObject({ min: 1, max: 100, median: 50.5, mean: 50.5 });
    expect(stats.p90).toBeCloseTo(90.1);
    expect(stats.p99).toBeCloseTo(99.01);
  });

  it('gives the one value for every figure of a single sample', () => {
    expect(summarize([7.5])).toEqual({ count: 1, mean: 7.5, min: 7.5, median: 7.5, p90: 7.5, p99: 7.5, max: 7.5 });
  });

  it('leaves its input unsorted', () => {
    const samples = [3, 1, 2];
    summarize(samples);
    expect(samples).toEqual([3, 1, 2]);
  });

  it('refuses zero samples', () => {
    expect(() => summarize([])).toThrow(RangeError);
  });
});

describe(formatReport.name, () => {
  const report: BenchReport = {
    benchmark: 'ping',
    runs: 4,
    warmup: 1,
    concurrency: 1,
    stats: summarize([4, 1, 3, 2]),
    wallMs: 500,
  };

  it('names the benchmark, runs and concurrency, then the figures in ms', () => {
    expect(formatReport(report)).toBe(
      [
        'benchmark ping: 4 runs (+1 warm-up), concurrency 1, latency in ms',
        '    median       p90       p99       min       max      mean',
        '      2.50      3.70      3.97      1.00      4.00      2.50',
        '',
      ].join('\n'),
    );
  });

  it('adds throughput only with concurrency above 1', () => {
    expect(formatReport(report)).not.toContain('throughput');
    expect(formatReport({ ...report, concurrency: 2 })).toContain('throughput 8.0 runs/s over 0.50 s');
  });
});
