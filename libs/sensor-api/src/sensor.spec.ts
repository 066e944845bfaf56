import { DEFAULT_POLL_INTERVAL_SECONDS, PollingSensor, type SensorService } from './sensor';

class Counter extends PollingSensor {
  polls = 0;
  poll() {
    this.polls += 1;
  }
}

describe(PollingSensor.name, () => {
  const service = {} as SensorService;

  it("polls every 5 seconds by default, StackStorm's default", () => {
    const sut = new Counter(service, {});
    expect(sut.getPollInterval()).toBe(DEFAULT_POLL_INTERVAL_SECONDS);
    expect(DEFAULT_POLL_INTERVAL_SECONDS).toBe(5);
  });

  it('keeps the service, the config and a changed poll interval', () => {
    const sut = new Counter(service, { path: '/tmp/x' }, 30);
    sut.setPollInterval(2);
    expect(sut.sensorService).toBe(service);
    expect(sut.config).toEqual({ path: '/tmp/x' });
    expect(sut.getPollInterval()).toBe(2);
  });
});
