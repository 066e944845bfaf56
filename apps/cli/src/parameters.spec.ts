import { parseParameters, UsageError } from './parameters';

describe(parseParameters.name, () => {
  const specs = { count: { type: 'integer' }, ratio: { type: 'number' }, force: { type: 'boolean' }, env: { type: 'object' }, hosts: { type: 'array' }, cmd: { type: 'string' } };

  it('casts each value to its parameter\'s type, as StackStorm\'s CLI does', () => {
    expect(parseParameters(['count=3', 'ratio=0.5', 'force=yes', 'env={"A":"1"}', 'hosts=["a","b"]', 'cmd=echo a=b'], specs)).toEqual({
      count: 3, ratio: 0.5, force: true, env: { A: '1' }, hosts: ['a', 'b'], cmd: 'echo a=b',
    });
  });

  it('keeps strings, and unknown names, as written', () => {
    expect(parseParameters(['cmd=42', 'other=x'], specs)).toEqual({ cmd: '42', other: 'x' });
  });

  it.each([
    ['count=abc', 'count=abc: expected a whole number'],
    ['count=1.5', 'count=1.5: expected a whole number'],
    ['force=maybe', 'force=maybe: expected true or false'],
    ['env={bad', 'env={bad: expected JSON (an object)'],
    ['justaword', '"justaword": parameters are written name=value'],
  ])('refuses %s', (word, message) => {
    expect(() => parseParameters([word], specs)).toThrow(new UsageError(message));
  });
});
