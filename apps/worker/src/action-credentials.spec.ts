import { createHash, randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startTestPlatform, type TestPlatform } from '@tempest/testing';

const SECRET = `tok-${randomBytes(12).toString('hex')}`;
const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

/** A pack with a config schema, its config values, and actions that read them and call the API. */
function writeContent(root: string): void {
  const write = (path: string, text: string) => {
    mkdirSync(join(root, path, '..'), { recursive: true });
    writeFileSync(join(root, path), text);
  };
  write('packs/cfg/pack.yaml', 'name: cfg\ndescription: config and tokens\nversion: 1.0.0\nauthor: test\n');
  write('packs/cfg/config.schema.yaml', 'api_url: { type: string, required: true }\napi_token: { type: string, secret: true, required: true }\nregion: { type: string, default: eu-west-1 }\n');
  write('configs/cfg.yaml', `api_url: https://ops.example\napi_token: ${SECRET}\n`);
  write('packs/cfg/actions/noop.yaml', 'name: noop\nrunner_type: noop\n');
  write('packs/cfg/actions/show_py.yaml', 'name: show_py\nrunner_type: python-script\nentry_point: show.py\nparameters:\n  auth: { type: string, default: "Bearer {{ config_context.api_token }}" }\n');
  write(
    'packs/cfg/actions/show.py',
    [
      'import hashlib',
      'from st2common.runners.base_action import Action',
      '',
      'class Show(Action):',
      '    def run(self, auth):',
      '        token = self.config["api_token"]',
      '        return {"api_url": self.config["api_url"], "region": self.config["region"], "token_sha256": hashlib.sha256(token.encode()).hexdigest(), "auth_ok": auth == "Bearer " + token}',
      '',
    ].join('\n'),
  );
  write('packs/cfg/actions/show_js.yaml', 'name: show_js\nrunner_type: nodejs\nentry_point: show.js\n');
  write(
    'packs/cfg/actions/show.js',
    "const { createHash } = require('node:crypto');\nmodule.exports = async (_, { config }) => ({ api_url: config.api_url, region: config.region, token_sha256: createHash('sha256').update(config.api_token).digest('hex') });\n",
  );
  write('packs/cfg/actions/call_api.yaml', 'name: call_api\nrunner_type: nodejs\nentry_point: call_api.js\nparameters:\n  keep: { type: string, required: true }\n');
  // Keeps its token in a file so that the test can try it once the execution has ended.
  write(
    'packs/cfg/actions/call_api.js',
    [
      "const { writeFileSync } = require('node:fs');",
      'module.exports = async ({ keep }) => {',
      '  const token = process.env.ST2_ACTION_AUTH_TOKEN;',
      '  writeFileSync(keep, token);',
      '  const api = process.env.ST2_ACTION_API_URL;',
      "  const own = await fetch(`${api}/executions/${process.env.ST2_ACTION_EXECUTION_ID}`, { headers: { 'X-Auth-Token': token } });",
      "  const child = await fetch(`${api}/executions`, { method: 'POST', headers: { 'X-Api-Key': token, 'content-type': 'application/json' }, body: JSON.stringify({ action: 'cfg.noop' }) });",
      "  const install = await fetch(`${api}/packs/install`, { method: 'POST', headers: { 'X-Auth-Token': token, 'content-type': 'application/json' }, body: JSON.stringify({ source: '/' }) });",
      '  return { own: own.status, child: child.status, ...(await child.json().then((c) => ({ child_user: c.context.user, child_parent: c.parent }))), st2_auth_token_set: process.env.ST2_AUTH_TOKEN === token, install: [install.status, (await install.json()).message] };',
      '};',
      '',
    ].join('\n'),
  );
}

// Pack config and execution tokens end to end: the compiled gateway and worker,
// Temporal and Postgres, with actions that read their config and call the API.
describe('pack config and execution tokens', () => {
  const root = mkdtempSync(join(tmpdir(), 'tempest-credentials-'));
  writeContent(root);
  let platform: TestPlatform;

  beforeAll(async () => {
    platform = await startTestPlatform({ root, users: ['alice'] });
  });
  afterAll(() => platform?.stop());

  it('shows the config and its schema with the secret masked', async () => {
    const { status, body } = await platform.api('/packs/cfg/config');
    expect(status).toBe(200);
    expect(body).toMatchObject({
      pack: 'cfg',
      values: { api_url: 'https://ops.example', api_token: '********', region: 'eu-west-1' },
      schema: { api_token: { type: 'string', secret: true, required: true }, region: { default: 'eu-west-1' } },
    });
  });

  it("gives a Python action its config as self.config, and masks a parameter rendered from a secret", async () => {
    const execution = await platform.run('cfg.show_py');
    expect(execution).toMatchObject({ status: 'succeeded', parameters: { auth: '********' } });
    expect(execution.result.result).toEqual({ api_url: 'https://ops.example', region: 'eu-west-1', token_sha256: sha256(SECRET), auth_ok: true });
    // The workflow's input carries the masked value (so the history checks below read its payloads).
    expect(await platform.history(execution.id)).toContain('"auth":"********"');
  });

  it('gives a Node action its config as context.config', async () => {
    const execution = await platform.run('cfg.show_js');
    expect(execution).toMatchObject({ status: 'succeeded' });
    expect(execution.result.result).toEqual({ api_url: 'https://ops.example', region: 'eu-west-1', token_sha256: sha256(SECRET) });
  });

  it("lets a running action call the API with its token as the execution's user, and refuses the token once the execution ended", async () => {
    const keep = join(root, 'token');
    const execution = await platform.run('cfg.call_api', { keep });
    expect(execution).toMatchObject({ status: 'succeeded' });
    expect(execution.result.result).toEqual({
      own: 200,
      child: 201,
      child_user: 'alice',
      child_parent: execution.id,
      st2_auth_token_set: true,
      install: [403, expect.stringMatching(/^an action's token may not call POST \/api\/v1\/packs\/install: /)],
    });
    const token = readFileSync(keep, 'utf8');
    expect(token).toMatch(/^tpat_/);
    for (const header of ['X-Auth-Token', 'X-Api-Key']) {
      expect((await platform.api(`/executions/${execution.id}`, { key: token, header })).status).toBe(401);
    }

    const history = await platform.history(execution.id);
    expect(history).toContain(execution.id);
    expect(history).not.toContain(token);
    expect(platform.logs()).not.toContain(token);
  });

  it('never lets the secret config value into an API response, a workflow history or a log line', async () => {
    expect(platform.responses.length).toBeGreaterThan(5);
    expect(platform.responses.join('\n')).not.toContain(SECRET);
    const listed = await platform.api<{ id: string }[]>('/executions?limit=100');
    expect(listed.body.length).toBeGreaterThanOrEqual(4);
    for (const { id } of listed.body) {
      const history = await platform.history(id);
      expect(history).toContain(id);
      expect(history).not.toContain(SECRET);
    }
    expect(platform.logs()).not.toContain(SECRET);
  });
});
