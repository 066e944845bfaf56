import { judgeFloor, type Round } from './floor-verdict';

function rounds(tempest: { ms: number; perSecond: Record<number, number> }): Round[] {
  const bare = { ms: 100, perSecond: { 1: 10, 8: 40, 32: 40 } as Record<number, number> };
  return [1, 8, 32].flatMap((concurrency) => [
    { system: 'bare' as const, concurrency, medianMs: bare.ms, perSecond: bare.perSecond[concurrency] },
    { system: 'tempest' as const, concurrency, medianMs: tempest.ms, perSecond: tempest.perSecond[concurrency] },
  ]);
}

describe(judgeFloor.name, () => {
  it('passes when latency and throughput are near the bare workflow and do not fall with load', () => {
    const { report, failed } = judgeFloor(rounds({ ms: 125, perSecond: { 1: 8, 8: 34, 32: 35 } }));
    expect(failed).toBe(false);
    expect(report).toContain('goal 2, median latency at 1 client(s): 1.25× bare (goal ≤ 1.3×) PASS');
    expect(report).toContain('goal 1, executions/s at 8 clients: 0.85× bare (goal ≥ 0.8×) PASS');
    expect(report).toContain('goal 1, no collapse: executions/s at 32 clients 1.03× those at 8 (goal ≥ 0.95×) PASS');
  });

  it('fails each goal missed, and says which', () => {
    const { report, failed } = judgeFloor(rounds({ ms: 150, perSecond: { 1: 6, 8: 34, 32: 20 } }));
    expect(failed).toBe(true);
    expect(report).toContain('1.50× bare (goal ≤ 1.3×) FAIL');
    expect(report).toContain('goal 1, executions/s at 32 clients: 0.50× bare (goal ≥ 0.8×) FAIL');
    expect(report).toContain('0.59× those at 8 (goal ≥ 0.95×) FAIL');
  });

  it('takes the median of the rounds, so one disturbed round does not decide', () => {
    const one = rounds({ ms: 120, perSecond: { 1: 8, 8: 36, 32: 36 } });
    const disturbed = rounds({ ms: 400, perSecond: { 1: 2, 8: 5, 32: 5 } });
    expect(judgeFloor([...one, ...one, ...disturbed]).failed).toBe(false);
  });
});
