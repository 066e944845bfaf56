import { sql } from 'kysely';
import { createTestDatabase, uniqueName, type TestDatabase } from '@tempest/testing';
import { listenToPostgres } from './listener';

async function until(condition: () => boolean, ms: number): Promise<void> {
  const deadline = Date.now() + ms;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`not within ${ms} ms`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe(listenToPostgres.name, () => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await createTestDatabase({ migrate: false });
  });
  afterAll(() => database.drop());

  it('delivers notifications, and reconnects (catching up) when its connection is killed', async () => {
    const applicationName = uniqueName('listener');
    const received: string[] = [];
    let connections = 0;
    const sut = listenToPostgres(database.url, { applicationName, channels: { changes: (payload) => received.push(payload) }, onConnected: () => void connections++ });
    try {
      await sut.ready;
      await sql`select pg_notify('changes', 'one')`.execute(database.db);
      await until(() => received.includes('one'), 2000);

      await sql`select pg_terminate_backend(pid) from pg_stat_activity where application_name = ${applicationName}`.execute(database.db);
      await until(() => connections === 2, 5000);
      await sql`select pg_notify('changes', 'two')`.execute(database.db);
      await until(() => received.includes('two'), 2000);
      expect(received).toEqual(['one', 'two']);
    } finally {
      await sut.close();
    }
  });
});
