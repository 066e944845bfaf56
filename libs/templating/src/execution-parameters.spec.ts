import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { findRunnerType } from '@tempest/domain';
import { prepareExecutionParameters } from './execution-parameters';

const local = findRunnerType('local-shell-cmd')!.parameters;
const echo = { message: { type: 'string' as const, required: true }, cmd: { default: 'echo {{message}}', immutable: true } };
const pause = { max_pause: { type: 'integer' as const, default: 5 }, cmd: { default: 'sleep {{max_pause}}', immutable: true } };

function prepare(actionParameters: Parameters<typeof prepareExecutionParameters>[2], provided: Record<string, unknown>, runner = 'local-shell-cmd') {
  return prepareExecutionParameters(runner, local, actionParameters, provided, { action_context: { user: 'alice' }, config_context: {} });
}

describe(prepareExecutionParameters.name, () => {
  it('renders the command from other parameters, in order', () => {
    expect(prepare(echo, { message: 'hello' })).toMatchObject({ ok: true, values: { cmd: 'echo hello', message: 'hello' } });
    expect(prepare(pause, {})).toMatchObject({ ok: true, values: { cmd: 'sleep 5', max_pause: 5 } });
  });

  it.each(['$(touch /tmp/tempest-pwned)', '`id`', "x'; echo injected; '", 'a && echo injected', 'hello world'])(
    'keeps a hostile value literal in the shell command: %p',
    (message) => {
      const prepared = prepare(echo, { message });
      if (!prepared.ok) throw new Error(prepared.violations.join('; '));
      const { stdout } = spawnSync('bash', ['-c', String(prepared.values.cmd)], { encoding: 'utf8' });
      expect(stdout).toBe(`${message}\n`);
    },
  );

  it.each(['to_json_string', 'dump', 'upper', 'replace("a", "b")', 'to_yaml_string'])('keeps a hostile value literal through the filter %s', (filter) => {
    const dir = mkdtempSync(join(tmpdir(), 'tempest-cmd-'));
    const marker = join(dir, 'pwned');
    try {
      const specs = { message: { type: 'string' as const }, labels: { type: 'object' as const }, cmd: { default: `printf '%s|' {{ message | ${filter} }} {% for k, v in labels %}{{ k }} {% endfor %}`, immutable: true } };
      const message = `$(touch ${marker}) \`touch ${marker}\` "; touch ${marker}; "`;
      const labels = { [`$(touch ${marker})`]: 1, [`a'; touch ${marker}; '`]: 2 };
      const prepared = prepare(specs, { message, labels });
      if (!prepared.ok) throw new Error(prepared.violations.join('; '));
      const { stdout } = spawnSync('bash', ['-c', String(prepared.values.cmd)], { encoding: 'utf8' });
      expect(existsSync(marker)).toBe(false);
      expect(stdout).toContain(`|$(touch ${marker})|a'; touch ${marker}; '|`);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('gives templates the action context', () => {
    expect(prepare({ cmd: { default: 'echo {{ action_context.user }}' } }, {})).toMatchObject({ ok: true, values: { cmd: 'echo alice' } });
  });

  it('names the parameter and the variable when rendering fails', () => {
    expect(prepare({ cmd: { default: 'echo {{ mesage }}' } }, {})).toEqual({ ok: false, violations: [expect.stringMatching(/^cmd: .*mesage/)] });
  });

  it('checks the rendered values against their types', () => {
    const specs = { count: { type: 'integer' as const, default: '{{ label }}' }, label: { type: 'string' as const, default: 'many' } };
    expect(prepare(specs, {}, 'noop')).toEqual({ ok: false, violations: ['count: expected integer, got string "many"'] });
  });

  it('still refuses what the caller may not set, before rendering anything', () => {
    expect(prepare(echo, { message: 'hi', cmd: 'reboot' })).toEqual({ ok: false, violations: ['cmd: immutable, cannot be set'] });
  });
});

describe(`${prepareExecutionParameters.name} with a pack config`, () => {
  const config = { url: 'https://ops', token: 's3cr3t' };
  const masked = { url: 'https://ops', token: '********' };
  const specs = {
    url: { type: 'string' as const, default: '{{ config_context.url }}' },
    auth: { type: 'string' as const, default: 'Bearer {{ config_context.token }}' },
    header: { type: 'string' as const, default: 'Authorization: {{ auth }}' },
    has_token: { type: 'boolean' as const, default: '{{ config_context.token is defined }}' },
    cmd: { default: 'curl -H {{ header }} {{ url }}', immutable: true },
  };

  it('renders config_context, and treats every parameter a secret config value flows into as secret', () => {
    const prepared = prepareExecutionParameters('local-shell-cmd', local, specs, {}, { config_context: config }, masked);
    if (!prepared.ok) throw new Error(prepared.violations.join('; '));
    expect(prepared.values).toMatchObject({ url: 'https://ops', auth: 'Bearer s3cr3t', has_token: true, cmd: "curl -H 'Authorization: Bearer s3cr3t' https://ops" });
    expect(prepared.secrets.sort()).toEqual(['auth', 'cmd', 'header', 'sudo_password']);
  });

  it('never quotes a secret config value in a violation', () => {
    const prepared = prepareExecutionParameters('noop', {}, { port: { type: 'integer', default: '{{ config_context.token }}' } }, {}, { config_context: config }, masked);
    expect(prepared).toEqual({ ok: false, violations: ['port: expected integer, got string "********"'] });
  });

  it('adds no secrets when none of the config reaches the parameters', () => {
    const prepared = prepareExecutionParameters('local-shell-cmd', local, { cmd: { default: 'echo {{ config_context.url }}' } }, {}, { config_context: config }, masked);
    expect(prepared).toMatchObject({ ok: true, secrets: ['sudo_password'] });
  });
});

describe(`${prepareExecutionParameters.name} with secret parameters`, () => {
  const specs = {
    token: { type: 'string' as const },
    header: { type: 'string' as const, default: 'Authorization: Bearer {{ token }}' },
    password: { type: 'string' as const, secret: true, default: 'changeme' },
    login: { type: 'string' as const, default: 'admin:{{ password }}' },
    port: { type: 'integer' as const, default: 22 },
    cmd: { default: 'curl -H {{ header }} localhost:{{ port }}', immutable: true },
  };

  it('treats a value the caller says is secret (a decrypted datastore key), and all it flows into, as secret', () => {
    const prepared = prepareExecutionParameters('local-shell-cmd', local, specs, { token: 's3cr3t' }, {}, undefined, ['token']);
    if (!prepared.ok) throw new Error(prepared.violations.join('; '));
    expect(prepared.values).toMatchObject({ token: 's3cr3t', header: 'Authorization: Bearer s3cr3t', cmd: "curl -H 'Authorization: Bearer s3cr3t' localhost:22" });
    expect(prepared.secrets.sort()).toEqual(['cmd', 'header', 'login', 'password', 'sudo_password', 'token']);
  });

  it('treats what a secret parameter flows into as secret, its default included', () => {
    const prepared = prepareExecutionParameters('noop', {}, specs, { token: 'public' }, {});
    if (!prepared.ok) throw new Error(prepared.violations.join('; '));
    expect(prepared.values).toMatchObject({ login: 'admin:changeme', header: 'Authorization: Bearer public' });
    expect(prepared.secrets.sort()).toEqual(['login', 'password']);
  });

  it('never quotes a secret value in a violation', () => {
    const prepared = prepareExecutionParameters('noop', {}, specs, { token: 's3cr3t', port: '{{ token }}' }, {}, undefined, ['token']);
    expect(prepared).toEqual({ ok: false, violations: ['port: expected integer, got string "********"'] });
  });
});
