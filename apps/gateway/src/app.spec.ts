import { randomUUID } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import SwaggerParser from '@apidevtools/swagger-parser';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { ActionRepository, ExecutionRepository, PackRepository } from '@tempest/db';
import { Client, Connection } from '@temporalio/client';
import { findRepoRoot } from '@tempest/config';
import { KeyValueCipher, loadDatastoreKey } from '@tempest/datastore';
import { captureLogs, createTestDatabase, freePort, testConfig, uniqueName, type TestDatabase } from '@tempest/testing';
import { createGatewayApp } from './app';

const ADMIN_KEY = 'tpst_test-admin-key-0123456789abcdef';

async function listen(app: NestFastifyApplication): Promise<string> {
  await app.listen({ host: '127.0.0.1', port: 0 });
  const address = app.getHttpServer().address() as { port: number };
  return `http://127.0.0.1:${address.port}`;
}


describe('gateway', () => {
  let database: TestDatabase;
  let app: NestFastifyApplication;
  let base: string;
  let logs: string[];
  const packsDir = join(mkdtempSync(join(tmpdir(), 'tempest-gateway-')), 'packs');
  /** The one folder packs may be installed from (TEMPEST_PACK_INSTALL_ROOTS). */
  const installRoot = mkdtempSync(join(tmpdir(), 'tempest-install-root-'));
  /** The executions as the gateway keeps them, secret parameters sealed with the datastore key. */
  const sealedSecrets = () => new ExecutionRepository(database.db, new KeyValueCipher(loadDatastoreKey(testConfig())!));

  beforeAll(async () => {
    database = await createTestDatabase();
    const captured = captureLogs('gateway');
    logs = captured.lines;
    // A task queue no worker serves: executions are recorded and started, and stay there.
    app = await createGatewayApp(testConfig({ DATABASE_URL: database.url, TEMPEST_ADMIN_API_KEY: ADMIN_KEY, TEMPORAL_TASK_QUEUE: uniqueName('unserved'), TEMPEST_PACKS_DIR: packsDir, TEMPEST_PACK_INSTALL_ROOTS: installRoot }), captured.logger);
    base = await listen(app);
  });
  afterAll(async () => {
    await app.close();
    await database.drop();
  });

  describe('access log', () => {
    it('logs each request once, when it is answered: method, path, status and time, never the API key', async () => {
      const requestId = randomUUID();
      await fetch(`${base}/api/v1/actions/core.nothing?limit=1`, { headers: { 'x-api-key': ADMIN_KEY, 'x-request-id': requestId } });
      const lines = logs.map((line) => JSON.parse(line) as Record<string, unknown>).filter((line) => line.reqId === requestId);
      expect(lines).toEqual([expect.objectContaining({ level: 'info', msg: 'request', method: 'GET', url: '/api/v1/actions/core.nothing?limit=1', statusCode: 404, responseTime: expect.any(Number) })]);
      expect(JSON.stringify(lines)).not.toContain(ADMIN_KEY);
    });
  });

  describe('GET /api/v1/health', () => {
    it('reports Postgres and Temporal up, without an API key', async () => {
      const response = await fetch(`${base}/api/v1/health`);
      expect(response.status).toBe(200);
      expect(await response.json()).toMatchObject({ status: 'ok', postgres: { status: 'up' }, temporal: { status: 'up' } });
    });

    it('answers 503 and says why when Temporal is down', async () => {
      const config = testConfig({ DATABASE_URL: database.url, TEMPORAL_ADDRESS: `127.0.0.1:${await freePort()}` });
      const degraded = await createGatewayApp(config, captureLogs().logger);
      try {
        const response = await fetch(`${await listen(degraded)}/api/v1/health`);
        expect(response.status).toBe(503);
        const body = (await response.json()) as { temporal: { error?: string }; postgres: { error?: string } };
        expect(body).toMatchObject({ status: 'degraded', postgres: { status: 'up' }, temporal: { status: 'down' } });
        expect(body.temporal.error).toEqual(expect.any(String));
      } finally {
        await degraded.close();
      }
    });

    it('answers 503 and says why when Postgres is down', async () => {
      const config = testConfig({ DATABASE_URL: `postgres://nobody:secret@127.0.0.1:${await freePort()}/none` });
      const degraded = await createGatewayApp(config, captureLogs().logger);
      try {
        const response = await fetch(`${await listen(degraded)}/api/v1/health`);
        expect(response.status).toBe(503);
        const body = (await response.json()) as { temporal: { error?: string }; postgres: { error?: string } };
        expect(body).toMatchObject({ status: 'degraded', postgres: { status: 'down' }, temporal: { status: 'up' } });
        expect(body.postgres.error).toMatch(/ECONNREFUSED/);
      } finally {
        await degraded.close();
      }
    });
  });

  describe('API keys', () => {
    it('answers 401 without a key, naming the header to send', async () => {
      const response = await fetch(`${base}/api/v1/apikeys`);
      expect(response.status).toBe(401);
      expect(await response.json()).toMatchObject({ statusCode: 401, message: expect.stringContaining('X-Api-Key') });
    });

    it('answers 401 for an unknown key', async () => {
      const response = await fetch(`${base}/api/v1/apikeys`, { headers: { 'X-Api-Key': 'tpst_not-a-key' } });
      expect(response.status).toBe(401);
    });

    it.each([
      ['X-Api-Key', ADMIN_KEY],
      ['St2-Api-Key', ADMIN_KEY],
      ['Authorization', `Bearer ${ADMIN_KEY}`],
    ])('accepts the seeded admin key in %s', async (header, value) => {
      const response = await fetch(`${base}/api/v1/apikeys`, { headers: { [header]: value } });
      expect(response.status).toBe(200);
      const keys = await response.json();
      expect(keys).toEqual([expect.objectContaining({ name: 'admin', user: 'admin', key_prefix: ADMIN_KEY.slice(0, 8), enabled: true })]);
      expect(JSON.stringify(keys)).not.toContain(ADMIN_KEY);
    });

    it('never writes a key to the logs', () => {
      expect(logs.length).toBeGreaterThan(0);
      expect(logs.join('\n')).not.toContain(ADMIN_KEY);
    });
  });

  describe('packs', () => {
    const auth = { headers: { 'X-Api-Key': ADMIN_KEY } };
    beforeAll(async () => {
      await new PackRepository(database.db).upsert({
        ref: 'ops', name: 'ops', description: 'Ops tools', version: '1.2.0', author: 'SRE',
        keywords: ['linux'], dependencies: ['core'], path: '/packs/ops', metadata: { name: 'ops' },
      });
    });

    it('lists registered packs', async () => {
      const response = await fetch(`${base}/api/v1/packs`, auth);
      expect(response.status).toBe(200);
      expect(await response.json()).toEqual([
        expect.objectContaining({ ref: 'ops', version: '1.2.0', keywords: ['linux'], dependencies: ['core'], registered_at: expect.any(String) }),
      ]);
    });

    it('gets one pack by ref, and answers 404 naming an unknown one', async () => {
      expect(await (await fetch(`${base}/api/v1/packs/ops`, auth)).json()).toMatchObject({ ref: 'ops', author: 'SRE' });
      const missing = await fetch(`${base}/api/v1/packs/nope`, auth);
      expect(missing.status).toBe(404);
      expect(await missing.json()).toMatchObject({ statusCode: 404, message: 'no pack "nope" is registered' });
    });

    it('needs an API key', async () => {
      expect((await fetch(`${base}/api/v1/packs`)).status).toBe(401);
    });

    it('registers the packs folder on request, reporting what changed and what was skipped', async () => {
      const write = (path: string, text: string) => {
        mkdirSync(join(packsDir, path, '..'), { recursive: true });
        writeFileSync(join(packsDir, path), text);
      };
      write('fresh/pack.yaml', 'name: fresh\ndescription: d\nversion: 1.0.0\nauthor: a\n');
      write('fresh/actions/hello.yaml', 'name: hello\nrunner_type: noop\n');
      write('broken/pack.yaml', 'name: broken\n');
      const register = () => fetch(`${base}/api/v1/packs/register`, { method: 'POST', headers: { 'X-Api-Key': ADMIN_KEY } });
      const first = await register();
      expect(first.status).toBe(200);
      expect(await first.json()).toEqual({
        packs: [{ ref: 'fresh', outcome: 'created', actions: { created: ['fresh.hello'], updated: [], unchanged: [], removed: [] }, trigger_types: { created: [], updated: [], unchanged: [], removed: [] }, sensors: { created: [], updated: [], unchanged: [], removed: [] }, rules: { created: [], updated: [], unchanged: [], removed: [] }, aliases: { created: [], updated: [], unchanged: [], removed: [] }, warnings: [] }],
        problems: ['packs/broken/pack.yaml:1: description: required', 'packs/broken/pack.yaml:1: version: required', 'packs/broken/pack.yaml:1: author: required'],
      });
      expect(((await (await register()).json()) as { packs: { outcome: string }[] }).packs[0].outcome).toBe('unchanged');
    });

    describe('install and remove', () => {
      /** A pack folder outside the packs folder, as a user has it (under the install root unless said). */
      function packSource(ref: string, version: string, actions: string[], parent = installRoot): string {
        const dir = mkdtempSync(join(parent, `tempest-src-${ref}-`));
        mkdirSync(join(dir, 'actions'));
        writeFileSync(join(dir, 'pack.yaml'), `ref: ${ref}\nname: ${ref}\ndescription: d\nversion: ${version}\nauthor: a\n`);
        for (const name of actions) writeFileSync(join(dir, 'actions', `${name}.yaml`), `name: ${name}\nrunner_type: noop\n`);
        return dir;
      }
      const install = (body: unknown) => fetch(`${base}/api/v1/packs/install`, { method: 'POST', headers: { 'X-Api-Key': ADMIN_KEY, 'content-type': 'application/json' }, body: JSON.stringify(body) });
      const leftovers = () => readdirSync(packsDir).filter((name) => name.startsWith('.'));

      it('installs from a folder, upgrades in place, and removes', async () => {
        const first = await install({ source: packSource('tools', '1.0.0', ['a', 'b']) });
        expect(first.status).toBe(201);
        expect(await first.json()).toMatchObject({ ref: 'tools', outcome: 'created', actions: { created: ['tools.a', 'tools.b'] } });
        const upgrade = await install({ source: packSource('tools', '2.0.0', ['a']) });
        expect(await upgrade.json()).toMatchObject({ ref: 'tools', outcome: 'updated', actions: { removed: ['tools.b'] } });
        expect(readFileSync(join(packsDir, 'tools', 'pack.yaml'), 'utf8')).toContain('version: 2.0.0');
        expect(leftovers()).toEqual([]);

        const removed = await fetch(`${base}/api/v1/packs/tools`, { method: 'DELETE', headers: { 'X-Api-Key': ADMIN_KEY } });
        expect(removed.status).toBe(204);
        expect(existsSync(join(packsDir, 'tools'))).toBe(false);
        expect((await fetch(`${base}/api/v1/actions/tools.a`, { headers: { 'X-Api-Key': ADMIN_KEY } })).status).toBe(404);
      });

      it("answers StackStorm's `st2 pack install` and `st2 pack search` with what to do instead, installing nothing", async () => {
        const st2Install = await install({ packs: [`file://${packSource('st2way', '1.0.0', ['a'])}`], force: false, skip_dependencies: false });
        expect(st2Install.status).toBe(400);
        expect(((await st2Install.json()) as { faultstring: string }).faultstring).toBe(
          'packs: st2 pack install is not served (it follows an asynchronous packs.install execution): install with `tempest pack install <git URL or folder>`, or POST /api/v1/packs/install {"source": "<git URL or folder>"}',
        );
        expect(existsSync(join(packsDir, 'st2way'))).toBe(false);
        const search = await fetch(`${base}/api/v1/packs/index/search`, { method: 'POST', headers: { 'X-Api-Key': ADMIN_KEY, 'content-type': 'application/json' }, body: JSON.stringify({ query: 'jira' }) });
        expect(search.status).toBe(404);
        expect(((await search.json()) as { faultstring: string }).faultstring).toBe('Tempest keeps no pack index and does not search StackStorm Exchange: install a pack from its git URL or a folder (tempest pack install)');
      });

      it('installs from a git repository at a tag', async () => {
        const repo = packSource('gitpack', '1.0.0', ['one']);
        const git = (...args: string[]) => execFileSync('git', ['-C', repo, '-c', 'user.name=t', '-c', 'user.email=t@example.com', ...args], { stdio: 'ignore' });
        git('init', '-q');
        git('add', '.');
        git('commit', '-qm', 'v1');
        git('tag', 'v1');
        writeFileSync(join(repo, 'pack.yaml'), 'ref: gitpack\nname: gitpack\ndescription: d\nversion: 2.0.0\nauthor: a\n');
        git('commit', '-qam', 'v2');
        const response = await install({ source: `file://${repo}`, ref: 'v1' });
        expect(response.status).toBe(201);
        expect(readFileSync(join(packsDir, 'gitpack', 'pack.yaml'), 'utf8')).toContain('version: 1.0.0');
        expect(existsSync(join(packsDir, 'gitpack', '.git'))).toBe(false);
      });

      it('refuses an invalid pack or source with every problem, changing nothing', async () => {
        const broken = packSource('broken_pack', 'one', []);
        const response = await install({ source: broken });
        expect(response.status).toBe(400);
        expect(((await response.json()) as { message: string[] }).message).toEqual([`${broken}/pack.yaml:4: version: expected a semantic version such as 1.2.3`]);
        const relative = await install({ source: 'some/folder' });
        expect(((await relative.json()) as { message: string }).message).toMatch(/^source must be an absolute folder path or a git URL/);
        const missing = await install({ source: `file://${installRoot}/nonexistent/repo.git`, ref: 'main' });
        expect(missing.status).toBe(400);
        expect(((await missing.json()) as { message: string }).message).toBe(`source: no folder file://${installRoot}/nonexistent/repo.git`);
        expect((await install({ source: 'file:///x', ref: '--upload-pack=evil' })).status).toBe(400);
        expect(leftovers()).toEqual([]);
        expect(existsSync(join(packsDir, 'broken_pack'))).toBe(false);
      });

      it('refuses, copying nothing, a folder outside TEMPEST_PACK_INSTALL_ROOTS, naming the field and the roots', async () => {
        const before = readdirSync(packsDir).sort();
        const outside = packSource('outside', '1.0.0', ['a'], tmpdir());
        const link = join(installRoot, 'link-out');
        symlinkSync(outside, link);
        const refusal = (source: string) => `source: ${source} is not under a folder packs may be installed from; allowed: one of TEMPEST_PACK_INSTALL_ROOTS (${installRoot})`;
        for (const source of ['/', '/etc', outside, `${installRoot}/../${outside.split('/').at(-1)}`, link, installRoot, `file://${outside}`, 'file:///']) {
          const response = await install({ source });
          expect({ source, status: response.status, body: await response.json() }).toMatchObject({ source, status: 400, body: { message: refusal(source) } });
        }
        // Outside the roots, whether a folder exists is not told.
        expect(((await (await install({ source: '/nonexistent' })).json()) as { message: string }).message).toBe(refusal('/nonexistent'));
        expect(readdirSync(packsDir).sort()).toEqual(before);
      });

      it('keeps core', async () => {
        const response = await fetch(`${base}/api/v1/packs/core`, { method: 'DELETE', headers: { 'X-Api-Key': ADMIN_KEY } });
        expect(response.status).toBe(400);
      });
    });
  });

  describe('actions', () => {
    const auth = { 'X-Api-Key': ADMIN_KEY, 'content-type': 'application/json' };
    const action = (name: string, pack = 'ops') => ({
      ref: `${pack}.${name}`, pack, name, description: `does ${name}`, runnerType: 'local-shell-cmd', enabled: true,
      parameters: { cmd: { default: name } }, tags: [], metadataFile: `actions/${name}.yaml`, metadata: { name },
    });
    beforeAll(async () => {
      await new ActionRepository(database.db).replaceForPack('ops', [action('restart'), action('status')]);
    });

    it('lists actions with StackStorm\'s field names, filtered by pack', async () => {
      const all = (await (await fetch(`${base}/api/v1/actions`, { headers: auth })).json()) as Record<string, unknown>[];
      expect(all.map((a) => a.ref)).toEqual(expect.arrayContaining(['ops.restart', 'ops.status']));
      const ops = (await (await fetch(`${base}/api/v1/actions?pack=ops`, { headers: auth })).json()) as Record<string, unknown>[];
      expect(ops.map((a) => a.ref)).toEqual(['ops.restart', 'ops.status']);
      expect(ops[0]).toMatchObject({ pack: 'ops', runner_type: 'local-shell-cmd', enabled: true, parameters: { cmd: { default: 'restart' } } });
      expect(await (await fetch(`${base}/api/v1/actions?pack=core`, { headers: auth })).json()).toEqual([]);
    });

    it('gets one action, and answers 404 naming an unknown one', async () => {
      expect(await (await fetch(`${base}/api/v1/actions/ops.status`, { headers: auth })).json()).toMatchObject({ ref: 'ops.status', description: 'does status' });
      const missing = await fetch(`${base}/api/v1/actions/ops.nope`, { headers: auth });
      expect(missing.status).toBe(404);
      expect(await missing.json()).toMatchObject({ message: 'no action "ops.nope" is registered' });
    });

    it('disables and enables an action', async () => {
      const patch = (body: unknown) => fetch(`${base}/api/v1/actions/ops.restart`, { method: 'PATCH', headers: auth, body: JSON.stringify(body) });
      expect(await (await patch({ enabled: false })).json()).toMatchObject({ ref: 'ops.restart', enabled: false });
      expect(await (await patch({ enabled: true })).json()).toMatchObject({ enabled: true });
    });

    it('disables and enables an action as `st2 action disable|enable` does: a PUT of the action it read, enabled changed', async () => {
      const put = (body: unknown) => fetch(`${base}/api/v1/actions/ops.restart`, { method: 'PUT', headers: auth, body: JSON.stringify(body) });
      const read = (await (await fetch(`${base}/api/v1/actions/ops.restart`, { headers: auth })).json()) as Record<string, unknown>;
      const disabled = await put({ ...read, enabled: false });
      expect(disabled.status).toBe(200);
      expect(await disabled.json()).toMatchObject({ ref: 'ops.restart', enabled: false });
      expect(await (await put({ ...read, enabled: true })).json()).toEqual(expect.objectContaining({ ...read, enabled: true, updated_at: expect.any(String) }));
      const bad = await put({ ...read, enabled: 'no' });
      expect(bad.status).toBe(400);
      expect(((await bad.json()) as { faultstring: string }).faultstring).toBe('enabled must be true or false');
      const changed = await put({ ...read, description: 'edited' });
      expect(changed.status).toBe(400);
      expect(((await changed.json()) as { faultstring: string }).faultstring).toBe(`description: only enabled can be changed through the API; the rest comes from the pack's ${read.metadata_file as string}`);
      expect(await (await fetch(`${base}/api/v1/actions/ops.restart`, { headers: auth })).json()).toMatchObject({ enabled: true, description: read.description });
    });

    it('refuses a malformed update with a 400 listing every problem', async () => {
      const response = await fetch(`${base}/api/v1/actions/ops.restart`, { method: 'PATCH', headers: auth, body: JSON.stringify({ enabled: 'no', color: 'red' }) });
      expect(response.status).toBe(400);
      expect(((await response.json()) as { message: string[] }).message).toEqual(expect.arrayContaining(['property color should not exist', 'enabled must be true or false']));
    });

    it('lists runner types with their runner parameters', async () => {
      const types = (await (await fetch(`${base}/api/v1/runnertypes`, { headers: auth })).json()) as { name: string; runner_parameters: Record<string, unknown> }[];
      expect(types.map((t) => t.name)).toEqual(expect.arrayContaining(['local-shell-cmd', 'remote-shell-cmd', 'http-request', 'python-script', 'noop']));
      expect(types.find((t) => t.name === 'local-shell-cmd')?.runner_parameters).toMatchObject({ cmd: { type: 'string' }, timeout: { default: 60 } });
    });
  });

  describe('executions', () => {
    const headers = { 'X-Api-Key': ADMIN_KEY, 'content-type': 'application/json' };
    const run = (body: unknown, extra: Record<string, string> = {}) => fetch(`${base}/api/v1/executions`, { method: 'POST', headers: { ...headers, ...extra }, body: JSON.stringify(body) });
    beforeAll(async () => {
      await new PackRepository(database.db).upsert({ ref: 'exec', name: 'exec', description: 'd', version: '1.0.0', author: 'a', keywords: [], dependencies: [], path: '/packs/exec', metadata: {} });
      await new ActionRepository(database.db).replaceForPack('exec', [
        {
          ref: 'exec.local', pack: 'exec', name: 'local', description: 'run', runnerType: 'local-shell-cmd', enabled: true,
          parameters: { cmd: { required: true }, sudo: { immutable: true } }, tags: [], metadataFile: 'actions/local.yaml', metadata: {},
        },
        { ref: 'exec.off', pack: 'exec', name: 'off', description: 'off', runnerType: 'noop', enabled: false, parameters: {}, tags: [], metadataFile: 'actions/off.yaml', metadata: {} },
      ]);
    });

    it('refuses bad parameters with a 400 listing every violation, recording nothing', async () => {
      const response = await run({ action: 'exec.local', parameters: { sudo: true, timeout: 'x', colour: 'red' } });
      expect(response.status).toBe(400);
      expect(((await response.json()) as { message: string[] }).message).toEqual([
        expect.stringMatching(/^parameter colour: unknown parameter/),
        'parameter sudo: immutable, cannot be set',
        'parameter cmd: required',
        'parameter timeout: expected integer, got string "x"',
      ]);
      expect(await (await fetch(`${base}/api/v1/executions?action=exec.local`, { headers })).json()).toEqual([]);
    });

    it('refuses a delay that is not milliseconds from 0 to a day, naming delay', async () => {
      for (const [delay, message] of [
        ['soon', 'delay must be an integer number of milliseconds'],
        [-5, 'delay must be at least 0'],
        [86_400_001, 'delay must be at most 86400000 (a day)'],
      ] as const) {
        const response = await run({ action: 'exec.local', parameters: { cmd: 'date' }, delay });
        expect(response.status).toBe(400);
        expect(((await response.json()) as { message: string[] }).message).toContain(message);
      }
    });

    it('answers 404 for an unknown action and 400 for a disabled one', async () => {
      expect((await run({ action: 'exec.nope' })).status).toBe(404);
      const disabled = await run({ action: 'exec.off' });
      expect(disabled.status).toBe(400);
      expect(await disabled.json()).toMatchObject({ message: 'action "exec.off" is disabled' });
    });

    it('records the request with secrets masked, starts its workflow with search attributes, and lists it', async () => {
      const response = await run({ action: 'exec.local', parameters: { cmd: 'uptime', sudo_password: 'hunter2' } }, { 'X-Tempest-Client': 'cli' });
      expect(response.status).toBe(201);
      const execution = (await response.json()) as Record<string, unknown> & { id: string; workflow_id: string };
      expect(execution).toMatchObject({
        action: { ref: 'exec.local', pack: 'exec', runner_type: 'local-shell-cmd' },
        parameters: { cmd: 'uptime', sudo_password: '********', timeout: 60 },
        // Temporal has it; no worker serves this queue, so it stays there.
        status: 'scheduled',
        status_history: [expect.objectContaining({ status: 'requested' }), expect.objectContaining({ status: 'scheduled' })],
        context: { user: 'admin', source: 'cli' },
        workflow_id: execution.id,
        web_url: expect.stringContaining(`/namespaces/default/workflows/${execution.id}`),
      });
      expect(JSON.stringify(execution)).not.toContain('hunter2');
      const listed = (await (await fetch(`${base}/api/v1/executions?action=exec.local&user=admin`, { headers })).json()) as { id: string }[];
      expect(listed.map((e) => e.id)).toContain(execution.id);

      const connection = await Connection.connect({ address: testConfig().temporal.address });
      try {
        const description = await new Client({ connection }).workflow.getHandle(execution.id).describe();
        expect(description.searchAttributes).toMatchObject({ TempestActionRef: ['exec.local'], TempestPack: ['exec'], TempestUser: ['admin'] });
        expect(JSON.stringify(await new Client({ connection }).workflow.getHandle(execution.id).fetchHistory())).not.toContain('hunter2');
      } finally {
        await connection.close();
      }
    });

    it('re-runs with the original parameters, secrets included, and the overrides', async () => {
      const first = (await (await run({ action: 'exec.local', parameters: { cmd: 'uptime', sudo_password: 'hunter2' } })).json()) as { id: string };
      const response = await fetch(`${base}/api/v1/executions/${first.id}/re_run`, { method: 'POST', headers, body: JSON.stringify({ parameters: { cmd: 'date' } }) });
      expect(response.status).toBe(201);
      const rerun = (await response.json()) as { id: string; parameters: Record<string, unknown> };
      expect(rerun.id).not.toBe(first.id);
      expect(rerun.parameters).toMatchObject({ cmd: 'date', sudo_password: '********' });
      expect(await sealedSecrets().getSecrets(rerun.id)).toEqual({ sudo_password: 'hunter2' });
    });

    it('asks again for the secret parameters of an ended execution to re-run it, as they were removed', async () => {
      const first = (await (await run({ action: 'exec.local', parameters: { cmd: 'uptime', sudo_password: 'hunter2' } })).json()) as { id: string };
      await sealedSecrets().transition(first.id, 'canceled');
      expect(await sealedSecrets().getSecrets(first.id)).toEqual({});
      const rerun = (parameters: Record<string, unknown>) => fetch(`${base}/api/v1/executions/${first.id}/re_run`, { method: 'POST', headers, body: JSON.stringify({ parameters }) });
      const refused = await rerun({});
      expect(refused.status).toBe(400);
      expect(await refused.json()).toMatchObject({ message: [`parameter sudo_password: secret, and no longer kept since execution ${first.id} ended: give it again in parameters`] });
      const given = await rerun({ sudo_password: 'hunter3' });
      expect(given.status).toBe(201);
      const second = (await given.json()) as { id: string; parameters: Record<string, unknown> };
      expect(second.parameters).toMatchObject({ cmd: 'uptime', sudo_password: '********' });
      expect(await sealedSecrets().getSecrets(second.id)).toEqual({ sudo_password: 'hunter3' });
    });

    it('cancels a pending execution, and refuses to cancel it twice', async () => {
      const { id } = (await (await run({ action: 'exec.local', parameters: { cmd: 'sleep 1' } })).json()) as { id: string };
      const cancel = () => fetch(`${base}/api/v1/executions/${id}`, { method: 'DELETE', headers: { 'X-Api-Key': ADMIN_KEY } });
      const first = await cancel();
      expect(first.status).toBe(200);
      expect(await first.json()).toMatchObject({ status: 'canceling' });
      await new ExecutionRepository(database.db).transition(id, 'canceled');
      const second = await cancel();
      expect(second.status).toBe(409);
      expect(await second.json()).toMatchObject({ message: `execution ${id} already ended (canceled)` });
    });

    it('validates list filters', async () => {
      const response = await fetch(`${base}/api/v1/executions?status=done&limit=0&since=yesterday`, { headers });
      expect(response.status).toBe(400);
      expect(((await response.json()) as { message: string[] }).message).toEqual(
        expect.arrayContaining(['limit must be at least 1, or -1 for all', 'since must be an ISO 8601 date-time', expect.stringMatching(/^status must be one of requested, /)]),
      );
    });

    it('answers 404 for an unknown execution', async () => {
      expect((await fetch(`${base}/api/v1/executions/nope`, { headers })).status).toBe(404);
    });
  });

  describe('OpenAPI', () => {
    it('serves a valid OpenAPI 3 document generated from the code', async () => {
      const response = await fetch(`${base}/api/v1/openapi.json`);
      expect(response.status).toBe(200);
      const document = (await response.json()) as Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
      expect(document.openapi).toMatch(/^3\./);
      await expect(SwaggerParser.validate(structuredClone(document) as never)).resolves.toBeDefined();
      expect(Object.keys(document.paths)).toEqual(expect.arrayContaining(['/api/v1/health', '/api/v1/apikeys']));
      expect(document.paths['/api/v1/apikeys'].get.operationId).toBe('getApiKeys');
      expect(document.components.securitySchemes['api-key']).toMatchObject({ type: 'apiKey', in: 'header', name: 'X-Api-Key' });
    });

    it('matches the schema the client library was generated from (npx nx run client:generate)', async () => {
      const served = await (await fetch(`${base}/api/v1/openapi.json`)).json();
      const committed = JSON.parse(readFileSync(join(findRepoRoot(), 'libs/client/openapi.json'), 'utf8'));
      expect(served).toEqual(committed);
    });

    it('serves the docs page', async () => {
      const response = await fetch(`${base}/api/docs`);
      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toContain('text/html');
    });
  });

  describe('errors', () => {
    it('answers malformed JSON with a 400 and no stack trace', async () => {
      const response = await fetch(`${base}/api/v1/apikeys`, {
        method: 'POST',
        headers: { 'X-Api-Key': ADMIN_KEY, 'content-type': 'application/json' },
        body: '{"broken":',
      });
      expect(response.status).toBe(400);
      const body = await response.text();
      expect(JSON.parse(body)).toMatchObject({ statusCode: 400, requestId: expect.any(String) });
      expect(body).not.toMatch(/at .*\.(js|ts):\d+/);
    });

    it("carries StackStorm's faultstring (what st2client prints) beside the message, every problem in one text", async () => {
      const response = await fetch(`${base}/api/v1/keys/colour`, {
        method: 'PUT',
        headers: { 'X-Api-Key': ADMIN_KEY, 'content-type': 'application/json' },
        body: JSON.stringify({ value: 5, colour: 'red' }),
      });
      expect(response.status).toBe(400);
      const body = (await response.json()) as { message: string[]; faultstring: string };
      expect(body.message).toHaveLength(2);
      expect(body.faultstring).toBe(body.message.join('; '));
    });
  });

  describe('StackStorm clients', () => {
    it('answers a collection asked for with a trailing slash, as StackStorm does', async () => {
      const headers = { 'X-Api-Key': ADMIN_KEY };
      const plain = await fetch(`${base}/api/v1/runnertypes`, { headers });
      const slashed = await fetch(`${base}/api/v1/runnertypes/`, { headers });
      expect(slashed.status).toBe(200);
      expect(await slashed.json()).toEqual(await plain.json());
    });
  });
});
