import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startTestPlatform, type TestExecution, type TestPlatform } from '@tempest/testing';

const SECRET = `s3cr3t-${randomBytes(12).toString('hex')}`;

/** A pack whose actions use the datastore as StackStorm's Python actions do, and as Node actions do. */
function writeContent(root: string): void {
  const write = (path: string, lines: string[]) => {
    mkdirSync(join(root, path, '..'), { recursive: true });
    writeFileSync(join(root, path), lines.join('\n'));
  };
  write('packs/kv/pack.yaml', ['name: kv', 'description: datastore from actions', 'version: 1.0.0', 'author: test', '']);
  const parameters = ['parameters:', '  secret: { type: string, secret: true, required: true }', ''];
  write('packs/kv/actions/store.yaml', ['name: store', 'runner_type: python-script', 'entry_point: store.py', ...parameters]);
  write('packs/kv/actions/store.py', [
    'from st2common.constants.keyvalue import FULL_SYSTEM_SCOPE, SYSTEM_SCOPE, USER_SCOPE',
    'from st2common.runners.base_action import Action',
    '',
    '',
    'class Store(Action):',
    '    def run(self, secret):',
    '        kv = self.action_service',
    '        kv.set_value("colour", "blue")',
    '        kv.set_value("shared.py.colour", "green", local=False, scope=FULL_SYSTEM_SCOPE)',
    '        kv.set_value("password", secret, encrypt=True)',
    '        kv.set_value("lease", 42, ttl=600)',
    '        kv.set_value("mine", "alice-py", scope=USER_SCOPE)',
    '        kv.set_value("gone", "bye")',
    '        refused = []',
    '        for attempt in (lambda: kv.set_value("bad name", "x"), lambda: kv.get_value("x", scope="global")):',
    '            try:',
    '                attempt()',
    '            except Exception as error:',
    '                refused.append(f"{type(error).__name__}: {error}")',
    '        return {',
    '            "colour": kv.get_value("colour"),',
    '            "shared": kv.get_value("shared.py.colour", local=False, scope=SYSTEM_SCOPE),',
    '            "missing": kv.get_value("nothing"),',
    '            "password": kv.get_value("password"),',
    '            "password_decrypted": kv.get_value("password", decrypt=True) == secret,',
    '            "mine": kv.get_value("mine", scope=USER_SCOPE),',
    '            "listed": [[k.name, k.value, k.secret] for k in kv.list_values()],',
    '            "listed_global": [k.name for k in kv.list_values(local=False, prefix="shared.py.")],',
    '            "listed_prefix": [k.name for k in kv.list_values(prefix="co")],',
    '            "deleted": kv.delete_value("gone"),',
    '            "deleted_again": kv.delete_value("gone"),',
    '            "gone": kv.get_value("gone"),',
    '            "refused": refused,',
    '        }',
    '',
  ]);
  // Older packs override __init__ with the config only; StackStorm still gives them action_service.
  write('packs/kv/actions/legacy.yaml', ['name: legacy', 'runner_type: python-script', 'entry_point: legacy.py', '']);
  write('packs/kv/actions/legacy.py', [
    'from st2common.runners.base_action import Action',
    '',
    '',
    'class Legacy(Action):',
    '    def __init__(self, config):',
    '        super(Legacy, self).__init__(config)',
    '',
    '    def run(self):',
    '        return self.action_service.get_value("shared.py.colour", local=False)',
    '',
  ]);
  write('packs/kv/actions/store_js.yaml', ['name: store_js', 'runner_type: nodejs', 'entry_point: store.js', ...parameters]);
  write('packs/kv/actions/store.js', [
    'module.exports = async ({ secret }, { datastore: kv }) => {',
    "  await kv.set('colour', 'red');",
    "  await kv.set('shared.js.size', 'large', { local: false, scope: 'st2kv.system' });",
    "  await kv.set('password', secret, { encrypt: true });",
    "  await kv.set('lease', 7, { ttl: 600 });",
    "  await kv.set('mine', 'alice-js', { scope: 'user' });",
    "  await kv.set('gone', 'bye');",
    '  const refused = [];',
    "  for (const attempt of [() => kv.set('bad name', 'x'), () => kv.get('x', { scope: 'global' })]) {",
    '    await attempt().catch((error) => refused.push(`${error.name}: ${error.message}`));',
    '  }',
    '  return {',
    "    colour: await kv.get('colour'),",
    "    shared: await kv.get('shared.js.size', { local: false }),",
    "    missing: (await kv.get('nothing')) ?? null,",
    "    password: await kv.get('password'),",
    "    password_decrypted: (await kv.get('password', { decrypt: true })) === secret,",
    "    mine: await kv.get('mine', { scope: 'user' }),",
    '    listed: (await kv.list()).map((k) => [k.name, k.value, k.secret]),',
    "    listed_global: (await kv.list({ local: false, prefix: 'shared.js.' })).map((k) => k.name),",
    "    listed_prefix: (await kv.list({ prefix: 'co' })).map((k) => k.name),",
    "    deleted: await kv.delete('gone'),",
    "    deleted_again: await kv.delete('gone'),",
    "    gone: (await kv.get('gone')) ?? null,",
    '    refused,',
    '  };',
    '};',
    '',
  ]);
}

interface KeyBody {
  name: string;
  value: string;
  secret: boolean;
  encrypted: boolean;
  user?: string;
  expire_timestamp?: string;
}

