import { parseRef, toRef } from './refs';

describe(parseRef.name, () => {
  it('splits pack and name at the first dot', () => {
    expect(parseRef('core.local')).toEqual({ pack: 'core', name: 'local' });
    expect(parseRef('linux.check.disk')).toEqual({ pack: 'linux', name: 'check.disk' });
    expect(toRef('core', 'local')).toBe('core.local');
  });

  it.each(['core', '.local', 'core.', 'Core.local', 'my-pack.x', 'core.lo cal'])('rejects %p', (ref) => {
    expect(parseRef(ref)).toBeUndefined();
  });
});
