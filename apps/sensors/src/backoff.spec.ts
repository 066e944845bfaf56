import { RESTART_BACKOFF, restartDelay } from './backoff';

describe(restartDelay.name, () => {
  it('doubles the wait after each failure in a row, up to the cap', () => {
    expect([1, 2, 3, 4, 5, 6, 7, 8, 20].map((n) => restartDelay(n))).toEqual([1_000, 2_000, 4_000, 8_000, 16_000, 32_000, 60_000, 60_000, 60_000]);
    expect(restartDelay(3, { ...RESTART_BACKOFF, initialMs: 100, maxMs: 250 })).toBe(250);
  });
});
