import { toRef } from './refs';

describe(toRef.name, () => {
  it('writes pack.name, as StackStorm refers to actions', () => {
    expect(toRef('core', 'local')).toBe('core.local');
  });
});
