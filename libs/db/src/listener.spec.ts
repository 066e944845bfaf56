import { sql } from 'kysely';
import { createTestDatabase, eventually, type TestDatabase, uniqueName } from '@tempest/testing';
import { listenToPostgres } from './listener';

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
      await eventually(() => received.includes('one'), 'notification one', 2000);

      await sql`select pg_terminate_backend(pid) from pg_stat_activity where application_name = ${applicationName}`.execute(database.db);
      await eventually(() => connections === 2, 'the listener to reconnect', 5000);
      await sql`select pg_notify('changes', 'two')`.execute(database.db);
      await eventually(() => received.includes('two'), 'notification two after the reconnect', 2000);
      expect(received).toEqual(['one', 'two']);
    } finally {
      await sut.close();
    }
  });
});
