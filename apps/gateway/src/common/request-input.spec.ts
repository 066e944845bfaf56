import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { ActionRepository, PackRepository, RuleRepository } from '@tempest/db';
import { captureLogs, createTestDatabase, testConfig, uniqueName, type TestDatabase } from '@tempest/testing';
import { createGatewayApp } from '../app';

const ADMIN_KEY = 'tpst_test-admin-key-input-0123456789';

type Answer = { status: number; body: { message?: string | string[] } & Record<string, unknown> };

/** What the fuzzer found: input that reached Postgres or JSON.stringify and came back as a 500. */
describe('bad input is answered 4xx, naming what is wrong', () => {
  let database: TestDatabase;
  let app: NestFastifyApplication;
  let base: string;
  let logs: string[];

  async function call(method: string, path: string, body?: string, headers: Record<string, string> = {}): Promise<Answer> {
    const response = await fetch(`${base}/api/v1${path}`, {
      method,
      headers: { 'X-Api-Key': ADMIN_KEY, ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...headers },
      body,
    });
    const text = await response.text();
    return { status: response.status, body: text ? JSON.parse(text) : {} };
  }
  const run = (parameters: string) => call('POST', '/executions', `{"action":"input.noop","parameters":${parameters}}`);
  const messages = (answer: Answer) => [answer.body.message].flat().join('\n');

  beforeAll(async () => {
    database = await createTestDatabase();
    await new PackRepository(database.db).upsert({ ref: 'input', name: 'input', description: 'd', version: '1.0.0', author: 'a', keywords: [], dependencies: [], path: '/packs/input', metadata: {} });
    await new ActionRepository(database.db).replaceForPack('input', [
      { ref: 'input.noop', pack: 'input', name: 'noop', description: 'noop', runnerType: 'noop', enabled: true, parameters: { text: { type: 'string' }, data: { type: 'object' } }, tags: [], metadataFile: 'actions/noop.yaml', metadata: {} },
    ]);
    const captured = captureLogs('gateway', 'warn');
    logs = captured.lines;
    // A task queue no worker serves: executions are recorded and started, and stay there.
    app = await createGatewayApp(testConfig({ DATABASE_URL: database.url, TEMPEST_ADMIN_API_KEY: ADMIN_KEY, TEMPORAL_TASK_QUEUE: uniqueName('unserved') }), captured.logger);
    await app.listen({ host: '127.0.0.1', port: 0 });
    base = `http://127.0.0.1:${(app.getHttpServer().address() as { port: number }).port}`;
  });
  afterAll(async () => {
    await app?.close();
    await database?.drop();
  });
  afterEach(() => {
    const unhandled = logs.filter((line) => line.includes('unhandled error'));
    logs.length = 0;
    expect(unhandled).toEqual([]);
  });

  describe('JSON bodies', () => {
    it('refuses a NUL character in a value or a key with 400 naming its path', async () => {
      const value = await run('{"text":"a\\u0000b"}');
      expect(value.status).toBe(400);
      expect(messages(value)).toContain('body.parameters.text: contains a NUL character (\\u0000)');
      const key = await run('{"data":{"a\\u0000":1}}');
      expect(key.status).toBe(400);
      expect(messages(key)).toContain('body.parameters.data: has a key with a NUL character (\\u0000)');
    });

    it('refuses a lone UTF-16 surrogate with 400 naming its path', async () => {
      const answer = await run('{"data":{"list":["ok","\\ud800"]}}');
      expect(answer.status).toBe(400);
      expect(messages(answer)).toContain('body.parameters.data.list[1]: contains a lone UTF-16 surrogate');
    });

    it('refuses JSON nested deeper than the limit with 400', async () => {
      const answer = await run(`{"data":{"a":${'['.repeat(10_000)}${']'.repeat(10_000)}}}`);
      expect(answer.status).toBe(400);
      expect(messages(answer)).toMatch(/^body\.parameters\.data\.a(\[0\])+: nested deeper than 64 levels$/);
    });

    it('still takes well-formed text: emoji, accents and escaped quotes', async () => {
      const answer = await run('{"text":"caf\\u00e9 \\ud83d\\ude80 \\"quoted\\""}');
      expect(answer.status).toBe(201);
      expect(answer.body.parameters).toEqual({ text: 'café 🚀 "quoted"' });
    });
  });

  describe('query strings and paths', () => {
    it('refuses a NUL character in a query parameter or a path parameter with 400 naming it', async () => {
      const query = await call('GET', '/executions?action=a%00b');
      expect(query.status).toBe(400);
      expect(messages(query)).toContain('query parameter action: contains a NUL character (\\u0000)');
      const path = await call('GET', '/executions/a%00b');
      expect(path.status).toBe(400);
      expect(messages(path)).toContain('path parameter id: contains a NUL character (\\u0000)');
    });

    it('refuses an offset beyond what Postgres counts, and a limit above 100, naming the parameter', async () => {
      const offset = await call('GET', '/executions?offset=100000000000000000000');
      expect(offset.status).toBe(400);
      expect(messages(offset)).toContain('offset must be at most 9007199254740991');
      const limit = await call('GET', '/triggerinstances?limit=1000');
      expect(limit.status).toBe(400);
      expect(messages(limit)).toContain('limit must be at most 100, or -1 for all');
      expect((await call('GET', '/executions?limit=100&offset=9007199254740991')).status).toBe(200);
    });

    it('validates `after` and `wait` of an execution\'s output', async () => {
      const { body } = await run('{"text":"x"}');
      for (const after of ['abc', '-1', '99999999999999999999']) {
        const answer = await call('GET', `/executions/${body.id}/output?after=${after}`);
        expect(answer.status).toBe(400);
        expect(messages(answer)).toContain('after must be a chunk id: a whole number from 0 to 9223372036854775807');
      }
      const wait = await call('GET', `/executions/${body.id}/output?wait=31`);
      expect(wait.status).toBe(400);
      expect(messages(wait)).toContain('wait must be at most 30');
      expect(await call('GET', `/executions/${body.id}/output?after=9223372036854775807&wait=0`)).toEqual({ status: 200, body: { status: 'scheduled', chunks: [] } });
    });
  });

  it('takes a DELETE that names application/json but sends no body, as StackStorm\'s client does', async () => {
    const { body } = await run('{"text":"x"}');
    const answer = await call('DELETE', `/executions/${body.id}`, undefined, { 'content-type': 'application/json' });
    expect(answer.status).toBe(200);
    expect(answer.body).toMatchObject({ status: 'canceling' });
  });

  describe('rules', () => {
    beforeAll(async () => {
      const rules = new RuleRepository(database.db);
      for (const name of ['a', 'b', 'c']) {
        await rules.create({
          ref: `input.${name}`, pack: 'input', name, description: '', enabled: true, type: 'standard',
          trigger: { type: 'core.st2.webhook', parameters: { url: name } }, criteria: {}, action: { ref: 'input.noop', parameters: {} }, context: {}, createdBy: 'admin',
        });
      }
    });

    it('pages with limit and offset like the other listings', async () => {
      const page = async (query: string) => ((await call('GET', `/rules?pack=input&${query}`)).body as unknown as { ref: string }[]).map((r) => r.ref);
      expect(await page('limit=2')).toEqual(['input.a', 'input.b']);
      expect(await page('limit=2&offset=2')).toEqual(['input.c']);
      expect((await call('GET', '/rules?limit=101')).status).toBe(400);
    });

    it('takes limit=-1 as every row, as StackStorm does, and refuses other negative limits naming -1', async () => {
      const page = async (query: string) => ((await call('GET', `/rules?pack=input&${query}`)).body as unknown as { ref: string }[]).map((r) => r.ref);
      expect(await page('limit=-1')).toEqual(['input.a', 'input.b', 'input.c']);
      expect(await page('limit=-1&offset=1')).toEqual(['input.b', 'input.c']);
      const all = await fetch(`${base}/api/v1/rules?pack=input&limit=-1`, { headers: { 'X-Api-Key': ADMIN_KEY } });
      expect(all.headers.get('x-limit')).toBeNull();
      expect(all.headers.get('x-total-count')).toBe('3');
      for (const listing of ['/rules', '/executions', '/triggerinstances', '/ruleenforcements', '/actionalias', '/traces', '/actions', '/keys']) {
        expect({ listing, status: (await call('GET', `${listing}?limit=-1`)).status }).toEqual({ listing, status: 200 });
      }
      const negative = await call('GET', '/executions?limit=-2');
      expect(negative.status).toBe(400);
      expect(messages(negative)).toContain('limit must be at least 1, or -1 for all');
    });

    it('refuses a limit or offset it cannot take on the listings it pages itself too, naming the parameter', async () => {
      for (const listing of ['/actions', '/policies', '/policytypes', '/webhooks', '/timers', '/sensortypes', '/packs']) {
        expect({ listing, problems: messages(await call('GET', `${listing}?limit=-2`)) }).toEqual({ listing, problems: 'limit must be at least 1, or -1 for all' });
        expect({ listing, problems: messages(await call('GET', `${listing}?limit=abc&offset=-1`)) }).toEqual({ listing, problems: 'limit must be a whole number\noffset must be at least 0' });
        expect({ listing, problems: messages(await call('GET', `${listing}?limit=101`)) }).toEqual({ listing, problems: 'limit must be at most 100, or -1 for all' });
        expect({ listing, status: (await call('GET', `${listing}?limit=100&offset=0`)).status }).toEqual({ listing, status: 200 });
      }
    });

    it('refuses a rule without its trigger or action with 400 naming them', async () => {
      const answer = await call('POST', '/rules', JSON.stringify({ name: 'x', pack: 'input' }));
      expect(answer.status).toBe(400);
      expect(answer.body.message).toEqual(expect.arrayContaining(['trigger must be an object: {type, parameters}', 'action must be an object: {ref, parameters}']));
    });
  });
});
