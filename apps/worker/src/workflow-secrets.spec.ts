import { randomBytes } from 'node:crypto';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { findRepoRoot } from '@tempest/config';
import { startTestPlatform, type TestExecution, type TestPlatform } from '@tempest/testing';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const SECRET = `param-${randomBytes(12).toString('hex')}`;
const KV_SECRET = `kv-${randomBytes(12).toString('hex')}`;

/** Workflows that take a secret parameter, read datastore secrets, pass them to a sub-workflow and (wrongly) transform one. */
const VAULTFLOW: Record<string, string> = {
  'pack.yaml': 'name: vaultflow\ndescription: secrets through workflows\nversion: 1.0.0\nauthor: test\n',
  'actions/with_param.yaml': [
    'name: with_param',
    'runner_type: orquesta',
    'entry_point: workflows/with_param.yaml',
    'parameters:',
    '  token: { type: string, secret: true, required: true }',
    '  path: { type: string, required: true }',
    '',
  ].join('\n'),
  'actions/workflows/with_param.yaml': [
    'version: 1.0',
    'input: [token, path]',
    'vars:',
    '  - header: Bearer <% ctx(token) %>',
    'tasks:',
    '  keep:',
    '    action: core.local',
    '    input:',
    '      cmd: printf %s "<% ctx(header) %>" > <% ctx(path) %>',
    '    next:',
    '      - when: <% succeeded() %>',
    '        publish:',
    '          - copy: <% ctx(token) %>',
    '        do: nested',
    '  nested:',
    '    action: vaultflow.chain',
    '    input:',
    '      token: <% ctx(copy) %>',
    '      path: <% ctx(path) %>.sub',
    'output:',
    '  - token: <% ctx(token) %>',
    '  - header: <% ctx(header) %>',
    '  - path: <% ctx(path) %>',
    '',
  ].join('\n'),
  // `token` is not declared secret here: what a workflow passes it from a secret is secret all the same.
  'actions/chain.yaml': 'name: chain\nrunner_type: action-chain\nentry_point: workflows/chain.yaml\nparameters:\n  token: { type: string }\n  path: { type: string, required: true }\n',
  'actions/workflows/chain.yaml': [
    'chain:',
    '  - name: keep',
    '    ref: core.local',
    '    parameters:',
    '      cmd: printf %s "{{ token }}" > {{ path }}',
    '    on-success: from_kv',
    '  - name: from_kv',
    '    ref: core.local',
    '    parameters:',
    '      cmd: printf %s "{{ st2kv.system.flow.token | decrypt_kv }}" > {{ path }}.kv',
    '',
  ].join('\n'),
  'actions/from_kv.yaml': 'name: from_kv\nrunner_type: orquesta\nentry_point: workflows/from_kv.yaml\nparameters:\n  path: { type: string, required: true }\n',
  'actions/workflows/from_kv.yaml': [
    'version: 1.0',
    'input: [path]',
    'tasks:',
    '  yaql:',
    '    action: core.local',
    '    input:',
    `      cmd: printf '%s\\n' "<% st2kv('system.flow.token', decrypt => true) %>" "<% decrypt_kv(st2kv('system.flow.token')) %>" > <% ctx(path) %>.yaql`,
    '    next:',
    '      - do: jinja',
    '  jinja:',
    '    action: core.local',
    '    input:',
    `      cmd: printf '%s\\n' "{{ st2kv('system.flow.token', decrypt=true) }}" "{{ st2kv('system.flow.token') | decrypt_kv }}" > {{ ctx('path') }}.jinja`,
    'output:',
    "  - token: <% st2kv('system.flow.token', decrypt => true) %>",
    '',
  ].join('\n'),
  'actions/transformed.yaml': 'name: transformed\nrunner_type: orquesta\nentry_point: workflows/transformed.yaml\nparameters:\n  token: { type: string, secret: true, required: true }\n',
  'actions/workflows/transformed.yaml': [
    'version: 1.0',
    'input: [token]',
    'tasks:',
    '  shout:',
    '    action: core.local',
    '    input:',
    '      cmd: echo <% ctx(token).toUpper() %>',
    '',
  ].join('\n'),
};