// The datastore from pack actions end to end: the compiled gateway and worker,
// Temporal and Postgres; actions reach the keys API with their run's token.
describe('datastore from actions', () => {
  const root = mkdtempSync(join(tmpdir(), 'tempest-action-datastore-'));
  writeContent(root);
  let platform: TestPlatform;

  beforeAll(async () => {
    platform = await startTestPlatform({ root, users: ['alice'] });
  });
  afterAll(() => platform?.stop());

  /** A key as the API shows it to alice; `found` false when it is not there. */
  async function key(name: string, query = ''): Promise<{ found: boolean; body: KeyBody }> {
    const { status, body } = await platform.api<KeyBody>(`/keys/${encodeURIComponent(name)}${query}`);
    expect([200, 404]).toContain(status);
    return { found: status === 200, body };
  }

  /** The secret must be in none of what the execution left: its record, output, workflow history, nor any log line. */
  async function expectSecretNowhere(execution: TestExecution): Promise<void> {
    const output = await platform.api(`/executions/${execution.id}/output`);
    expect(JSON.stringify(output.body)).toContain('"chunks"');
    const history = await platform.history(execution.id);
    expect(history).toContain(execution.id);
    for (const text of [JSON.stringify(execution), JSON.stringify(output.body), history, platform.logs()]) expect(text).not.toContain(SECRET);
  }

  /** Checks what the action stored, through the API. */
  async function expectStored(prefix: string, stored: { colour: string; shared: [string, string]; lease: string; mine: string }): Promise<void> {
    expect((await key(`${prefix}colour`)).body).toMatchObject({ value: stored.colour, secret: false });
    expect((await key(stored.shared[0])).body).toMatchObject({ value: stored.shared[1] });
    expect((await key(`${prefix}password`)).body).toMatchObject({ value: '********', secret: true, encrypted: true });
    expect((await key(`${prefix}password`, '?decrypt=true')).body).toMatchObject({ value: SECRET, secret: true });
    const lease = (await key(`${prefix}lease`)).body;
    expect(lease.value).toBe(stored.lease);
    expect(Date.parse(lease.expire_timestamp!) - Date.now()).toBeGreaterThan(500_000);
    expect((await key(`${prefix}mine`, '?scope=user')).body).toMatchObject({ value: stored.mine, user: 'alice' });
    expect((await key(`${prefix}mine`)).found).toBe(false);
    expect((await key(`${prefix}gone`)).found).toBe(false);
  }

  it("gives a Python action StackStorm's self.action_service (also when its __init__ takes only the config): local keys prefixed <pack>.<class>:, secrets, TTL, scopes, listing", async () => {
    const execution = await platform.run('kv.store', { secret: SECRET });
    expect(execution).toMatchObject({ status: 'succeeded', parameters: { secret: '********' } });
    expect(execution.result.result).toEqual({
      colour: 'blue',
      shared: 'green',
      missing: null,
      password: '********',
      password_decrypted: true,
      mine: 'alice-py',
      listed: [
        ['kv.Store:colour', 'blue', false],
        ['kv.Store:gone', 'bye', false],
        ['kv.Store:lease', '42', false],
        ['kv.Store:password', '********', true],
      ],
      listed_global: ['shared.py.colour'],
      listed_prefix: ['kv.Store:colour'],
      deleted: true,
      deleted_again: false,
      gone: null,
      refused: [
        'DatastoreError: action_service.set_value: key "kv.Store:bad name": HTTP 400: key name "kv.Store:bad name" is invalid: use 1 to 255 letters, digits and . _ - : @',
        "ValueError: scope 'global' must be system or user (or st2kv.system, st2kv.user)",
      ],
    });
    // The datastore calls are logged by key name only, into the execution's output.
    expect(execution.result.stderr).toContain('Setting value in the datastore (name=kv.Store:password)');

    await expectStored('kv.Store:', { colour: 'blue', shared: ['shared.py.colour', 'green'], lease: '42', mine: 'alice-py' });
    await expectSecretNowhere(execution);
    expect(await platform.run('kv.legacy')).toMatchObject({ status: 'succeeded', result: { result: 'green' } });
  });

  it('gives a Node action the same as context.datastore, its local keys prefixed with the action ref', async () => {
    const execution = await platform.run('kv.store_js', { secret: SECRET });
    expect(execution).toMatchObject({ status: 'succeeded', parameters: { secret: '********' } });
    expect(execution.result.result).toEqual({
      colour: 'red',
      shared: 'large',
      missing: null,
      password: '********',
      password_decrypted: true,
      mine: 'alice-js',
      listed: [
        ['kv.store_js:colour', 'red', false],
        ['kv.store_js:gone', 'bye', false],
        ['kv.store_js:lease', '7', false],
        ['kv.store_js:password', '********', true],
      ],
      listed_global: ['shared.js.size'],
      listed_prefix: ['kv.store_js:colour'],
      deleted: true,
      deleted_again: false,
      gone: null,
      refused: [
        'DatastoreError: context.datastore.set: key "kv.store_js:bad name": HTTP 400: key name "kv.store_js:bad name" is invalid: use 1 to 255 letters, digits and . _ - : @',
        'DatastoreError: context.datastore.get: key "kv.store_js:x": HTTP 400: scope must be system or user (or st2kv.system, st2kv.user)',
      ],
    });

    await expectStored('kv.store_js:', { colour: 'red', shared: ['shared.js.size', 'large'], lease: '7', mine: 'alice-js' });
    await expectSecretNowhere(execution);
  });
});
