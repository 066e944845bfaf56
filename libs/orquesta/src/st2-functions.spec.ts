// StackStorm's data and path functions (st2common/expressions/functions/data.py, path.py); the
// expected values were printed by Python 3 (json.dumps, os.path, PyYAML 6 safe_load).
import { renderTemplate } from '@tempest/templating';
import { evaluateStatement, ExpressionError } from './expressions';
import { inspect } from './inspect';

const evaluate = (statement: string, vars: Record<string, unknown> = {}) => evaluateStatement(statement, { vars }, { jinja: renderTemplate });
const value = { a: 1, b: [1, 2.5, null, true], c: 'é\n"x"', d: {} };

describe('StackStorm functions', () => {
  it.each([
    ['<% to_json_string(ctx(v)) %>', '{"a": 1,"b": [1,2.5,null,true],"c": "\\u00e9\\n\\"x\\"","d": {}}'],
    ['<% json_dump(ctx(v)) %>', '{"a": 1,"b": [1,2.5,null,true],"c": "\\u00e9\\n\\"x\\"","d": {}}'],
    ['<% to_json_string(ctx(v), 2, true) %>', '{\n  "a": 1,\n  "b": [\n    1,\n    2.5,\n    null,\n    true\n  ],\n  "c": "\\u00e9\\n\\"x\\"",\n  "d": {}\n}'],
    ['<% json_escape(ctx(v).c) %>', '\\u00e9\\n\\"x\\'],
    ['<% from_json_string(\'{"a": [1, 2]}\') %>', { a: [1, 2] }],
    ['<% json_parse(\'[1, "x"]\') %>', [1, 'x']],
    ['<% from_yaml_string("a: yes\\nb: 0o10\\nc: 010\\nd: on\\ne: 1_000\\nf: ~\\nh: 1.5\\n") %>', { a: true, b: '0o10', c: 8, d: true, e: 1000, f: null, h: 1.5 }],
    ['<% use_none(null) %>', '%*****__%NONE%__*****%'],
    ['<% use_none(foo) %>', 'foo'],
    ['<% [basename("/path/to/some/file.txt"), basename("/a/b/"), basename("file"), basename("")] %>', ['file.txt', '', 'file', '']],
    ['<% [dirname("/path/to/some/file.txt"), dirname("/a/b/"), dirname("file"), dirname("/"), dirname("//x"), dirname("a//b")] %>', ['/path/to/some', '/a/b', '', '/', '//', 'a']],
    ['{{ json_parse(\'{"k": 1}\') }}', { k: 1 }],
    ['{{ basename("/a/b.txt") }}', 'b.txt'],
  ])('%s', (statement, expected) => {
    expect(evaluate(statement, { v: value })).toEqual(expected);
  });

  it('prints floats as Python does', () => {
    expect(evaluate('<% to_json_string(ctx(f)) %>', { f: [0.00001, 0.1, 123.456, 1.5e300, -2.5e-7] })).toBe('[1e-05,0.1,123.456,1.5e+300,-2.5e-07]');
  });

  it('refuses the functions it does not compute, by name, at run time and in inspect()', () => {
    expect(() => evaluate('<% regex_match("xyz", "x") %>')).toThrow(ExpressionError);
    expect(() => evaluate('<% regex_match("xyz", "x") %>')).toThrow("NotImplementedError: StackStorm's function regex_match() is not supported here: Python's regular expressions are not available here");
    expect(inspect('version: 1.0\noutput:\n  - v: <% version_compare("1.0.0", "1.0.1") %>\ntasks:\n  t1:\n    action: core.noop\n')).toEqual([
      { kind: 'expressions', path: 'output[0]', line: 3, expression: '<% version_compare("1.0.0", "1.0.1") %>', message: "unsupported: StackStorm's function version_compare() (not implemented here)" },
    ]);
  });

  it('inspect() finds them called from Jinja too, but leaves the renderer\'s filters of the same name alone', () => {
    const yaml = (expr: string) => `version: 1.0\noutput:\n  - v: '${expr}'\ntasks:\n  t1:\n    action: core.noop\n`;
    expect(inspect(yaml('{{ regex_match("xyz", "x") }}')).map((p) => p.message)).toEqual(["unsupported: StackStorm's function regex_match() (Python's regular expressions are not available here)"]);
    expect(inspect(yaml('{{ "xyz" | regex_match("x") }}'))).toEqual([]);
  });

  it('refuses a non-string where Python would print the value first', () => {
    expect(() => evaluate('<% from_json_string(ctx(v)) %>', { v: value })).toThrow('TypeError: from_json_string() takes a string here');
  });
});
