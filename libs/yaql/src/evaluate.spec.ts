// The caller's side of the evaluator: the function table (Orquesta's ctx(), result(),
// succeeded(), item(), zip()...), the variables they read, the JSON-like result, and the errors.
import { YaqlEvaluationError, YaqlUnsupportedError } from './errors';
import { evaluate, evaluateRaw, type YaqlFunction } from './evaluate';
import { PyFloat, pyRepr } from './values';

/** Orquesta's functions (orquesta/expressions/functions/{common,workflow}.py) over its context variables. */
const orquesta: Record<string, YaqlFunction> = {
  ctx: ({ args, context }) => {
    const vars = context.get('__vars') as Record<string, unknown>;
    if (args.length === 0) return Object.fromEntries(Object.entries(vars).filter(([key]) => !key.startsWith('__')));
    const key = args[0] as string;
    if (!(key in vars)) throw new Error(`variable undefined: ${key}`);
    return vars[key];
  },
  result: ({ context }) => (context.get('__current_task') as { result: unknown }).result,
  succeeded: ({ context }) => (context.get('__current_task') as { status: string }).status === 'succeeded',
  item: ({ args, context }) => {
    const item = context.get('__current_item') as Record<string, unknown>;
    return args.length === 0 ? item : item[args[0] as string];
  },
  zip: ({ args, kwargs }) => {
    const lists = args.map((arg) => (arg ?? []) as unknown[]);
    const length = Math.max(...lists.map((list) => list.length));
    return Array.from({ length }, (_, i) => lists.map((list) => (i < list.length ? list[i] : (kwargs.pad ?? null))));
  },
};

const vars = {
  __vars: { hosts: ['a', 'b'], cmds: ['uptime'], count: 1, vms: [{ name: 'web1', up: true }, { name: 'db1', up: false }] },
  __current_task: { id: 'check', route: 0, status: 'succeeded', result: { stdout: 'ok\n', status_code: 200 } },
  __current_item: { host: 'a', command: 'uptime' },
};
const run = (expr: string) => evaluate(expr, { vars, functions: orquesta });

