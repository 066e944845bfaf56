// yaql's own behaviour as the specification: each case of src/conformance.json was
// evaluated by yaql 3.x (conformance/oracle.py over conformance/cases.txt, taken from
// openstack/yaql yaql/tests/*.py and StackStorm/orquesta's tests and fixtures). This
// evaluator must give the same result (compared as Python's repr), fail where yaql
// fails, or refuse the case as unsupported when it is listed in REFUSED below.
import cases from './conformance.json';
import { YaqlError, YaqlUnsupportedError } from './errors';
import { evaluateRaw } from './evaluate';
import { pyRepr } from './values';

interface Case {
  expr: string;
  source: string;
  data: unknown;
  expect?: string;
  error?: string;
}

/** Orquesta's ctx() (orquesta/expressions/functions/common.py), reading the context bound as __vars. */
const ctx = ({ args, context }: { args: unknown[]; context: { get(name: string): unknown } }) => {
  const vars = context.get('__vars') as Record<string, unknown>;
  if (args.length > 0) {
    const key = args[0] as string;
    if (!(key in vars)) throw new Error(`KeyError: '${key}'`);
    return vars[key];
  }
  return Object.fromEntries(Object.entries(vars).filter(([k]) => !k.startsWith('__')));
};

/**
 * Valid YAQL this evaluator refuses (YaqlUnsupportedError) instead of answering: random numbers
 * (not deterministic), sets, list editing (delete, insert, replace...), infinite sequences, join of
 * two collections, slicing helpers, generate, delegates (def, call, lambda), unpack, escaped
 * surrogates, integers past 2^53, complex numbers, float powers C's pow() rounds (JS rounds them otherwise), the text of an iterator or a context, regexes.
 */
