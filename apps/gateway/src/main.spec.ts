import { join } from 'node:path';
import { findRepoRoot } from '@tempest/config';
import { createTestDatabase, freePort, runProcess, setConnectionsAllowed, testServers, type TestDatabase } from '@tempest/testing';

// The compiled gateway process, as `npm start` and docker-compose run it.
const entry = join(findRepoRoot(), 'dist/apps/gateway/src/main.js');

describe('gateway process', () => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await createTestDatabase();
  });
  afterAll(() => database.drop());

  it('serves on the configured port and shuts down gracefully on SIGTERM', async () => {
    const port = await freePort();
    const sut = runProcess(entry, { DATABASE_URL: database.url, TEMPORAL_ADDRESS: testServers().temporalAddress, TEMPEST_GATEWAY_PORT: String(port) });
    await sut.printed(/"gateway listening"/);
    expect((await fetch(`http://127.0.0.1:${port}/api/v1/health`)).status).toBe(200);
    sut.child.kill('SIGTERM');
    expect([0, 'SIGTERM']).toContain(await sut.exited);
    await sut.printed(/"gateway stopped"/);
    await expect(fetch(`http://127.0.0.1:${port}/api/v1/health`)).rejects.toThrow();
  });

  it('refuses a malformed variable at start-up, naming it and the form it expects', async () => {
    const sut = runProcess(entry, { DATABASE_URL: database.url, TEMPEST_GATEWAY_PORT: 'ninety-one-oh-one' });
    expect(await sut.exited).toBe(1);
    expect(sut.lines.join('\n')).toContain('TEMPEST_GATEWAY_PORT="ninety-one-oh-one": expected a TCP port number');
  });

  it('refuses an unknown TEMPEST_ variable, which is usually a typo', async () => {
    const sut = runProcess(entry, { DATABASE_URL: database.url, TEMPEST_GATEWAY_PROT: '9101' });
    expect(await sut.exited).toBe(1);
    expect(sut.lines.join('\n')).toContain('TEMPEST_GATEWAY_PROT: unknown variable');
  });

  it('waits for a database that refuses connections at start-up (Postgres still recovering), then serves', async () => {
    const port = await freePort();
    await setConnectionsAllowed(database, false);
    try {
      const sut = runProcess(entry, { DATABASE_URL: database.url, TEMPORAL_ADDRESS: testServers().temporalAddress, TEMPEST_GATEWAY_PORT: String(port) });
      expect(JSON.parse(await sut.printed(/"waiting for the database"/))).toMatchObject({ level: 'warn', err: expect.stringContaining('not currently accepting connections') });
      await setConnectionsAllowed(database, true);
      await sut.printed(/"gateway listening"/);
      expect(sut.lines.filter((line) => line.includes('"waiting for the database"'))).toHaveLength(1);
      expect((await fetch(`http://127.0.0.1:${port}/api/v1/health`)).status).toBe(200);
      sut.child.kill('SIGTERM');
      expect([0, 'SIGTERM']).toContain(await sut.exited);
    } finally {
      await setConnectionsAllowed(database, true);
    }
  });
});
