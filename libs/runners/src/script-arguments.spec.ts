import { findRunnerType } from '@tempest/domain';
import { scriptArguments } from './script-arguments';

const runner = findRunnerType('local-shell-script')!.parameters;

describe(scriptArguments.name, () => {
  it('passes named parameters as --name=value and positional ones in order, as StackStorm does', () => {
    const specs = { service: { type: 'string' as const, position: 0 }, count: { type: 'integer' as const, position: 1 }, force: { type: 'boolean' as const }, mode: { type: 'string' as const } };
    expect(scriptArguments({ service: 'nginx', count: 2, force: true, mode: 'fast', timeout: 60, kwarg_op: '--' }, specs, runner, '--')).toEqual([
      '--force', '--mode=fast', 'nginx', '2',
    ]);
  });

  it('leaves out false and empty named values, keeps gaps in positions, and serialises types', () => {
    const specs = { a: { type: 'boolean' as const, position: 0 }, b: { type: 'array' as const, position: 2 }, c: { type: 'object' as const }, d: { type: 'string' as const }, e: { type: 'boolean' as const } };
    expect(scriptArguments({ a: false, b: ['x', 'y'], c: { k: 1 }, d: '', e: false }, specs, runner, '-')).toEqual(['-c={"k":1}', '0', '', 'x,y']);
  });

  it('keeps hostile values as single literal arguments', () => {
    const specs = { target: { type: 'string' as const, position: 0 }, note: { type: 'string' as const } };
    expect(scriptArguments({ target: '$(reboot); rm -rf /', note: "a' b" }, specs, runner, '--')).toEqual(["--note=a' b", '$(reboot); rm -rf /']);
  });
});
