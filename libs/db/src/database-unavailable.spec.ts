import { sql } from 'kysely';
import { createTestDatabase, eventually, freePort, type TestDatabase, uniqueName } from '@tempest/testing';
import { createDatabase } from './database';
import { DatabaseUnavailableError, isDatabaseUnavailable } from './database-unavailable';

describe(isDatabaseUnavailable.name, () => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await createTestDatabase({ migrate: false });
  });
  afterAll(() => database.drop());

  const failureOf = async (url: string, query = sql`select 1`, applicationName?: string) => {
    const sut = createDatabase(url, { applicationName, logger: { warn: () => undefined } });
    try {
      return await query.execute(sut).then(() => undefined, (error: unknown) => error);
    } finally {
      await sut.destroy();
    }
  };

  it('holds for a server that refuses connections', async () => {
    const url = new URL(database.url);
    url.port = String(await freePort());
    const error = await failureOf(url.toString());
    expect(error).toBeInstanceOf(DatabaseUnavailableError);
    expect(error).toMatchObject({ message: expect.stringContaining('ECONNREFUSED') });
    expect(isDatabaseUnavailable(error)).toBe(true);
  });

  it('holds for a connection the server terminates mid-query', async () => {
    const applicationName = uniqueName('victim');
    const failure = failureOf(database.url, sql`select pg_sleep(10)`, applicationName);
    await eventually(async () => (await sql<{ n: number }>`select count(*)::int as n from pg_stat_activity where application_name = ${applicationName} and state = 'active'`.execute(database.db)).rows[0].n > 0, 'the query to run', 5000);
    await sql`select pg_terminate_backend(pid) from pg_stat_activity where application_name = ${applicationName}`.execute(database.db);
    const error = await failure;
    expect(error).toMatchObject({ code: '57P01' });
    expect(isDatabaseUnavailable(error)).toBe(true);
  });

  it('does not hold for a wrong query, nor for a database that does not exist (an operator must fix those)', async () => {
    const wrong = await failureOf(database.url, sql`select * from no_such_table`);
    expect(wrong).toMatchObject({ code: '42P01' });
    expect(isDatabaseUnavailable(wrong)).toBe(false);
    const url = new URL(database.url);
    url.pathname = `/${uniqueName('missing')}`;
    const missing = await failureOf(url.toString());
    expect(missing).toMatchObject({ code: '3D000' });
    expect(isDatabaseUnavailable(missing)).toBe(false);
  });
});
