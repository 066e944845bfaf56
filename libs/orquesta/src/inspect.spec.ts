// inspect(): problems with path, task and line (Orquesta's spec inspection, orquesta/specs/native/v1/models.py).
import { inspect } from './index';

describe('inspect', () => {
  it('accepts a valid definition', () => {
    expect(inspect('version: 1.0\ninput:\n  - a\ntasks:\n  t1:\n    action: core.echo message=<% ctx(a) %>\n')).toEqual([]);
  });

  it.each([
    ['an unknown key', 'version: 1.0\ntasks:\n  t1:\n    action: core.noop\n    nxt: []\n', { path: 'tasks.t1', task: 't1', line: 5, message: "Additional properties are not allowed ('nxt' was unexpected)." }],
    ['do naming a missing task', 'version: 1.0\ntasks:\n  t1:\n    action: core.noop\n    next:\n      - do: t9\n', { path: 'tasks.t1.next[0].do', task: 't1', line: 6, message: 'The task "t9" is not defined.' }],
    ['bad YAQL syntax', 'version: 1.0\ntasks:\n  t1:\n    action: core.echo message=<% 1 + %>\n', { path: 'tasks.t1.input', task: 't1', line: 4 }],
    ['unsupported YAQL', 'version: 1.0\ntasks:\n  t1:\n    action: core.echo message=<% random() %>\n', { path: 'tasks.t1.input', task: 't1', line: 4 }],
    ['an undefined ctx() variable', 'version: 1.0\ntasks:\n  t1:\n    action: core.echo message=<% ctx().nope %>\n', { path: 'tasks.t1.input', task: 't1', line: 4 }],
    ['a reserved task name', 'version: 1.0\ntasks:\n  fail:\n    action: core.noop\n', { path: 'tasks.fail', task: 'fail', line: 3, message: 'The task name "fail" is reserved with special function.' }],
    ['a loop without an entry task', 'version: 1.0\ntasks:\n  a:\n    next:\n      - do: b\n  b:\n    next:\n      - do: a\n', { path: 'tasks' }],
  ])('reports %s', (_name, yaml, expected) => {
    expect(inspect(yaml)).toEqual(expect.arrayContaining([expect.objectContaining(expected)]));
  });
});