const REFUSED = new Set<string>([
  "with(random()) -> $ >= 0 and $ < 1",
  "with(random(2, 5)) -> $ >= 2 and $ <= 5",
  "pow(2, 5, 7)",
  "characters(octdigits => true, digits => true)",
  "5 in set(1, 2, 5)",
  "[1, 2] in set([1, 2], 5)",
  "set(1, 2, 5).contains(5)",
  "set([1, 2], 5).contains([1, 2])",
  "[1, 2, 3, 4].delete(0)",
  "[1, 2, 3, 4].delete(0, 2)",
  "[1, 2, 3, 4].delete(0, 2).delete(0)",
  "[1, 2, 3, 4].delete(1, -1)",
  "[1, 2, 3, 4].delete(0, 0)",
  "[1, 2, 3, 4].delete(0, -1)",
  "[1, 2].insert(1, a)",
  "[1, 2].insert(1, [a, b])",
  "[1, 2].insert(-1, a)",
  "[1, 2].insert(100, a)",
  "[].insert(0, a).insert(0, b)",
  "[1, 2].select($).insert(1, a)",
  "[1, 2].select($).insert(1, [a, b])",
  "[1, 2].select($).insert(-1, a)",
  "[1, 2].select($).insert(100, a)",
  "[].select($).insert(0, a).insert(0, b)",
  "set(a, b).orderBy($).insert(1, a)",
  "[1, 2].insertMany(1, [a, b])",
  "[1, 2].insertMany(-1, [a, b])",
  "[1, 2].insertMany(100, [a, b])",
  "[].insertMany(0, [a, b]).insertMany(1, [a, b])",
  "[1, 2, 3, 4].replace(0, null)",
  "[1, 2, 3, 4].replace(0, null, 2)",
  "[1, 2, 3, 4].replace(1, 7, -1)",
  "set(4, 2, 3, 1).orderBy($).replace(1, 7)",
  "[1, 2, 3, 4].replaceMany(0, [7, 8])",
  "[1, 2, 3, 4].replaceMany(0, [7, 8], 2)",
  "[1, 2, 3, 4].replaceMany(1, [7, 8], -1)",
  "set(1, 2, 3, 2, 1)",
  "set()",
  "set([1, 2, 3].select($))",
  "[1, 2, 3].select($).toSet()",
  "[1, 2, 3].toSet()",
  "set(1, 2, 3).len()",
  "len(set(1, 2, 3))",
  "set(1, 2, 3) + set(4, 2, 3)",
  "isSet(set(1, 2, 3) + set(4, 2, 3))",
  "set(1, 2, 3).union(set(4, 2, 3))",
  "set(1, 2, 3) = set(3, 2, 1)",
  "set(1, 2, 3) = set(1, 2, 3, 4)",
  "set(1, 2, 3) != set(3, 2, 1)",
  "set(1, 2, 3) != set(1, 2, 3, 4)",
  "set(1, 2, 3) < set(1, 2, 3, 4)",
  "set(1, 2, 3) < set(1, 2, 5)",
  "set(1, 2, 3, 4) > set(1, 2, 3)",
  "set(1, 2, 3) > set(1, 2, 3)",
  "set(1, 2, 4) >= set(1, 2, 3)",
  "set(1, 2, 3) >= set(1, 2, 3)",
  "set(1, 2, 3) <= set(1, 2, 4)",
  "set(1, 2, 3) <= set(1, 2, 3)",
  "set(1, 2, 3, 4).difference(set(2, 3))",
  "set(1, 2, 3, 4) - set(2, 3)",
  "isSet(set(1, 2, 3, 4) - set(2, 3))",
  "set(1, 2, 3, 4).symmetricDifference(set(2, 3, 5))",
  "set(1, 2, 3).add(4)",
  "set(1, 2, 3).add(4, 5)",
  "set(1, 2, 3).add(4, 5, null)",
  "isSet(set(1, 2, 3).add(4, 5, null))",
  "set(1, 2, 3).remove(2)",
  "set(1, 2, null, 3).remove(1, 2, 5)",
  "set(1, 2, null, 3).remove(1, 2, 5, null)",
  "set(1, 2, 3, [1, 2]).remove([1, 2])",
  "isSet(set(1, 2, 3, [1, 2]).remove([1, 2]))",
  "set(1, 2, 3, 4).replace(1, 7)",
  "$.join($, $1 > $2, [$1, $2])",
  "[1,2].join([3, 4], true, [$1, $2])",
  "1.repeat().limit(5)",
  "[1, 2].cycle().take(5)",
  "range(1, 6).slice(2)",
  "[1,2,3,4,5].slice(2)",
  "range(1, 6).splitWhere($ mod 3 = 1)",
  "range(1, 6).splitAt(2)",
  "[a,a,b,a,a].sliceWhere($ != a)",
  "[a,a,b,a,a].accumulate($1 + $2)",
  "[].accumulate($1 + $2, 1)",
  "generate(0, $ < 10, $ + 2)",
  "generate(0, $ < 10, $ + 2, $ * $)",
  "isIterable(set(1,2))",
  "def(sq, $*$) -> $.select(sq($))",
  "def(sq, $arg * $arg) -> $.select(sq(arg => $))",
  "def(rec, switch($ = 1 => 1, true => $*rec($-1))) -> rec($)",
  "[2, 3].unpack() -> $1 + $2",
  "[2, 3].unpack(a, b) -> $a + $b",
  "call(len, [[1,2]], {})",
  "call(len, [], {\"sequence\" => [1,2]})",
  "call(isEmpty, [null], {})",
  "call(len, [], {}, [1,2])",
  "call(isEmpty, [], {}, null)",
  "'a\\u00e9' < 'a\\ud83d\\ude00'",
  "'\\uffff' < '\\ud83d\\ude00'",
  "let(x => 1)",
  "pow(-8, 0.5)",
  "pow(1.5, -3)",
  "pow(123456789.0, 2)",
  "pow(1.1, 10)",
  "pow(2.0, 0.25)",
  "pow(3, 34)",
  "9007199254740991 + 1",
  "9007199254740991 * 2",
  "str($.l.select($))",
  "str($.a.keys())",
  "[1, , 2]",
  "a =~ b",
  "a !~ b",
]);

function outcome(c: Case): string {
  try {
    return pyRepr(evaluateRaw(c.expr, { data: c.data, vars: { __vars: c.data ?? {} }, functions: { ctx } }), true);
  } catch (error) {
    if (error instanceof YaqlUnsupportedError) return `refused: ${error.message}`;
    if (error instanceof YaqlError) return `error: ${error.name}`;
    return `error: ${String(error)}`;
  }
}

describe('yaql conformance', () => {
  const all = cases as Case[];

  it.each(all.filter((c) => !REFUSED.has(c.expr)).map((c) => [c.expr, c] as const))('%s', (_expr, c) => {
    const got = outcome(c);
    if (c.error) expect(got).toMatch(/^(error|refused): /);
    else expect(got).toBe(c.expect);
  });

  it.each([...REFUSED].map((expr) => [expr] as const))('refuses %s', (expr) => {
    const c = all.find((k) => k.expr === expr);
    expect(c).toBeDefined();
    expect(outcome(c!)).toMatch(/^refused: /);
  });
});
