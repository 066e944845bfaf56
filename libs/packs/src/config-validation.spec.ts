import type { ParameterSpecs } from '@tempest/domain';
import { validateConfig } from './config-validation';

const schema: ParameterSpecs = {
  url: { type: 'string', required: true },
  token: { type: 'string', secret: true, required: true, enum: ['a', 'b'] },
  region: { type: 'string', default: 'eu-west-1' },
  retries: { type: 'integer', minimum: 0, default: 3 },
  proxy: { type: 'object', properties: { host: { type: 'string' }, port: { type: 'integer', default: 3128 } } },
  tags: { type: 'array', items: { type: 'string' } },
  labels: { type: 'object', additionalProperties: { type: 'string' } },
};

describe(validateConfig.name, () => {
  it('applies defaults, inside objects nobody wrote too, and keeps what was given', () => {
    const { values, issues } = validateConfig(schema, { url: 'https://x', token: 'a', proxy: { host: 'p' } }, true);
    expect(issues).toEqual([]);
    expect(values).toEqual({ url: 'https://x', token: 'a', region: 'eu-west-1', retries: 3, proxy: { host: 'p', port: 3128 } });
    expect(validateConfig({ proxy: schema.proxy }, {}, true).values).toEqual({ proxy: { port: 3128 } });
  });

  it('lists every problem with the path of its key, and never the secret value', () => {
    const { issues } = validateConfig(schema, { token: 'hunter2', retries: -1, proxy: { port: '80', colour: 'red' }, tags: ['a', 1], labels: { x: 2 }, extra: true }, true);
    expect(issues).toEqual([
      { path: ['extra'], message: 'unknown key (known: labels, proxy, region, retries, tags, token, url)' },
      { path: ['url'], message: 'required' },
      { path: ['token'], message: 'the value is not one of "a", "b"' },
      { path: ['retries'], message: 'less than the minimum 0' },
      { path: ['proxy', 'colour'], message: 'unknown key (known: host, port)' },
      { path: ['proxy', 'port'], message: 'expected integer, got string' },
      { path: ['tags', 1], message: 'expected string, got integer' },
      { path: ['labels', 'x'], message: 'expected string, got integer' },
    ]);
    expect(JSON.stringify(issues)).not.toContain('hunter2');
  });

  it('keeps Jinja values such as {{ st2kv.system.x }} as written, unchecked until rendered', () => {
    const { values, issues } = validateConfig(schema, { url: '{{ st2kv.system.url }}', token: '{{ st2kv.system.token | decrypt_kv }}', retries: '{{ st2kv.system.n }}' }, true);
    expect(issues).toEqual([]);
    expect(values).toMatchObject({ url: '{{ st2kv.system.url }}', retries: '{{ st2kv.system.n }}' });
  });

  it('checks a catastrophic pattern in linear time', () => {
    const patterned: ParameterSpecs = { name: { type: 'string', pattern: '(a+)+$' } };
    for (const length of [24, 40]) {
      const started = performance.now();
      expect(validateConfig(patterned, { name: `${'a'.repeat(length)}!` }, true).issues).toEqual([{ path: ['name'], message: 'does not match (a+)+$' }]);
      expect(performance.now() - started).toBeLessThan(250);
    }
  });

  it('does not require keys when the pack has no config file, as StackStorm registers such packs with their defaults', () => {
    expect(validateConfig(schema, {}, false)).toEqual({ values: { region: 'eu-west-1', retries: 3, proxy: { port: 3128 } }, issues: [] });
  });
});
