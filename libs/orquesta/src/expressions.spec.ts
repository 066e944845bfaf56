// Orquesta's evaluation rules (orquesta/expressions/yql.py, jinja.py; functions/*.py).
import { renderTemplate } from '@tempest/templating';
import { evaluateStatement } from './expressions';

const scope = { vars: { a: 1, l: [1, 2], s: 'x', __secret: 1 }, currentTask: { id: 't', route: 0, result: { out: 'ok' } } };

describe('evaluateStatement', () => {
  it.each([
    ['<% ctx(a) %>', 1],
    ['<% ctx().l %>', [1, 2]],
    ['a=<% ctx(a) %> l=<% ctx(l) %>', 'a=1 l=[1, 2]'],
    ['<% result().out %>', 'ok'],
    ['<% zip(ctx(l), ctx(l)) %>', [[1, 1], [2, 2]]],
    ['<% json(\'{"k": 1}\').k %>', 1],
    ['plain', 'plain'],
  ])('%s gives %j', (text, expected) => {
    expect(evaluateStatement(text, scope)).toEqual(expected);
  });

  it('refuses internal and undefined variables with Orquesta\'s message', () => {
    expect(() => evaluateStatement('<% ctx("__secret") %>', scope)).toThrow(`Unable to evaluate expression '<% ctx("__secret") %>'. VariableInaccessibleError: The variable "__secret" is for internal use and inaccessible.`);
    expect(() => evaluateStatement('<% ctx(b) %>', scope)).toThrow('VariableUndefinedError: The variable "b" is undefined.');
  });

  it('reads the datastore through the injected lookup', () => {
    expect(evaluateStatement('<% st2kv(\'system.k\') %>', scope, { lookup: (key) => (key === 'system.k' ? 'v' : undefined) })).toBe('v');
  });

  it('renders Jinja through the injected renderer, with ctx()', () => {
    expect(evaluateStatement('{{ ctx("a") + 1 }}', scope, { jinja: renderTemplate })).toBe(2);
  });
});
