import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { findRepoRoot } from '@tempest/config';
import { captureLogs, createTestDatabase, testConfig, uniqueName, type TestDatabase } from '@tempest/testing';
import { createGatewayApp } from '../app';

// StackStorm's own linux and examples packs name runners Tempest does not run yet
// (winrm-*): their actions register and list, and running one says what is missing.

const ADMIN_KEY = 'tpst_test-admin-key-pending-runners-0123';
const STACKSTORM = join(findRepoRoot(), 'libs/packs/fixtures/stackstorm');
type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

describe('actions of runners Tempest does not run yet', () => {
  let database: TestDatabase;
  let app: NestFastifyApplication;
  let base: string;
  const root = mkdtempSync(join(tmpdir(), 'tempest-pending-runners-'));
  const packsDir = join(root, 'packs');

  const api = (path: string, body?: unknown) =>
    fetch(`${base}/api/v1${path}`, {
      method: body === undefined ? 'GET' : 'POST',
      headers: { 'X-Api-Key': ADMIN_KEY, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  const json = async (response: Response) => (await response.json()) as Json;

  beforeAll(async () => {
    // Unchanged: the four workflows whose definitions fail inspection register with a warning (stackstorm-packs.spec.ts).
    for (const pack of ['linux', 'examples']) cpSync(join(STACKSTORM, pack), join(packsDir, pack), { recursive: true });
    database = await createTestDatabase();
    // A task queue no worker serves: nothing may reach it in these tests anyway.
    app = await createGatewayApp(testConfig({ DATABASE_URL: database.url, TEMPEST_ADMIN_API_KEY: ADMIN_KEY, TEMPORAL_TASK_QUEUE: uniqueName('unserved'), TEMPEST_PACKS_DIR: packsDir }), captureLogs('gateway', 'warn').logger);
    await app.listen({ host: '127.0.0.1', port: 0 });
    base = `http://127.0.0.1:${(app.getHttpServer().address() as { port: number }).port}`;
  });
  afterAll(async () => {
    await app?.close();
    await database?.drop();
    rmSync(root, { recursive: true, force: true });
  });

  it("registers StackStorm's linux and examples packs with their workflows, listed with their parameters", async () => {
    const registered = await json(await api('/packs/register', {}));
    expect(registered.problems).toEqual([]);
    expect(registered.packs.map((p: Json) => [p.ref, p.outcome])).toEqual([
      ['examples', 'created'],
      ['linux', 'created'],
    ]);
    const examples = (await json(await api('/actions?pack=examples'))) as unknown as Json[];
    expect(registered.packs.map((p: Json) => p.warnings.length)).toEqual([6, 0]);
    expect(examples.filter((a) => a.runner_type === 'orquesta')).toHaveLength(66);
    expect(examples.filter((a) => a.runner_type === 'action-chain')).toHaveLength(21);
    expect(examples.find((a) => a.name === 'orquesta-basic')).toMatchObject({
      runner_type: 'orquesta',
      entry_point: 'workflows/orquesta-basic.yaml',
      parameters: { cmd: { required: true, type: 'string' }, timeout: { type: 'integer', default: 60 } },
    });
    expect(await json(await api('/actions/linux.diag_loadavg'))).toMatchObject({ runner_type: 'action-chain', entry_point: 'workflows/diag_loadavg.yaml' });
    // Its action alias, listed as StackStorm's API lists them.
    expect(await json(await api('/actionalias?pack=examples'))).toEqual([
      expect.objectContaining({ ref: 'examples.remote_shell_cmd', uid: 'action_alias:examples:remote_shell_cmd', action_ref: 'core.remote', formats: ['run {{cmd}} on {{hosts}}'], ack: expect.any(Object), result: expect.any(Object) }),
    ]);
    expect((await api('/actionalias/examples.nope')).status).toBe(404);
  });

  it("lists StackStorm's runner types with their runner parameters, saying which Tempest runs", async () => {
    const types = (await json(await api('/runnertypes'))) as unknown as Json[];
    const type = (name: string) => types.find((t) => t.name === name);
    expect(type('local-shell-cmd')).toMatchObject({ available: true });
    expect(type('orquesta')).toMatchObject({ available: true, needs_entry_point: true, runner_parameters: { notify: { type: 'array', default: [] } } });
    expect(type('action-chain')).toMatchObject({ available: true, runner_parameters: { display_published: { type: 'boolean', default: true }, skip_notify: { type: 'array' } } });
    expect(type('inquirer')).toMatchObject({ available: true, runner_parameters: { ttl: { type: 'integer', default: 1440 }, schema: { type: 'object', required: true } } });
    expect(types.map((t) => t.name)).toEqual(expect.arrayContaining(['winrm-cmd', 'winrm-ps-cmd', 'winrm-ps-script', 'announcement']));
  });

  it('refuses to run one with a 400 naming the runner and what Tempest runs, recording nothing', async () => {
    for (const [action, runner] of [
      ['examples.winrm_get_ipconfig', 'winrm-cmd'],
    ]) {
      const response = await api('/executions', { action, parameters: { cmd: 'date', hostname: 'h', host: 'h', username: 'u', password: 'p' } });
      expect(response.status).toBe(400);
      expect((await json(response)).message).toMatch(new RegExp(`^action "${action}" cannot run: runner "${runner}" is not available in this Tempest yet \\(it runs: local-shell-cmd, .*noop, temporal-workflow, orquesta, action-chain, inquirer, announcement\\)$`));
      expect(await json(await api(`/executions?action=${action}`))).toEqual([]);
    }
  });

  it('records why a rule could not start one', async () => {
    const rule = { name: 'diagnose', pack: 'linux', trigger: { type: 'core.st2.webhook', parameters: { url: 'load' } }, criteria: {}, action: { ref: 'examples.winrm_get_ipconfig', parameters: { host: '{{ trigger.body.host }}', username: 'u', password: 'p' } } };
    expect((await api('/rules', rule)).status).toBe(201);
    const outcome = await json(await api('/webhooks/load', { host: 'web1' }));
    expect(outcome.rule_enforcements).toEqual([
      expect.objectContaining({ rule_ref: 'linux.diagnose', status: 'failed', failure_reason: expect.stringMatching(/^action examples\.winrm_get_ipconfig cannot run: runner "winrm-cmd" is not available in this Tempest yet \(it runs: /) }),
    ]);
  });
});
