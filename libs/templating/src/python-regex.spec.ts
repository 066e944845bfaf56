import { expandReplacement, pythonRegex } from './python-regex';

describe(pythonRegex.name, () => {
  it('takes named groups', () => {
    expect(pythonRegex('(?P<word>\\w+) (?P<rest>\\w+)').findAll('hey you')[0].groups).toEqual({ word: 'hey', rest: 'you' });
  });

  it('translates \\Z to the end of the string', () => {
    expect(pythonRegex('\\Aab\\Z').search('ab')).toBe(true);
    expect(pythonRegex('\\Aab\\Z').search('ab\n')).toBe(false);
    expect(pythonRegex('\\\\A').search('\\A')).toBe(true);
  });

  it('takes leading inline flags', () => {
    expect(pythonRegex('(?i)abc').search('ABC')).toBe(true);
    expect(() => pythonRegex('(?x)a b')).toThrow('regex flag (?x) is not supported');
  });

  it('takes Python escapes RE2 spells otherwise', () => {
    expect(pythonRegex('caf\\u00e9').search('café')).toBe(true);
    expect(pythonRegex('\\U0001F600').search('😀')).toBe(true);
  });

  it('matches at the start only with match(), anywhere with search()', () => {
    expect(pythonRegex('b').match('ab')).toBe(false);
    expect(pythonRegex('b|a').match('ab')).toBe(true);
    expect(pythonRegex('b').search('ab')).toBe(true);
  });

  it('finds every match as re.finditer, empty ones included', () => {
    expect(pythonRegex('x*').findAll('axxb').map((m) => [m.index, m[0]])).toEqual([[0, ''], [1, 'xx'], [3, ''], [4, '']]);
    expect(pythonRegex('(a)(b)?').findAll('a')[0][2]).toBeUndefined();
  });

  it.each(['(a+)+$', '(a|a)*b', '(x+x+)+y', '(a|aa)+$'])('matches a catastrophic pattern %p in linear time', (pattern) => {
    const started = performance.now();
    expect(pythonRegex(pattern).search(`${'a'.repeat(28)}x`.repeat(1000) + '!')).toBe(false);
    expect(pythonRegex(pattern).findAll(`${'a'.repeat(5000)}!`).length).toBeLessThan(2);
    expect(performance.now() - started).toBeLessThan(1000);
  });

  it('refuses what cannot be matched in linear time, saying why', () => {
    expect(() => pythonRegex('(?P<w>\\w+) (?P=w)')).toThrow(/backreference .* is not supported: regular expressions are matched in linear time/);
    expect(() => pythonRegex('(\\w+) \\1')).toThrow(/backreference \\1 .* is not supported/);
    expect(() => pythonRegex('a(?=b)')).toThrow(/without backreferences or lookahead/);
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
