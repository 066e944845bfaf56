import { sample } from './sampler';

describe(sample.name, () => {
  it('times only the runs after the warm-up, numbering calls across both', async () => {
    const seen: number[] = [];
    const result = await sample(async (seq) => seen.push(seq), { runs: 3, warmup: 2, concurrency: 1 });
    expect(seen).toEqual([0, 1, 2, 3, 4]);
    expect(result.samples).toHaveLength(3);
    expect(result.wallMs).toBeGreaterThanOrEqual(0);
  });

  it('keeps at most `concurrency` calls in flight', async () => {
    let inFlight = 0;
    let peak = 0;
    const run = async () => {
      peak = Math.max(peak, ++inFlight);
      await new Promise((resolve) => setImmediate(resolve));
      inFlight -= 1;
    };
    const result = await sample(run, { runs: 20, warmup: 0, concurrency: 4 });
    expect(peak).toBe(4);
    expect(result.samples).toHaveLength(20);
  });
});
