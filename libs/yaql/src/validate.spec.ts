// What `workflow inspect` reports before a run: constructs and functions the evaluator refuses,
// and functions that exist neither in yaql nor in the caller's table, with their positions.
import { unsupported } from './validate';

const ORQUESTA = ['ctx', 'result', 'succeeded', 'failed', 'completed', 'task_status', 'item', 'json', 'zip'];

describe(unsupported.name, () => {
  it.each([
    'ctx(vms).where($.region = us-east).select($.name)',
    'succeeded() and result().status_code = 200',
    'let(x => ctx().a) -> $x.keys().toList()',
    'dict(vms => dict(ctx(vms).select([$.name, $])))',
    "ctx().s.split(',').select($.trim().toUpper()).join(' ')",
    'switch(ctx().a > 1 => big, true => small)',
    'ctx().l.max() + [1, 2].max() + max(1, 2)',
    '[1].zip([2])',
  ])('accepts %s', (expr) => {
    expect(unsupported(expr, ORQUESTA)).toEqual([]);
  });

  it.each([
    ['random()', [{ kind: 'unsupported', message: 'unsupported YAQL: the function random()', position: 0 }]],
    ["ctx().a =~ 'x'", [{ kind: 'unsupported', message: 'unsupported YAQL: the =~ operator (regular expressions)', position: 0 }]],
    ['ctx().l.delete(0)', [{ kind: 'unsupported', message: 'unsupported YAQL: the function delete()', position: 8 }]],
    ['set(1, 2)', [{ kind: 'unsupported', message: 'unsupported YAQL: the function set()', position: 0 }]],
    ['def(f, $) -> f(1)', [{ kind: 'unsupported', message: 'unsupported YAQL: the function def()', position: 0 }, { kind: 'unknown-function', message: 'unknown function f()', position: 13 }]],
    ['f(, 1)', [{ kind: 'unknown-function', message: 'unknown function f()', position: 0 }, { kind: 'unsupported', message: 'unsupported YAQL: an empty argument', position: 2 }]],
    ['[a => 1]', [{ kind: 'unsupported', message: 'unsupported YAQL: a list item written as `key => value`', position: 1 }]],
    ['st2kv(x)', [{ kind: 'unknown-function', message: 'unknown function st2kv()', position: 0 }]],
    ['[1].ctx()', [{ kind: 'unknown-function', message: 'unknown method ctx()', position: 4 }]],
    ['ctx().toUpper(1)', []],
  ])('reports %s', (expr, issues) => {
    expect(unsupported(expr, ORQUESTA)).toEqual(issues);
  });
});
