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

  it('serves every listener of the process with the same application name over one connection (one Postgres backend), each catching up after a reconnect', async () => {
    const applicationName = uniqueName('shared');
    const backends = async () =>
      (await sql<{ n: number }>`select count(*)::int as n from pg_stat_activity where application_name = ${applicationName}`.execute(database.db)).rows[0].n;
    const heard = { first: [] as string[], second: [] as string[] };
    const caughtUp = { first: 0, second: 0 };
    const first = listenToPostgres(database.url, { applicationName, channels: { rules: (p) => heard.first.push(p) }, onConnected: () => void caughtUp.first++ });
    await first.ready;
    // Joins the connection already up: it listens on its channels too and catches up once.
    const second = listenToPostgres(database.url, {
      applicationName,
      channels: { rules: (p) => heard.second.push(`rules:${p}`), instances: (p) => heard.second.push(`instances:${p}`) },
      onConnected: () => void caughtUp.second++,
    });
    try {
      await second.ready;
      expect(await backends()).toBe(1);
      expect(caughtUp).toEqual({ first: 1, second: 1 });
      await sql`select pg_notify('rules', 'r1'), pg_notify('instances', 'i1')`.execute(database.db);
      await eventually(() => heard.first.includes('r1') && heard.second.includes('instances:i1') && heard.second.includes('rules:r1'), 'both listeners to hear', 2000);

      await sql`select pg_terminate_backend(pid) from pg_stat_activity where application_name = ${applicationName}`.execute(database.db);
      await eventually(() => caughtUp.first === 2 && caughtUp.second === 2, 'each listener to catch up after the reconnect', 5000);
      expect(await backends()).toBe(1);

      await first.close();
      await sql`select pg_notify('rules', 'r2')`.execute(database.db);
      await eventually(() => heard.second.includes('rules:r2'), 'the remaining listener to hear', 2000);
      expect(heard.first).toEqual(['r1']);
    } finally {
      await first.close();
      await second.close();
    }
    await eventually(async () => (await backends()) === 0, 'the shared connection to close with its last listener', 5000);
  });
});
