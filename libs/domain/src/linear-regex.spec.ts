import { jsonSchemaPattern, jsonSchemaPatternProblem } from './linear-regex';

describe(jsonSchemaPattern.name, () => {
  it('reads ECMA-262 syntax: \\u escapes, named groups, escaped slashes, lookbehind', () => {
    expect(jsonSchemaPattern('^\\u0041(?<rest>[\\w-]+)\\/x$').test('Ab-c/x')).toBe(true);
    expect(jsonSchemaPattern('(?<=v)\\d+').test('v12')).toBe(true);
    expect(jsonSchemaPattern('^a$').test('a\n')).toBe(false);
  });

  it('refuses backreferences and lookahead, saying why, and keeps an escaped backslash before k<', () => {
    expect(jsonSchemaPatternProblem('(?<n>a)\\k<n>')).toMatch(/^backreference \\k<\.\.\.> is not supported: regular expressions are matched in linear time/);
    expect(jsonSchemaPatternProblem('(a)\\1')).toMatch(/\(backreference\): regular expressions are matched in linear time/);
    expect(jsonSchemaPatternProblem('a(?=b)')).toMatch(/\(lookahead\): regular expressions are matched in linear time/);
    expect(jsonSchemaPatternProblem('[a-')).toBe('missing closing ]: `[a-`');
    expect(jsonSchemaPattern('^\\\\k<$').test('\\k<')).toBe(true);
  });
});
