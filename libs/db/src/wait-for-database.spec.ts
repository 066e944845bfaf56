import { createTestDatabase, eventually, freePort, setConnectionsAllowed, type TestDatabase } from '@tempest/testing';
import { createDatabase } from './database';
import { waitForDatabase } from './wait-for-database';

describe(waitForDatabase.name, () => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await createTestDatabase({ migrate: false });
  });
  afterAll(async () => {
    await setConnectionsAllowed(database, true);
    await database.drop();
  });

  const recorder = () => {
    const told: { level: string; message: string; fields: Record<string, unknown> }[] = [];
    return {
      told,
      logger: {
        warn: (fields: Record<string, unknown>, message: string) => told.push({ level: 'warn', message, fields }),
        info: (fields: Record<string, unknown>, message: string) => told.push({ level: 'info', message, fields }),
      },
    };
  };

  it('waits while the database refuses connections, saying so once, and returns once it accepts them', async () => {
    const { told, logger } = recorder();
    const sut = createDatabase(database.url, { logger });
    await setConnectionsAllowed(database, false);
    try {
      let done = false;
      const waiting = waitForDatabase(sut, logger).then(() => (done = true));
      await eventually(() => told.length > 0, 'the wait to be told', 10_000);
      expect(done).toBe(false);
      await setConnectionsAllowed(database, true);
      await waiting;
      expect(told.map(({ level, message }) => `${level} ${message}`)).toEqual(['warn waiting for the database', 'info database available']);
      expect(told[0].fields).toMatchObject({ err: expect.stringContaining('not currently accepting connections') });
    } finally {
      await sut.destroy();
    }
  });

  it('gives up after its time limit, naming why', async () => {
    const url = new URL(database.url);
    url.port = String(await freePort());
    const sut = createDatabase(url.toString(), { logger: recorder().logger });
    try {
      await expect(waitForDatabase(sut, recorder().logger, { timeoutMs: 300 })).rejects.toThrow(/database still unavailable after 0\.3 s: .*ECONNREFUSED/);
    } finally {
      await sut.destroy();
    }
  });
});
