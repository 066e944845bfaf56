import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { eventually, startTestPlatform, type TestPlatform } from '@tempest/testing';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const SECRET = `vault-${randomBytes(12).toString('hex')}`;
const CONFIG_SECRET = `config-${randomBytes(12).toString('hex')}`;

/** A rule that reads a datastore secret with decrypt_kv into an action that writes it to a file. */
function writeContent(root: string, out: string): void {
  const write = (path: string, lines: string[]) => {
    mkdirSync(join(root, path, '..'), { recursive: true });
    writeFileSync(join(root, path), lines.join('\n'));
  };
  write('packs/vault/pack.yaml', ['name: vault', 'description: secrets from the datastore', 'version: 1.0.0', 'author: test', '']);
  write('packs/vault/config.schema.yaml', ['api_key: { type: string, secret: true, required: true }', '']);
  write('configs/vault.yaml', [`api_key: ${CONFIG_SECRET}`, '']);
  write('packs/vault/actions/keep.yaml', [
    'name: keep',
    'runner_type: local-shell-cmd',
    'parameters:',
    '  token: { type: string, required: true }',
    '  path: { type: string, required: true }',
    // The token reaches the command through another parameter: that one is secret too.
    '  cmd: { default: "printf %s {{ token }} > {{ path }} && printf %s {{ config_context.api_key }} > {{ path }}.config && echo kept", immutable: true }',
    '',
  ]);
  write('packs/vault/rules/rotate.yaml', [
    'name: rotate',
    'pack: vault',
    'enabled: true',
    'trigger:',
    '  type: core.st2.webhook',
    '  parameters: { url: vault }',
    'action:',
    '  ref: vault.keep',
    '  parameters:',
    '    token: "{{ st2kv.system.vault.token | decrypt_kv }}"',
    `    path: "${out}/{{ trigger.body.name }}"`,
    '',
  ]);
}

describe('a datastore secret read by a rule with decrypt_kv, and a pack config secret', () => {
  const root = mkdtempSync(join(tmpdir(), 'tempest-secret-audit-'));
  const out = join(root, 'out');
  let platform: TestPlatform;

  beforeAll(async () => {
    mkdirSync(out);
    writeContent(root, out);
    platform = await startTestPlatform({ root });
    const stored = await platform.api('/keys/vault.token', { method: 'PUT', as: 'admin', body: JSON.stringify({ value: SECRET, secret: true }) });
    expect(stored.status).toBe(200);
  });
  afterAll(async () => {
    await platform?.stop();
    rmSync(root, { recursive: true, force: true });
  });

  it('gives the action the real value, and keeps it out of the API, Postgres, the workflow history and the logs', async () => {
    const posted = await fetch(`${platform.base}/api/v1/webhooks/vault`, {
      method: 'POST',
      headers: { 'X-Api-Key': platform.keys.admin, 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'first' }),
    });
    const outcome = (await posted.json()) as Json;
    expect(posted.status).toBe(202);
    expect(outcome.rule_enforcements).toEqual([expect.objectContaining({ rule_ref: 'vault.rotate', status: 'succeeded', execution_id: expect.any(String) })]);
    const id: string = outcome.rule_enforcements[0].execution_id;
    await platform.temporal.workflow.getHandle(id).result();

    expect(readFileSync(join(out, 'first'), 'utf8')).toBe(SECRET);
    expect(readFileSync(join(out, 'first.config'), 'utf8')).toBe(CONFIG_SECRET);
    const execution = (await platform.api<Json>(`/executions/${id}`)).body;
    expect(execution).toMatchObject({ status: 'succeeded', parameters: { token: '********', cmd: '********', path: join(out, 'first') }, result: { stdout: 'kept' } });

    // The actiontrigger of the ended execution, and everything else a client can read.
    const actionTrigger = await eventually(
      async () => (await platform.api<Json[]>('/triggerinstances?trigger=core.st2.generic.actiontrigger')).body.find((i) => i.payload.execution_id === id),
      'the actiontrigger instance',
      10_000,
    );
    expect(actionTrigger.payload.parameters).toMatchObject({ token: '********', cmd: '********' });
    await platform.api(`/traces/${outcome.trace_tag}`);
    await platform.api('/executions?limit=100');
    await platform.api(`/ruleenforcements?trigger_instance=${outcome.trigger_instance_id}`);
    await platform.api(`/triggerinstances/${outcome.trigger_instance_id}`);
    await platform.api(`/executions/${id}/output`);
    await platform.api('/packs/vault/config');
    for (const secret of [SECRET, CONFIG_SECRET]) {
      expect(platform.responses.join('\n')).not.toContain(secret);
      expect(await platform.rowsContaining(secret)).toEqual([]);
      expect(await platform.history(id)).not.toContain(secret);
      expect(platform.logs()).not.toContain(secret);
    }
    // Nothing runs it again: its secrets were removed when it ended.
    expect((await sql`select 1 from execution_secrets where execution_id = ${id}`.execute(platform.database.db)).rows).toEqual([]);

    // So a re-run asks for the secret again, and runs with the one given.
    const refused = await platform.api<Json>(`/executions/${id}/re_run`, { method: 'POST', body: JSON.stringify({}) });
    expect(refused).toEqual({ status: 400, body: expect.objectContaining({ message: [`parameter token: secret, and no longer kept since execution ${id} ended: give it again in parameters`] }) });
    const rotated = `${SECRET}-rotated`;
    const rerun = await platform.api<Json>(`/executions/${id}/re_run`, { method: 'POST', body: JSON.stringify({ parameters: { token: rotated } }) });
    expect(rerun.status).toBe(201);
    await platform.temporal.workflow.getHandle(rerun.body.id).result();
    expect(readFileSync(join(out, 'first'), 'utf8')).toBe(rotated);
    expect((await platform.api<Json>(`/executions/${rerun.body.id}`)).body).toMatchObject({ status: 'succeeded', parameters: { token: '********', cmd: '********' } });
    expect(await platform.rowsContaining(rotated)).toEqual([]);
  });
});
