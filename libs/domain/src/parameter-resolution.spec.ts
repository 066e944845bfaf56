import { effectiveSpecs, maskSecrets, resolveParameters } from './parameter-resolution';
import { findRunnerType } from './runner-types';

const local = effectiveSpecs(findRunnerType('local-shell-cmd')!.parameters, { cmd: { required: true }, sudo: { immutable: true } });

describe(resolveParameters.name, () => {
  it('applies defaults, runner parameters included', () => {
    expect(resolveParameters(local, { cmd: 'uptime' })).toEqual({
      ok: true,
      values: { cmd: 'uptime', kwarg_op: '--', sudo: false, timeout: 60 },
      secrets: ['sudo_password'],
    });
  });

  it('lists every violation at once', () => {
    const result = resolveParameters(local, { timeout: 'soon', sudo: true, colour: 'red' });
    expect(result).toEqual({
      ok: false,
      violations: [
        'colour: unknown parameter (known: cmd, cwd, env, kwarg_op, sudo, sudo_password, timeout)',
        'sudo: immutable, cannot be set',
        'cmd: required',
        'timeout: expected integer, got string "soon"',
      ],
    });
  });

  it('checks enums, bounds, patterns, arrays and nested objects', () => {
    const specs = {
      level: { type: 'string' as const, enum: ['low', 'high'] },
      count: { type: 'integer' as const, minimum: 1, maximum: 3 },
      name: { type: 'string' as const, pattern: '^[a-z]+$' },
      hosts: { type: 'array' as const, items: { type: 'string' as const } },
      target: { type: 'object' as const, properties: { port: { type: 'integer' as const, required: true } }, additionalProperties: false },
    };
    const result = resolveParameters(specs, { level: 'medium', count: 5, name: 'Web1', hosts: ['a', 2], target: { extra: true } });
    expect(result.ok ? [] : result.violations).toEqual([
      'level: "medium" is not one of "low", "high"',
      'count: 5 is more than the maximum 3',
      'name: does not match ^[a-z]+$',
      'hosts[1]: expected string, got integer 2',
      'target.port: required',
      'target.extra: not allowed',
    ]);
  });

  it('checks a catastrophic pattern against a caller\'s value in linear time', () => {
    // A backtracking engine takes seconds at 24 characters and years at 40; RE2 takes microseconds.
    const specs = { name: { type: 'string' as const, pattern: '(a+)+$' } };
    for (const length of [24, 40]) {
      const started = performance.now();
      expect(resolveParameters(specs, { name: `${'a'.repeat(length)}!` })).toEqual({ ok: false, violations: ['name: does not match (a+)+$'] });
      expect(performance.now() - started).toBeLessThan(250);
    }
  });

  it('reads a pattern as ECMA-262, as JSON schema does', () => {
    const specs = { id: { type: 'string' as const, pattern: '^\\u0041[\\d-]+\\cJ?(?<tail>x)?$' } };
    expect(resolveParameters(specs, { id: 'A12-3' }).ok).toBe(true);
    expect(resolveParameters(specs, { id: 'A12-3\n' }).ok).toBe(true);
    expect(resolveParameters(specs, { id: 'B1' }).ok).toBe(false);
  });

  it('names a pattern it cannot check in linear time, rather than throwing', () => {
    const specs = { name: { type: 'string' as const, pattern: '^(?!root)\\w+$' } };
    expect(resolveParameters(specs, { name: 'web' })).toEqual({
      ok: false,
      violations: [expect.stringMatching(/^name: the pattern \^\(\?!root\)\\w\+\$ cannot be checked: .*lookahead/)],
    });
  });

  it('accepts an integer where a number is expected, and several types', () => {
    expect(resolveParameters({ n: { type: 'number' } }, { n: 3 }).ok).toBe(true);
    expect(resolveParameters({ body: { type: ['string', 'object'] } }, { body: { a: 1 } }).ok).toBe(true);
  });

  it('keeps the default of an immutable parameter, and accepts it restated', () => {
    const specs = { cmd: { type: 'string' as const, default: 'sleep 5', immutable: true } };
    expect(resolveParameters(specs, { cmd: 'sleep 5' })).toMatchObject({ ok: true, values: { cmd: 'sleep 5' } });
  });
});

describe(maskSecrets.name, () => {
  it('masks secret values only', () => {
    expect(maskSecrets({ cmd: 'x', sudo_password: 'hunter2' }, ['sudo_password'])).toEqual({ cmd: 'x', sudo_password: '********' });
  });
});
