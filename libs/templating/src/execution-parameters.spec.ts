import { spawnSync } from 'node:child_process';
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