describe(evaluate.name, () => {
  it.each([
    ['ctx().count + 1', 2],
    ['ctx(count)', 1],
    ['ctx().vms.where($.up).select($.name)', ['web1']],
    ['ctx().vms.name', ['web1', 'db1']],
    ['succeeded() and result().status_code = 200', true],
    ['result().stdout.trim()', 'ok'],
    ['item(host) + ":" + item().command', 'a:uptime'],
    ['zip(ctx(hosts), ctx(cmds))', [['a', 'uptime'], ['b', null]]],
    ['zip(ctx(hosts), ctx(cmds), pad => "-")', [['a', 'uptime'], ['b', '-']]],
    ['[1, 2].zip([3, 4])', [[1, 3], [2, 4]]],
    ['$__current_item.host', 'a'],
  ])('%s', (expr, expected) => {
    expect(run(expr)).toEqual(expected);
  });

  it('binds $ to the data, and lambdas bind $ to each item', () => {
    expect(evaluate('$.list.select($ * 2)', { data: { list: [1, 2, 3] } })).toEqual([2, 4, 6]);
    expect(evaluate('$', { data: 'x' })).toBe('x');
    expect(evaluate('$')).toBeNull();
  });

  it('lets a caller function shadow a yaql function called as a function, never as a method', () => {
    const functions: Record<string, YaqlFunction> = { len: () => 'mine' };
    expect(evaluate('len([1, 2])', { functions })).toBe('mine');
    expect(evaluate('[1, 2].len()', { functions })).toBe(2);
    expect(() => evaluate('[1, 2].ctx()', { functions: orquesta })).toThrow(YaqlEvaluationError);
  });

  it('passes plain JSON-like arguments to a caller function and takes its result as data', () => {
    const seen: unknown[] = [];
    const functions: Record<string, YaqlFunction> = {
      probe: ({ args }) => {
        seen.push(...args);
        return { back: [1.5, 2] };
      },
    };
    expect(evaluate('probe(2.0, dict(1 => a), [1].select($)).back', { functions })).toEqual([1.5, 2]);
    expect(seen).toEqual([2, { 1: 'a' }, [1]]);
  });

  it("hands the caller's own variables back to its functions as the same objects, without copying them", () => {
    let reads = 0;
    const context = new Proxy({ big: Array.from({ length: 10_000 }, (_, i) => ({ i })) }, { get: (target, key) => ((reads += 1), Reflect.get(target, key)) });
    const seen = new Set<unknown>();
    const functions: Record<string, YaqlFunction> = { same: ({ context: c }) => (seen.add(c.get('__vars')), true) };
    const all = evaluate('range(1000).select(same()).all()', { vars: { __vars: context }, functions });
    const data = evaluate('$', { data: context });
    const readsByEvaluation = reads;
    expect(readsByEvaluation).toBe(0);
    expect(all).toBe(true);
    expect(seen.size).toBe(1);
    expect(seen.has(context) && data === context).toBe(true);
  });

  it('lets errors thrown by a caller function through unchanged', () => {
    expect(() => run('ctx(nope)')).toThrow('variable undefined: nope');
  });

  it('returns JSON-like data: floats as numbers, dict keys as JSON writes them, iterators and views as lists', () => {
    expect(evaluate('2.0 + 1')).toBe(3);
    expect(evaluate('dict(1 => a, null => b, true => c)')).toEqual({ 1: 'c', null: 'b' });
    // Python returns a set for keys(), in an order that varies by process; a list in dict order is one of them.
    expect(evaluate('{b => 1, a => 2}.keys()')).toEqual(['b', 'a']);
    expect(evaluate('{b => 1, a => 2}.values()')).toEqual([1, 2]);
    expect(evaluate("dict('__proto__' => 1)")).toEqual(JSON.parse('{"__proto__": 1}'));
  });

  it('keeps Python types in the raw result, for printing as Orquesta does', () => {
    const raw = evaluateRaw('[2.0, true, null, "it\'s", {a => 1.5}]');
    expect(pyRepr(raw, true)).toBe(`[2.0, True, None, "it's", {'a': 1.5}]`);
    expect(evaluateRaw('4 / 2.0')).toEqual(new PyFloat(2));
  });

  it('reports a missing key as KeyError with the key and the expression', () => {
    try {
      evaluate('$.a.missing', { data: { a: {} } });
      throw new Error('no error');
    } catch (error) {
      expect(error).toBeInstanceOf(YaqlEvaluationError);
      expect(error).toMatchObject({ kind: 'KeyError', key: 'missing', expression: '$.a.missing', message: "KeyError: 'missing'" });
    }
  });

  it.each([
    ['1 / 0', 'ZeroDivisionError'],
    ["'a' + 1", 'NoMatchingFunctionException'],
    ['[1][3]', 'IndexError'],
    ['[].first()', 'StopIteration'],
    ['nosuch(1)', 'NoFunctionRegisteredException'],
    ["'a'.nosuch()", 'NoMethodRegisteredException'],
    ['$.a', 'NoFunctionRegisteredException'],
  ])('fails on %s as yaql does (%s)', (expr, kind) => {
    expect(() => evaluate(expr)).toThrow(expect.objectContaining({ kind }));
  });

  it.each([
    ['random()', 'the function random()'],
    ['regex(a)', 'the function regex()'],
    ['now()', 'the function now()'],
    ['set(1, 2)', 'the function set()'],
    ["'a' =~ 'b'", 'the =~ operator'],
    ['9007199254740991 + 2', 'integers beyond 2^53 (JS numbers are not exact there)'],
    ['9007199254740993', 'the integer 9007199254740993 (a JS number cannot hold it exactly)'],
    ['let(a => 1)', 'a context object (let() or with() without ->) as a result'],
    ['str([1].select($))', 'the text of a iterator (Python prints an object address)'],
  ])('refuses %s as unsupported rather than answer', (expr, construct) => {
    expect(() => evaluate(expr)).toThrow(YaqlUnsupportedError);
    expect(() => evaluate(expr)).toThrow(`unsupported YAQL: ${construct}`);
  });

  it('refuses data that is not JSON-like', () => {
    expect(() => evaluate('$', { data: new Date(0) })).toThrow(YaqlUnsupportedError);
  });
});
