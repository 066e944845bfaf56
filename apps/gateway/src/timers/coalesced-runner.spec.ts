import { CoalescedRunner } from './coalesced-runner';

function deferred() {
  let resolve!: () => void;
  let reject!: (error: Error) => void;
  const promise = new Promise<void>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

describe(CoalescedRunner.name, () => {
  let runs: ReturnType<typeof deferred>[];
  let errors: number[];
  let sut: CoalescedRunner;

  beforeEach(() => {
    jest.useFakeTimers();
    runs = [];
    errors = [];
    sut = new CoalescedRunner(
      () => {
        const run = deferred();
        runs.push(run);
        return run.promise;
      },
      { debounceMs: 100, maxBackoffMs: 4_000, onError: (_error, retryInMs) => errors.push(retryInMs) },
    );
  });
  afterEach(() => jest.useRealTimers());

  it('makes one run of a burst of requests, after the debounce', async () => {
    for (let i = 0; i < 5; i++) sut.request();
    await jest.advanceTimersByTimeAsync(99);
    expect(runs).toHaveLength(0);
    await jest.advanceTimersByTimeAsync(1);
    expect(runs).toHaveLength(1);
    runs[0].resolve();
    await jest.advanceTimersByTimeAsync(1_000);
    expect(runs).toHaveLength(1);
  });

  it('runs exactly once more for requests made during a run', async () => {
    sut.request();
    await jest.advanceTimersByTimeAsync(100);
    sut.request();
    sut.request();
    await jest.advanceTimersByTimeAsync(1_000);
    expect(runs).toHaveLength(1);
    runs[0].resolve();
    await jest.advanceTimersByTimeAsync(100);
    expect(runs).toHaveLength(2);
    runs[1].resolve();
    await jest.advanceTimersByTimeAsync(1_000);
    expect(runs).toHaveLength(2);
  });

  it('retries a failed run with a doubling backoff, up to the maximum, until one succeeds', async () => {
    sut.request();
    for (let attempt = 0; attempt < 4; attempt++) {
      await jest.advanceTimersByTimeAsync(attempt === 0 ? 100 : errors[attempt - 1]);
      expect(runs).toHaveLength(attempt + 1);
      runs[attempt].reject(new Error('Temporal is down'));
      await jest.advanceTimersByTimeAsync(0);
    }
    expect(errors).toEqual([1_000, 2_000, 4_000, 4_000]);
    await jest.advanceTimersByTimeAsync(4_000);
    runs[4].resolve();
    await jest.advanceTimersByTimeAsync(10_000);
    expect(runs).toHaveLength(5);
  });

  it('waits for the run under way on close, and runs nothing after', async () => {
    sut.request();
    await jest.advanceTimersByTimeAsync(100);
    let closed = false;
    const closing = sut.close().then(() => (closed = true));
    sut.request();
    await jest.advanceTimersByTimeAsync(0);
    expect(closed).toBe(false);
    runs[0].resolve();
    await closing;
    await jest.advanceTimersByTimeAsync(10_000);
    expect(runs).toHaveLength(1);
  });
});
