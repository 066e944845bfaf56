import { join } from 'node:path';
import { findRepoRoot } from '@tempest/config';
import { createTestDatabase, runProcess, setConnectionsAllowed, type TestDatabase } from '@tempest/testing';

// The compiled sensor container, as `npm start` and docker-compose run it.
const entry = join(findRepoRoot(), 'dist/apps/sensors/src/main.js');

describe('sensor container', () => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await createTestDatabase();
  });
  afterAll(() => database.drop());

  it('reports ready with its database and stops cleanly on SIGTERM', async () => {
    const sut = runProcess(entry, { DATABASE_URL: database.url });
    await sut.printed(/sensor container ready/);
    sut.child.kill('SIGTERM');
    expect(await sut.exited).toBe(0);
    expect(sut.lines.map((l) => JSON.parse(l).msg)).toEqual(['sensor container ready', 'sensor container stopped']);
  });

  it('fails at start-up naming a missing DATABASE_URL', async () => {
    const sut = runProcess(entry, {});
    expect(await sut.exited).toBe(1);
    expect(sut.lines.join('\n')).toMatch(/DATABASE_URL: required/);
  });

  it('waits for a database that refuses connections at start-up (Postgres still recovering), then reports ready', async () => {
    await setConnectionsAllowed(database, false);
    try {
      const sut = runProcess(entry, { DATABASE_URL: database.url });
      await sut.printed(/"waiting for the database"/);
      await setConnectionsAllowed(database, true);
      await sut.printed(/sensor container ready/);
      sut.child.kill('SIGTERM');
      expect(await sut.exited).toBe(0);
    } finally {
      await setConnectionsAllowed(database, true);
    }
  });
});
