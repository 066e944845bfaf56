import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { findRepoRoot } from '@tempest/config';
import { ActionRepository, PackRepository } from '@tempest/db';
import { captureLogs, createTestDatabase, eventually, type RunningProcess, runProcess, testConfig, type TestDatabase, testServers, uniqueName } from '@tempest/testing';
import { MAX_TEMPLATE_STEPS } from '@tempest/templating';
import { createGatewayApp } from '../app';

// What webhook senders and API callers write reaches templates and shell
// commands: it must run nothing and must not take the gateway down.

const WORKER = join(findRepoRoot(), 'dist/apps/worker/src/main.js');
const ADMIN_KEY = 'tpst_test-admin-key-untrusted-0123456789';
const BOMB = '{% for i in range(100000) %}{% for j in range(100000) %}x{% endfor %}{% endfor %}';
const OVER_BUDGET = `template exceeds the rendering budget: more than ${MAX_TEMPLATE_STEPS} loop iterations and calls`;

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

describe('untrusted text in templates, end to end', () => {
  let database: TestDatabase;
  let app: NestFastifyApplication;
  let worker: RunningProcess;
  let base: string;
  const dir = mkdtempSync(join(tmpdir(), 'tempest-untrusted-'));
  const marker = join(dir, 'pwned');
  const taskQueue = uniqueName('untrusted');

  const api = (path: string, body?: unknown) =>
    fetch(`${base}/api/v1${path}`, {
      method: body === undefined ? 'GET' : 'POST',
      headers: { 'X-Api-Key': ADMIN_KEY, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  const json = async (response: Response) => (await response.json()) as Json;
  const rule = (name: string, parameters: Json) => ({ name, pack: 'core', trigger: { type: 'core.st2.webhook', parameters: { url: name } }, criteria: {}, action: { ref: 'core.local', parameters } });

  beforeAll(async () => {
    database = await createTestDatabase();
    await new PackRepository(database.db).upsert({ ref: 'core', name: 'core', description: 'd', version: '1.0.0', author: 'a', keywords: [], dependencies: [], path: '/packs/core', metadata: {} });
    await new ActionRepository(database.db).replaceForPack('core', [
      {
        ref: 'core.local', pack: 'core', name: 'local', description: 'local', runnerType: 'local-shell-cmd', enabled: true,
        parameters: { cmd: { type: 'string', required: true } }, tags: [], metadataFile: 'actions/local.yaml', metadata: {},
      },
    ]);
    worker = runProcess(WORKER, { DATABASE_URL: database.url, TEMPORAL_ADDRESS: testServers().temporalAddress, TEMPORAL_TASK_QUEUE: taskQueue });
    await worker.printed(/"worker polling"/);
    app = await createGatewayApp(testConfig({ DATABASE_URL: database.url, TEMPEST_ADMIN_API_KEY: ADMIN_KEY, TEMPORAL_TASK_QUEUE: taskQueue }), captureLogs('gateway', 'warn').logger);
    await app.listen({ host: '127.0.0.1', port: 0 });
    base = `http://127.0.0.1:${(app.getHttpServer().address() as { port: number }).port}`;
  });
  afterAll(async () => {
    await app?.close();
    worker?.child.kill('SIGTERM');
    await worker?.exited;
    await database?.drop();
    rmSync(dir, { recursive: true, force: true });
  });

  const finished = (id: string) =>
    eventually(async () => {
      const execution = await json(await api(`/executions/${id}`));
      return ['succeeded', 'failed'].includes(execution.status) ? execution : undefined;
    }, `execution ${id} finishing`, 30_000);

  it('runs a webhook payload through a rule into core.local as data, whatever filter the command applies', async () => {
    const cmd = "printf '%s|' {{ trigger.body.x | to_json_string }} {{ trigger.body.x | upper }} {% for k, v in trigger.body.labels %}{{ k }} {% endfor %}{{ trigger.body | to_json_string }}";
    expect((await api('/rules', rule('inject', { cmd }))).status).toBe(201);
    const x = `$(touch ${marker}) \`touch ${marker}\` "; touch ${marker}; " {{ action_context.user }}`;
    const labels = { [`$(touch ${marker})`]: 1, [`a'; touch ${marker}; '`]: 2 };
    const outcome = await json(await api('/webhooks/inject', { x, labels }));
    expect(outcome.rule_enforcements).toEqual([expect.objectContaining({ status: 'succeeded' })]);

    const execution = await finished(outcome.rule_enforcements[0].execution_id);
    expect(execution.status).toBe('succeeded');
    expect(existsSync(marker)).toBe(false);
    // to_json_string writes as StackStorm's json.dumps(value, separators=(',', ': ')).
    const keys = Object.keys(labels).map((key) => JSON.stringify(key));
    const body = `{"x": ${JSON.stringify(x)},"labels": {${keys[0]}: 1,${keys[1]}: 2}}`;
    expect(execution.result.stdout).toBe(`${JSON.stringify(x)}|${x.toUpperCase()}|${Object.keys(labels).join('|')}|${body}|`);
  });

  it('fails the enforcement of a rule whose parameter or criterion is over the rendering budget, naming the rule and the limit, and keeps serving', async () => {
    expect((await api('/rules', rule('bomb', { cmd: `echo ${BOMB}` }))).status).toBe(201);
    const outcome = await json(await api('/webhooks/bomb', {}));
    expect(outcome.rule_enforcements).toEqual([expect.objectContaining({ rule_ref: 'core.bomb', status: 'failed', failure_reason: expect.stringContaining(`rule core.bomb: action parameter cmd: ${OVER_BUDGET}`) })]);

    const criteria = { 'trigger.body.n': { type: 'equals', pattern: BOMB } };
    expect((await api('/rules', { ...rule('bomb_criteria', { cmd: 'true' }), criteria })).status).toBe(201);
    const matched = await json(await api('/webhooks/bomb_criteria', { n: 1 }));
    expect(matched.rule_enforcements).toEqual([expect.objectContaining({ rule_ref: 'core.bomb_criteria', status: 'failed', failure_reason: expect.stringMatching(new RegExp(`^criteria could not be evaluated: .*trigger.body.n.*${OVER_BUDGET}`)) })]);

    expect((await api('/rules', rule('fine', { cmd: 'echo {{ trigger.body.n }}' }))).status).toBe(201);
    const fine = await json(await api('/webhooks/fine', { n: 7 }));
    expect((await finished(fine.rule_enforcements[0].execution_id)).result.stdout).toBe('7');
  });

  it('answers 400 naming the parameter for an API request over the rendering budget, and keeps serving', async () => {
    const response = await api('/executions', { action: 'core.local', parameters: { cmd: `echo ${BOMB}` } });
    expect(response.status).toBe(400);
    expect(JSON.stringify(await json(response))).toContain(`parameter cmd: ${OVER_BUDGET}`);

    const good = await api('/executions', { action: 'core.local', parameters: { cmd: 'echo {{ "ok" | upper }}' } });
    expect(good.status).toBe(201);
    expect((await finished((await json(good)).id)).result.stdout).toBe('OK');
  });

  it('answers 400 for a catastrophic regex pattern in a criterion, naming the field, and matches it in linear time from a payload', async () => {
    const refused = await api('/rules', { ...rule('backref', { cmd: 'true' }), criteria: { 'trigger.body.x': { type: 'regex', pattern: '(a+)\\1' } } });
    expect(refused.status).toBe(400);
    expect(JSON.stringify(await json(refused))).toMatch(/criteria\[\\"trigger.body.x\\"\]\.pattern.*backreference/);

    const body = { ...rule('redos', { cmd: 'echo matched' }), criteria: { 'trigger.body.x': { type: 'regex', pattern: '{{ trigger.body.re }}' } } };
    expect((await api('/rules', body)).status).toBe(201);
    const started = performance.now();
    const outcome = await json(await api('/webhooks/redos', { x: `${'a'.repeat(50)}!`.repeat(100), re: '(a+)+$' }));
    expect(performance.now() - started).toBeLessThan(5_000);
    expect(outcome.rule_enforcements).toEqual([]);
  });
});
