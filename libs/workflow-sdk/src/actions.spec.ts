import { actions, untypedActions } from './actions';
import { run } from './run';

/** Type checks (the typecheck target compiles specs): never called. */
export function typedCalls(): void {
  void actions.core.local({ cmd: 'df -P /' }).then((result) => result.stdout.trim());
  // @ts-expect-error: cmd is a string
  void actions.core.local({ cmd: 3 });
  // @ts-expect-error: core.local needs its cmd
  void actions.core.local({});
  // @ts-expect-error: no such action is typed
  void actions.core.nonesuch();
  void run('core.echo', { message: 'hi' });
  // @ts-expect-error: core.echo takes a message
  void run('core.echo', { msg: 'hi' });
  void run('ops.anything', { whatever: 1 });
  void untypedActions.ops.anything({ whatever: 1 });
}

describe('actions', () => {
  it('has a function per action, by pack and name; neither level looks like a promise', () => {
    expect(typeof actions.core.local).toBe('function');
    expect(typeof untypedActions.ops.restart).toBe('function');
    expect((actions as unknown as { then?: unknown }).then).toBeUndefined();
    expect((actions.core as unknown as { then?: unknown }).then).toBeUndefined();
  });
});
