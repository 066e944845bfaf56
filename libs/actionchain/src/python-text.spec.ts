import { parsePythonLiteral } from './python-literal';
import { pythonRepr, pythonStr } from './python-text';

describe('pythonStr / pythonRepr (what StackStorm\'s Jinja writes for a value)', () => {
  it.each<[unknown, string]>([
    ['text', 'text'],
    [1, '1'],
    [3.14, '3.14'],
    [true, 'True'],
    [null, 'None'],
    [[2, 3, 4], '[2, 3, 4]'],
    [{ c1: { o1: '1' }, c2: [true, null] }, "{'c1': {'o1': '1'}, 'c2': [True, None]}"],
    [["it's", 'say "hi"', 'both \' and "', 'a\nb\\'], `["it's", 'say "hi"', 'both \\' and "', 'a\\nb\\\\']`],
    [1e-7, '1e-07'],
  ])('%j -> %s', (value, text) => {
    expect(pythonStr(value)).toBe(text);
  });

  it('repr quotes a string, str does not', () => {
    expect(pythonRepr('a')).toBe("'a'");
    expect(pythonStr('a')).toBe('a');
  });
});

describe('parsePythonLiteral (ast.literal_eval)', () => {
  it.each<[string, unknown]>([
    ["['a', 'b']", ['a', 'b']],
    ["{'c1': {'o1': '1'}, 'n': (1, 2.5, -3)}", { c1: { o1: '1' }, n: [1, 2.5, -3] }],
    ['[True, False, None]', [true, false, null]],
    [`["it's", 'say "hi"', 'both \\' and "', 'a\\nb\\\\', '\\x41\\u00e9']`, ["it's", 'say "hi"', 'both \' and "', 'a\nb\\', 'Aé']],
    ['[1, 2, ]', [1, 2]],
    ['1_000', 1000],
  ])('%s', (text, value) => {
    expect(parsePythonLiteral(text)).toEqual(value);
  });

  it.each(['[1, 2', "{'a' 1}", 'hello', "'open", '[1] 2', 'true'])('refuses %s', (text) => {
    expect(() => parsePythonLiteral(text)).toThrow('malformed node or string');
  });

  it('reads back what pythonRepr writes', () => {
    const value = { a: ['x', "y'z", 'q"r', 1, 2.5, true, null, { b: [] }], 'k\'"': '\t' };
    expect(parsePythonLiteral(pythonRepr(value))).toEqual(value);
  });
});
