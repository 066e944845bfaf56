import { DEFAULT_RESTART_POLICY, RestartBackoff } from './restart-backoff';

describe(RestartBackoff.name, () => {
  const quickly = 1_000;

  it('doubles the delay on each crash in a row, up to the cap, then gives up', () => {
    const sut = new RestartBackoff({ firstDelayMs: 500, maxDelayMs: 2_000, stableAfterMs: 30_000, maxRestarts: 4 });
    const decisions = [1, 2, 3, 4, 5].map(() => sut.next(quickly));
    expect(decisions).toEqual([
      { restart: 1, delayMs: 500 },
      { restart: 2, delayMs: 1_000 },
      { restart: 3, delayMs: 2_000 },
      { restart: 4, delayMs: 2_000 },
      { giveUp: true, crashes: 5 },
    ]);
  });

  it('starts afresh after a run that lasted', () => {
    const sut = new RestartBackoff(DEFAULT_RESTART_POLICY);
    sut.next(quickly);
    sut.next(quickly);
    expect(sut.next(DEFAULT_RESTART_POLICY.stableAfterMs)).toEqual({ restart: 1, delayMs: DEFAULT_RESTART_POLICY.firstDelayMs });
  });

  it('restarts a crash loop for a few seconds before giving up', () => {
    const sut = new RestartBackoff();
    const delays: number[] = [];
    for (let decision = sut.next(0); 'delayMs' in decision; decision = sut.next(0)) delays.push(decision.delayMs);
    expect(delays).toEqual([500, 1_000, 2_000, 4_000, 8_000]);
  });
});
