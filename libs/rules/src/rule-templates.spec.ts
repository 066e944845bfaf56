import { renderTemplate, TemplateError } from '@tempest/templating';
import { FakeKeyValueLookup } from './fake-key-value-lookup';
import { compileTemplate, KeyValueSession, renderRuleTemplate } from './rule-templates';

const outcome = (render: () => unknown): unknown => {
  try {
    return { value: render() };
  } catch (error) {
    return { error: error instanceof TemplateError ? error.message : error };
  }
};

describe(compileTemplate.name, () => {
  it('finds the datastore keys a template names, and those it decrypts', () => {
    const template = compileTemplate("{{ st2kv.system.a.b }} {{ st2kv.user['c'] | decrypt_kv }} {{ st2kv.system[trigger.x] }} {{ trigger.y }}");
    expect(template).toMatchObject({
      usesKv: true,
      keys: [
        { scope: 'system', key: 'a.b' },
        { scope: 'user', key: 'c' },
      ],
      decrypted: [{ scope: 'user', key: 'c' }],
    });
    expect(compileTemplate('{{ trigger.y }}')).toMatchObject({ usesKv: false, keys: [] });
  });

  it('refuses a syntax error with its position', () => {
    expect(() => compileTemplate('{{ a | }}')).toThrow(new TemplateError('syntax error: expected symbol, got variable-end (line 1, column 8)'));
  });
});

describe(renderRuleTemplate.name, () => {
  const session = () => new KeyValueSession(undefined, undefined, ['system']);

  it('reads `{{ trigger.a.b }}` straight from the payload, as the template engine would', () => {
    const context = { trigger: { a: { b: 5, list: [1, { c: 'x' }], empty: null, text: 'abc' } } };
    for (const source of ['{{ trigger.a.b }}', ' {{ trigger.a }} ', "{{ trigger['a'].list[1].c }}", '{{ trigger.a.empty }}', '{{ trigger.a.missing }}', '{{ trigger.a.empty.deeper }}', '{{ trigger }}']) {
      const template = compileTemplate(source);
      expect([source, template.lookup !== undefined]).toEqual([source, true]);
      expect([source, outcome(() => renderRuleTemplate(template, context, session()))]).toEqual([source, outcome(() => renderTemplate(source, context))]);
    }
    expect(compileTemplate('{{ trigger.a | int }}').lookup).toBeUndefined();
    expect(compileTemplate('x{{ trigger.a }}').lookup).toBeUndefined();
  });

  it('renders keys computed while rendering in further passes, within a bound', async () => {
    const kv = new FakeKeyValueLookup().set('system', 'next', 'k1').set('system', 'k1', 'k2').set('system', 'k2', 'done');
    const chain = compileTemplate('{{ st2kv.system[st2kv.system[st2kv.system.next]] }}');
    expect(await renderRuleTemplate(chain, {}, new KeyValueSession(kv, undefined, ['system']))).toBe('done');
    const loop = compileTemplate('{% for i in range(2000) %}{{ st2kv.system["k" ~ i] }}{% endfor %}');
    await expect(renderRuleTemplate(loop, {}, new KeyValueSession(kv, undefined, ['system']))).rejects.toThrow('st2kv: more than 1000 datastore reads for one event');
  });

  it('gives criteria st2kv.system only, as StackStorm', async () => {
    const kv = new FakeKeyValueLookup().set('user', 'x', '1', { user: 'stanley' });
    await expect(renderRuleTemplate(compileTemplate('{{ st2kv.user.x }}'), {}, new KeyValueSession(kv, 'stanley', ['system']))).rejects.toThrow('st2kv.user is not available here');
  });
});
