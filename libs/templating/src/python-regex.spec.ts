import { expandReplacement, pythonRegex } from './python-regex';

describe(pythonRegex.name, () => {
  it('translates named groups and backreferences', () => {
    const regex = pythonRegex('(?P<word>\\w+) (?P=word)');
    expect(regex.exec('hey hey you')?.groups).toEqual({ word: 'hey' });
  });

  it('translates \\A and \\Z to the string boundaries', () => {
    expect(pythonRegex('\\Aab\\Z').test('ab')).toBe(true);
    expect(pythonRegex('\\Aab\\Z').test('ab\n')).toBe(false);
    expect(pythonRegex('\\\\A').test('\\A')).toBe(true);
  });

  it('takes leading inline flags', () => {
    expect(pythonRegex('(?i)abc').test('ABC')).toBe(true);
    expect(() => pythonRegex('(?x)a b')).toThrow('regex flag (?x) is not supported');
  });
});

describe(expandReplacement.name, () => {
  const match = /(?<first>a)(b)?/.exec('a')!;

  it('expands numbered and named groups, unmatched ones as empty', () => {
    expect(expandReplacement('[\\1|\\g<first>|\\2|\\g<0>]', match)).toBe('[a|a||a]');
  });

  it('expands escapes and leaves JavaScript $ alone', () => {
    expect(expandReplacement('\\n\\t\\\\ $1 $&', match)).toBe('\n\t\\ $1 $&');
  });

  it('refuses a missing group', () => {
    expect(() => expandReplacement('\\3', match)).toThrow('invalid group reference 3 in replacement');
  });
});
