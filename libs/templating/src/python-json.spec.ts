import { pythonJsonDumps } from './python-json';

describe(pythonJsonDumps.name, () => {
  const value = { b: [1, 'x', null, true], a: { c: 1.5 } };

  it('writes json.dumps defaults: ", " and ": " separators, ASCII only', () => {
    expect(pythonJsonDumps(value)).toBe('{"b": [1, "x", null, true], "a": {"c": 1.5}}');
    expect(pythonJsonDumps('snow ☃ \u007f')).toBe('"snow \\u2603 \\u007f"');
  });

  it('takes separators, sort_keys and indent', () => {
    expect(pythonJsonDumps(value, { separators: [',', ':'], sortKeys: true })).toBe('{"a":{"c":1.5},"b":[1,"x",null,true]}');
    expect(pythonJsonDumps({ a: [1], e: [] }, { indent: 2 })).toBe('{\n  "a": [\n    1\n  ],\n  "e": []\n}');
  });

  it('writes non-finite numbers as Python does', () => {
    expect(pythonJsonDumps([NaN, Infinity, -Infinity])).toBe('[NaN, Infinity, -Infinity]');
  });

  it('refuses circular structures', () => {
    const loop: Record<string, unknown> = {};
    loop.self = loop;
    expect(() => pythonJsonDumps(loop)).toThrow('Circular reference detected');
  });
});
