import { cpuMsPerRun, formatCpu } from './cpu-per-run';

describe(cpuMsPerRun.name, () => {
  it('divides the CPU each group used by the runs done meanwhile', () => {
    const before = { at: 0, groups: { gateway: 100, worker: 50 }, machine: { busy: 0, total: 0 } };
    // 2 s later, at 100 ticks per second: the gateway used 1 s of CPU, the worker half of one.
    const after = { at: 2000, groups: { gateway: 200, worker: 100 }, machine: { busy: 300, total: 400 } };
    expect(cpuMsPerRun(before, after, 50, 100)).toEqual({ gateway: 20, worker: 10 });
  });
});

describe(formatCpu.name, () => {
  it('prints the median of the rounds per group, a column per system, and the totals', () => {
    const report = formatCpu(8, { bare: [{ temporal: 30, bench: 10 }], tempest: [{ temporal: 32, gateway: 12 }, { temporal: 40, gateway: 14 }, { temporal: 34, gateway: 13 }] });
    expect(report.split('\n')).toEqual([
      expect.stringMatching(/^CPU ms per run, 8 clients\s+bare\s+tempest$/),
      expect.stringMatching(/^temporal\s+30\.0\s+34\.0$/),
      expect.stringMatching(/^bench\s+10\.0\s+0\.0$/),
      expect.stringMatching(/^gateway\s+0\.0\s+13\.0$/),
      expect.stringMatching(/^total\s+40\.0\s+47\.0$/),
      '',
    ]);
  });
});
