// Orquesta's expression facade tests: orquesta/tests/unit/expressions/test_facade_yaql_evaluate.py
// and test_facade_jinja_evaluate.py, run for both languages (Jinja through @tempest/templating's
// renderTemplate, injected as the conductor's driver would).
import { renderTemplate } from '@tempest/templating';
import { evaluateStatement, ExpressionError } from './expressions';

const languages = [
  ['yaql', (e: string) => `<% ${e} %>`],
  ['jinja', (e: string) => `{{ ${e} }}`],
] as const;

describe.each(languages)('%s facade', (_language, x) => {
  const evaluate = (statement: unknown, vars: Record<string, unknown> = {}) => evaluateStatement(statement, { vars }, { jinja: renderTemplate });

  it.each([
    ['test_basic_eval', x('ctx().foo'), { foo: 'bar' }, 'bar'],
    ['test_basic_eval (embedded)', `foo${x('ctx().foo')}`, { foo: 'bar' }, 'foobar'],
    ['test_dict_eval', x('ctx().nested.foo'), { nested: { foo: 'bar' } }, 'bar'],
    ['test_multi_eval', `${x('ctx().foo')} and ${x('ctx().marco')}`, { foo: 'bar', marco: 'polo' }, 'bar and polo'],
    ['test_eval_recursive', x('ctx().fee'), { fee: x('ctx().fi'), fi: x('ctx().fo'), fo: x('ctx().fum'), fum: 'fee-fi-fo-fum' }, 'fee-fi-fo-fum'],
    ['test_multi_eval_recursive', `${x('ctx().fee')} ${x('ctx().im')}`, { fee: x('ctx().fi'), fi: x('ctx().fo'), fo: x('ctx().fum'), fum: 'fee-fi-fo-fum!', im: x('ctx().hungry'), hungry: "i'm hungry!" }, "fee-fi-fo-fum! i'm hungry!"],
    ['test_eval_list', [x('ctx().foo'), x('ctx().marco'), `foo${x('ctx().foo')}`], { foo: 'bar', marco: 'polo' }, ['bar', 'polo', 'foobar']],
    ['test_eval_list_of_dict', [{ foo: x('ctx().bar'), [x('ctx().marco')]: 'polo' }], { bar: 'bar', marco: 'marco' }, [{ foo: 'bar', marco: 'polo' }]],
    ['test_eval_dict_of_list', { nested: [x('ctx().foo'), x('ctx().marco')] }, { foo: 'bar', marco: 'polo' }, { nested: ['bar', 'polo'] }],
    ['test_type_preservation (int)', x('ctx().k1'), { k1: 101 }, 101],
    ['test_type_preservation (float)', x('ctx().k2'), { k2: 1.999 }, 1.999],
    ['test_type_preservation (bool)', x('ctx().k3'), { k3: true }, true],
    ['test_type_preservation (list)', x('ctx().k4'), { k4: [1, 2] }, [1, 2]],
    ['test_type_preservation (dict)', x('ctx().k5'), { k5: { k: 'v' } }, { k: 'v' }],
    ['test_type_preservation (null)', x('ctx().k6'), { k6: null }, null],
    ['test_type_string_detection', `${x('ctx().foo')} -> ${x('ctx().bar')}`, { foo: 101, bar: 201 }, '101 -> 201'],
    ['test_custom_function', x(`json('{"a": 123}')`), {}, { a: 123 }],
    ['str() of a list, as Python prints it', `l=${x('ctx().l')}`, { l: [1, 'a', null, true] }, "l=[1, 'a', None, True]"],
  ])('%s', (_name, statement, vars, expected) => {
    expect(evaluate(statement, vars)).toEqual(expected);
  });

  it.each([
    ['test_basic_eval_undefined', x('ctx().foo'), {}],
    ['test_custom_function_failure', x('json(int(123))'), {}],
  ])('%s raises', (_name, statement, vars) => {
    expect(() => evaluate(statement, vars)).toThrow(ExpressionError);
  });
});

describe('yaql facade', () => {
  it('test_nested_eval', () => {
    expect(evaluateStatement('<% ctx(ctx().foo) %>', { vars: { foo: 'bar', bar: 'foobar' } })).toBe('foobar');
  });

  it.each([
    ['<% ctx(val).distinct() %>', { val: [1, 2, 3, 1] }, [1, 2, 3]],
    ['<% ctx(val).distinct() %>', { val: [{ a: 1 }, { b: 2 }, { a: 1 }] }, [{ a: 1 }, { b: 2 }]],
    ['<% ctx(val).distinct($[1]) %>', { val: [['a', 1], ['b', 2], ['c', 1], ['a', 3]] }, [['a', 1], ['b', 2], ['a', 3]]],
  ])('test_distinct_operator %s', (statement, vars, expected) => {
    expect(evaluateStatement(statement, { vars })).toEqual(expected);
  });

  it("reports a missing key as Orquesta does", () => {
    expect(() => evaluateStatement('<% ctx().foo %>', { vars: {} })).toThrow("Unable to resolve key 'foo' in expression '<% ctx().foo %>' from context.");
  });
});

describe('jinja facade (blocks)', () => {
  const evaluate = (statement: string, vars: Record<string, unknown>) => evaluateStatement(statement, { vars }, { jinja: renderTemplate });
  it.each([
    ['test_block_eval', '{% for i in ctx().x %}{{ i }}{% endfor %}', { x: ['a', 'b', 'c'] }, 'abc'],
    ['test_block_eval_recursive', '{% for i in ctx().x %}{{ i }}{% endfor %}', { x: ['{{ ctx().a }}', '{{ ctx().b }}', '{{ ctx().c }}{% for j in ctx().y %}{{ j }}{% endfor %}'], a: 'a', b: 'b', c: 'c', y: ['d', 'e', 'f'] }, 'abcdef'],
    ['test_multi_block_eval', '{% for i in ctx().x %}{{ i }}{% endfor %}{% for i in ctx().y %}{{ i }}{% endfor %}', { x: ['a', 'b', 'c'], y: ['d', 'e', 'f'] }, 'abcdef'],
    ['test_mix_block_and_expr_eval', '{{ ctx().a }}{% for i in ctx().x %}{{ i }}{% endfor %}{{ ctx().d }}', { x: ['b', 'c'], a: 'a', d: 'd' }, 'abcd'],
  ])('%s', (_name, statement, vars, expected) => {
    expect(evaluate(statement, vars)).toBe(expected);
  });

  it('test_block_eval_undefined raises', () => {
    expect(() => evaluate('{% for i in ctx().x %}{{ ctx().y }}{% endfor %}', { x: ['a'] })).toThrow(ExpressionError);
  });

  it('refuses Jinja when no renderer is injected', () => {
    expect(() => evaluateStatement('{{ ctx().a }}', { vars: { a: 1 } })).toThrow('No Jinja renderer was given to the conductor.');
  });
});
