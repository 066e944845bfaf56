import { sql } from 'kysely';
import { createTestDatabase, eventually, type TestDatabase, uniqueName } from '@tempest/testing';
import { createDatabase } from './database';

describe(createDatabase.name, () => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await createTestDatabase({ migrate: false });
  });
  afterAll(() => database.drop());

  it('has Postgres cancel a statement that runs longer than the timeout', async () => {
    const sut = createDatabase(database.url, { statementTimeoutSeconds: 1 });
    try {
      expect((await sql<{ statement_timeout: string }>`show statement_timeout`.execute(sut)).rows[0].statement_timeout).toBe('1s');
      await expect(sql`select pg_sleep(5)`.execute(sut)).rejects.toMatchObject({ code: '57014', message: 'canceling statement due to statement timeout' });
      // The connection that timed out serves the next query.
      expect((await sql<{ one: number }>`select 1 as one`.execute(sut)).rows).toEqual([{ one: 1 }]);
    } finally {
      await sut.destroy();
    }
  });

  it('sets no timeout when asked for none (migrations)', async () => {
    const sut = createDatabase(database.url);
    try {
      expect((await sql<{ statement_timeout: string }>`show statement_timeout`.execute(sut)).rows[0].statement_timeout).toBe('0');
    } finally {
      await sut.destroy();
    }
  });

  it('logs an idle connection that dies, without crashing, and serves the next query', async () => {
    const applicationName = uniqueName('pool');
    const warnings: { fields: Record<string, unknown>; message: string }[] = [];
    const sut = createDatabase(database.url, { applicationName, logger: { warn: (fields, message) => warnings.push({ fields, message }) } });
    try {
      await sql`select 1`.execute(sut);
      await sql`select pg_terminate_backend(pid) from pg_stat_activity where application_name = ${applicationName}`.execute(database.db);
      await eventually(() => warnings.length > 0, 'the pool error to be logged', 5000);
      expect(warnings[0]).toEqual({
        fields: { err: 'terminating connection due to administrator command', code: '57P01', pool: applicationName },
        message: 'Postgres connection lost; it is replaced on the next query',
      });
      expect((await sql<{ one: number }>`select 1 as one`.execute(sut)).rows).toEqual([{ one: 1 }]);
    } finally {
      await sut.destroy();
    }
  });

  it('survives a connection that dies while checked out (mid-transaction): the transaction rejects, the next query is served', async () => {
    const applicationName = uniqueName('pool');
    const warnings: { fields: Record<string, unknown>; message: string }[] = [];
    const sut = createDatabase(database.url, { applicationName, logger: { warn: (fields, message) => warnings.push({ fields, message }) } });
    try {
      const transaction = sut.transaction().execute(async (trx) => {
        await sql`select 1`.execute(trx);
        await sql`select pg_terminate_backend(pid) from pg_stat_activity where application_name = ${applicationName}`.execute(database.db);
        // Without a listener on the checked-out client, this 'error' event kills the process.
        await eventually(() => warnings.length > 0, 'the lost connection to be logged', 5000);
        await sql`select 1`.execute(trx);
      });
      await expect(transaction).rejects.toThrow(/Connection terminated|terminating connection|not queryable/);
      expect(warnings[0]).toEqual({
        fields: { err: 'terminating connection due to administrator command', code: '57P01', pool: applicationName },
        message: 'Postgres connection lost; it is replaced on the next query',
      });
      expect((await sql<{ one: number }>`select 1 as one`.execute(sut)).rows).toEqual([{ one: 1 }]);
    } finally {
      await sut.destroy();
    }
  });
});
