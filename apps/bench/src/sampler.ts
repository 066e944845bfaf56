export interface SampleOptions {
  runs: number;
  warmup: number;
  concurrency: number;
}

export interface Samples {
  /** Duration of each timed run, in milliseconds. */
  samples: number[];
  /** Wall time of all timed runs together, for throughput. */
  wallMs: number;
}

/** Calls `run` `count` times, at most `concurrency` at once, timing each call. */
async function lanes(count: number, concurrency: number, first: number, run: (seq: number) => Promise<unknown>): Promise<number[]> {
  const samples: number[] = [];
  let next = 0;
  const lane = async () => {
    while (next < count) {
      const seq = first + next++;
      const start = performance.now();
      await run(seq);
      samples.push(performance.now() - start);
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, count) }, lane));
  return samples;
}

/**
 * Untimed warm-up runs first (JIT, connections, worker caches), then the timed
 * runs. `run` gets a sequence number unique across both, e.g. for workflow ids.
 */
export async function sample(run: (seq: number) => Promise<unknown>, options: SampleOptions): Promise<Samples> {
  await lanes(options.warmup, options.concurrency, 0, run);
  const start = performance.now();
  const samples = await lanes(options.runs, options.concurrency, options.warmup, run);
  return { samples, wallMs: performance.now() - start };
}
