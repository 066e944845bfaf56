import { parseTemplate, singleExpression, templateReferences } from './template-ast';

const references = (template: string) => templateReferences(parseTemplate(template));

describe(templateReferences.name, () => {
  it('finds variables in order of first use', () => {
    expect(references('{{ b }} {{ a.x[c] }} {{ b }}').names).toEqual(['b', 'a', 'c']);
  });

  it('skips filter and test names, dict keys and keyword names', () => {
    expect(references('{{ a | basename | f(b, k=c) }}{{ {key: d} }}{{ e is divisibleby(g) }}').names).toEqual(['a', 'b', 'c', 'd', 'e', 'g']);
  });

  it('skips what the template declares itself', () => {
    expect(references('{% set z = y %}{% for i in xs %}{{ i }}{{ loop.index }}{{ z }}{% endfor %}').names).toEqual(['y', 'xs']);
    expect(references('{% macro m(p, q=r) %}{{ p }}{{ q }}{{ s }}{% endmacro %}{{ m(1) }}').names).toEqual(['r', 's']);
  });

  it('tells which variables the template checks itself', () => {
    expect([...references('{{ a | default(1) }}{% if b is defined %}{% endif %}{{ c | upper }}').guarded]).toEqual(['a', 'b']);
  });
});

describe(singleExpression.name, () => {
  it.each([
    ['{{ x }}', 'Symbol'],
    ['  {{ x | f }}\n', 'Filter'],
    ['{{ x }}{{ y }}', undefined],
    ['a {{ x }}', undefined],
    ['{% if x %}{{ x }}{% endif %}', undefined],
  ])('%p is %p', (template, typename) => {
    expect(singleExpression(parseTemplate(template))?.typename).toBe(typename);
  });
});
