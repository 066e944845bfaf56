import { join } from 'node:path';
import { findRepoRoot } from '@tempest/config';
import { createTestDatabase, runProcess, setConnectionsAllowed, testServers, uniqueName, type TestDatabase } from '@tempest/testing';

// The compiled worker process, as `npm start` and docker-compose run it.
const entry = join(findRepoRoot(), 'dist/apps/worker/src/main.js');

describe('worker process', () => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await createTestDatabase();
  });
  afterAll(() => database.drop());

  it('polls its task queue and shuts down cleanly on SIGTERM', async () => {
    const taskQueue = uniqueName('tempest-actions-test');
    const sut = runProcess(entry, { DATABASE_URL: database.url, TEMPORAL_ADDRESS: testServers().temporalAddress, TEMPORAL_TASK_QUEUE: taskQueue });
    expect(JSON.parse(await sut.printed(/"worker polling"/))).toMatchObject({ level: 'info', service: 'worker', taskQueue });
    sut.child.kill('SIGTERM');
    expect(await sut.exited).toBe(0);
    await sut.printed(/"worker stopped"/);
  });

  it('refuses a malformed variable at start-up, naming it, without a stack trace', async () => {
    const sut = runProcess(entry, { TEMPEST_LOG_LEVEL: 'loud' });
    expect(await sut.exited).toBe(1);
    const output = sut.lines.join('\n');
    expect(output).toMatch(/TEMPEST_LOG_LEVEL="loud": /);
    expect(output).not.toMatch(/^\s+at /m);
  });

  it('waits for a database that refuses connections at start-up (Postgres still recovering), then polls', async () => {
    await setConnectionsAllowed(database, false);
    try {
      const sut = runProcess(entry, { DATABASE_URL: database.url, TEMPORAL_ADDRESS: testServers().temporalAddress, TEMPORAL_TASK_QUEUE: uniqueName('tempest-actions-test') });
      await sut.printed(/"waiting for the database"/);
      await setConnectionsAllowed(database, true);
      await sut.printed(/"worker polling"/);
      sut.child.kill('SIGTERM');
      expect(await sut.exited).toBe(0);
    } finally {
      await setConnectionsAllowed(database, true);
    }
  });
});