describe('secrets in workflows: secret parameters, st2kv(decrypt) and decrypt_kv', () => {
  const root = mkdtempSync(join(tmpdir(), 'tempest-workflow-secrets-'));
  const out = join(root, 'out');
  let platform: TestPlatform;

  beforeAll(async () => {
    mkdirSync(out);
    cpSync(join(findRepoRoot(), 'packs', 'core'), join(root, 'packs', 'core'), { recursive: true });
    for (const [file, text] of Object.entries(VAULTFLOW)) {
      mkdirSync(join(root, 'packs/vaultflow', file, '..'), { recursive: true });
      writeFileSync(join(root, 'packs/vaultflow', file), text);
    }
    platform = await startTestPlatform({ root });
    const stored = await platform.api('/keys/flow.token', { method: 'PUT', as: 'admin', body: JSON.stringify({ value: KV_SECRET, secret: true }) });
    expect(stored.status).toBe(200);
  });
  afterAll(async () => {
    await platform?.stop();
    rmSync(root, { recursive: true, force: true });
  });

  /** The execution and every execution under it (children lists descendants at any depth, as StackStorm's does). */
  async function family(execution: Json): Promise<Json[]> {
    return [execution, ...(await platform.api<Json[]>(`/executions/${execution.id}/children`)).body];
  }

  /** The secret is in none of what the executions left: API answers, Postgres rows, workflow histories, logs. */
  async function expectKept(secret: string, executions: Json[]): Promise<void> {
    expect(platform.responses.join('\n')).not.toContain(secret);
    expect(await platform.rowsContaining(secret)).toEqual([]);
    for (const execution of executions) expect(await platform.history(execution.id)).not.toContain(secret);
    expect(platform.logs()).not.toContain(secret);
  }

  it("gives a workflow's secret parameter to its tasks and a sub-workflow's, masked wherever it or what derives from it shows", async () => {
    const path = join(out, 'param');
    const flow: TestExecution & Json = await platform.run('vaultflow.with_param', { token: SECRET, path });
    expect(flow).toMatchObject({ status: 'succeeded', parameters: { token: '********', path }, result: { output: { token: '********', header: 'Bearer ********', path } } });
    expect(readFileSync(path, 'utf8')).toBe(`Bearer ${SECRET}`);
    expect(readFileSync(`${path}.sub`, 'utf8')).toBe(SECRET);
    expect(readFileSync(`${path}.sub.kv`, 'utf8')).toBe(KV_SECRET);

    const executions = await family(flow);
    expect(executions.map((e) => [e.action.ref, e.status, e.parameters])).toEqual([
      ['vaultflow.with_param', 'succeeded', expect.objectContaining({ token: '********', path })],
      ['core.local', 'succeeded', expect.objectContaining({ cmd: '********' })],
      ['vaultflow.chain', 'succeeded', expect.objectContaining({ token: '********', path: `${path}.sub` })],
      ['core.local', 'succeeded', expect.objectContaining({ cmd: '********' })],
      ['core.local', 'succeeded', expect.objectContaining({ cmd: '********' })],
    ]);
    await expectKept(SECRET, executions);
    await expectKept(KV_SECRET, executions);
  });

  it("decrypts datastore secrets in Orquesta's YAQL and Jinja: st2kv(decrypt=true) and decrypt_kv", async () => {
    const path = join(out, 'kv');
    const flow: TestExecution & Json = await platform.run('vaultflow.from_kv', { path });
    expect(flow).toMatchObject({ status: 'succeeded', result: { output: { token: '********' } } });
    expect(readFileSync(`${path}.yaql`, 'utf8')).toBe(`${KV_SECRET}\n${KV_SECRET}\n`);
    expect(readFileSync(`${path}.jinja`, 'utf8')).toBe(`${KV_SECRET}\n${KV_SECRET}\n`);
    await expectKept(KV_SECRET, await family(flow));
  });

  it('fails a task whose secret an expression changed, naming the task and parameter, and runs nothing', async () => {
    const flow: TestExecution & Json = await platform.run('vaultflow.transformed', { token: SECRET });
    expect(flow.status).toBe('failed');
    const message = 'task "shout", parameter "cmd": an expression changed a secret value (a secret can be passed whole or within a text, not transformed)';
    expect(flow.result).toMatchObject({ errors: [expect.objectContaining({ task_id: 'shout', result: { error: message } })] });
    expect(await platform.api<Json[]>(`/executions/${flow.id}/children`)).toMatchObject({ body: [] });
    await expectKept(SECRET, [flow]);
    await expectKept(SECRET.toUpperCase(), [flow]);
  });
});
