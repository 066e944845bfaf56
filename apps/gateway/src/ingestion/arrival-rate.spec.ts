import { ArrivalRate } from './arrival-rate';

describe(ArrivalRate.name, () => {
  let now: number;
  const sut = () => new ArrivalRate(() => now);

  beforeEach(() => (now = 10_000));

  it('counts the events of the last half second, per second', () => {
    const rate = sut();
    rate.note(); // starts the first window at 10 000
    now += 250;
    for (let i = 0; i < 100; i++) rate.note();
    now += 125;
    // 101 events over 375 ms
    expect(rate.perSecond()).toBeCloseTo((101 * 1000) / 375);
  });

  it('forgets a storm half a second after it ended', () => {
    const rate = sut();
    for (let i = 0; i < 500; i++) rate.note();
    now += 300;
    expect(rate.perSecond()).toBeGreaterThan(500);
    now += 500;
    expect(rate.perSecond()).toBe(0);
  });
});
