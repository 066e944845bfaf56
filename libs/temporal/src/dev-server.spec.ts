import { devServerArgs } from './dev-server';
import { SEARCH_ATTRIBUTES } from './names';

describe(devServerArgs.name, () => {
  const options = { dbFile: '/data/temporal.sqlite', port: 7233, uiPort: 8233, namespace: 'default' };

  it('persists to the SQLite file, on loopback, with the Web UI on its port', () => {
    const sut = devServerArgs(options).join(' ');
    expect(sut).toContain('server start-dev');
    expect(sut).toContain('--db-filename /data/temporal.sqlite');
    expect(sut).toContain('--ip 127.0.0.1 --port 7233');
    expect(sut).toContain('--ui-port 8233');
    expect(sut).not.toContain('--headless');
  });

  it('journals SQLite in WAL mode with synchronous=normal (nearly twice the throughput, still safe from a killed process)', () => {
    const args = devServerArgs(options);
    const pragmas = args.filter((_, i) => args[i - 1] === '--sqlite-pragma');
    expect(pragmas).toEqual(['journal_mode=wal', 'synchronous=normal']);
  });

  it('hands an activity to the worker whose workflow task scheduled it (eager activity execution), and reads the transfer queue without a 50 ms wait', () => {
    const args = devServerArgs(options);
    const dynamic = args.filter((_, i) => args[i - 1] === '--dynamic-config-value');
    expect(dynamic).toEqual(['system.enableActivityEagerExecution=true', 'history.transferProcessorMaxPollRPS=1000']);
  });

  it('registers every Tempest search attribute', () => {
    const args = devServerArgs(options);
    const registered = args.filter((_, i) => args[i - 1] === '--search-attribute');
    expect(registered).toEqual(Object.entries(SEARCH_ATTRIBUTES).map(([name, type]) => `${name}=${type}`));
  });

  it('runs without the Web UI when headless', () => {
    const sut = devServerArgs({ ...options, headless: true });
    expect(sut).toContain('--headless');
    expect(sut).not.toContain('--ui-port');
  });
});
