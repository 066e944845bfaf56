import type { ArgumentsHost } from '@nestjs/common';
import { sql } from 'kysely';
import { captureLogs, createTestDatabase, type TestDatabase } from '@tempest/testing';
import { ErrorFilter, type ErrorBody } from './error.filter';

describe(ErrorFilter.name, () => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await createTestDatabase();
  });
  afterAll(async () => {
    await database?.drop();
  });

  /** The answer the filter sends for `error`, raised on a request to `url`. */
  function answer(sut: ErrorFilter, error: unknown): { status: number; body: ErrorBody } {
    const sent: { status: number; body?: ErrorBody } = { status: 0 };
    const reply = {
      status: (code: number) => ((sent.status = code), reply),
      header: () => reply,
      send: (body: ErrorBody) => ((sent.body = body), reply),
    };
    const host = { switchToHttp: () => ({ getRequest: () => ({ id: 'req-1', url: '/api/v1/things' }), getResponse: () => reply }) } as unknown as ArgumentsHost;
    sut.catch(error, host);
    return { status: sent.status, body: sent.body! };
  }
  const failure = (query: ReturnType<typeof sql>) => query.execute(database.db).then(() => undefined, (error: unknown) => error);

  it.each([
    ['22P05', sql`select ${'{"text":"a\\u0000b"}'}::jsonb`],
    ['22003', sql`select ${'100000000000000000000'}::bigint`],
    ['22P02', sql`select ${'abc'}::bigint`],
  ])('answers a Postgres data exception (%s) that input caused with 400, as a backstop, without quoting the value', async (code, query) => {
    const { logger, lines } = captureLogs('gateway', 'warn');
    const { status, body } = answer(new ErrorFilter(logger), await failure(query));
    expect(status).toBe(400);
    const message = `a value in the request cannot be stored or compared (Postgres SQLSTATE ${code})`;
    expect(body).toEqual({ statusCode: 400, error: 'BAD_REQUEST', message, faultstring: message, requestId: 'req-1' });
    expect(lines.join('\n')).toContain('input reached Postgres unvalidated');
  });

  it('answers any other database error with a 500 that carries only the request id', async () => {
    const { status, body } = answer(new ErrorFilter(captureLogs().logger), await failure(sql`select * from no_such_table`));
    expect(status).toBe(500);
    expect(body.message).toBe('internal error; quote request id req-1 when reporting it');
  });
});
