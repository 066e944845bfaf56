import { derivedId } from './derived-id';

describe(derivedId.name, () => {
  it('gives the same UUID for the same cause, and another for any other', () => {
    const id = derivedId('instance-1', 'ops.rule');
    expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(derivedId('instance-1', 'ops.rule')).toBe(id);
    expect(derivedId('instance-2', 'ops.rule')).not.toBe(id);
    expect(derivedId('instance-1', 'ops.rule2')).not.toBe(id);
    // Parts are separated, not concatenated.
    expect(derivedId('ab', 'c')).not.toBe(derivedId('a', 'bc'));
  });
});
