import { addStackstormFilters, stackstormFilters } from './filters';
import { renderTemplate } from './render';

// Expectations follow StackStorm's own filter tests (st2common/tests/unit/test_jinja_render_*_filters.py);
// where StackStorm renders a bool or number to text, a single expression here gives the native value.
const render = (template: string, context: Record<string, unknown> = {}): unknown => renderTemplate(template, context);

describe(addStackstormFilters.name, () => {
  it('provides StackStorm filter set (less decrypt_kv)', () => {
    expect(Object.keys(stackstormFilters).sort()).toEqual(
      [
        'basename',
        'dirname',
        'from_json_string',
        'from_yaml_string',
        'json_escape',
        'jsonpath_query',
        'regex_match',
        'regex_replace',
        'regex_search',
        'regex_substring',
        'to_complex',
        'to_human_time_from_seconds',
        'to_json_string',
        'to_yaml_string',
        'use_none',
        'version_bump_major',
        'version_bump_minor',
        'version_bump_patch',
        'version_compare',
        'version_equal',
        'version_less_than',
        'version_match',
        'version_more_than',
        'version_strip_patch',
      ].sort(),
    );
  });

  describe('data filters', () => {
    const obj = { a: 'b', c: { d: 'e', f: 1, g: true } };

    it('from_json_string parses JSON', () => {
      expect(render('{{ k1 | from_json_string }}', { k1: '{"a": "b", "c": {"d": "e", "f": 1, "g": true}}' })).toEqual(obj);
      expect(render('{{ k1 | from_json_string }}', { k1: '["a", "b", "c"]' })).toEqual(['a', 'b', 'c']);
    });

    it('from_yaml_string parses YAML 1.1 like PyYAML', () => {
      expect(render('{{ k1 | from_yaml_string }}', { k1: '---\na: b\nc:\n  d: e\n  f: 1\n  g: true\n' })).toEqual(obj);
      expect(render('{{ k1 | from_yaml_string }}', { k1: '- a\n- b\n- c\n' })).toEqual(['a', 'b', 'c']);
      expect(render('{{ k1 | from_yaml_string }}', { k1: 'enabled: yes' })).toEqual({ enabled: true });
    });

    it('to_json_string writes Python json.dumps with separators (",", ": ")', () => {
      expect(render('{{ k1 | to_json_string }}', { k1: obj })).toBe('{"a": "b","c": {"d": "e","f": 1,"g": true}}');
      expect(JSON.parse(render('{{ k1 | to_json_string }}', { k1: obj }) as string)).toEqual(obj);
    });

    it('to_json_string takes indent and sort_keys, by position or keyword', () => {
      expect(render('{{ k1 | to_json_string(2, true) }}', { k1: { b: [1], a: null } })).toBe('{\n  "a": null,\n  "b": [\n    1\n  ]\n}');
      expect(render('{{ k1 | to_json_string(sort_keys=true) }}', { k1: { b: 1, a: 2 } })).toBe('{"a": 2,"b": 1}');
    });

    it('to_yaml_string writes block YAML with sorted keys like PyYAML', () => {
      expect(render('{{ k1 | to_yaml_string }}', { k1: obj })).toBe('a: b\nc:\n  d: e\n  f: 1\n  g: true\n');
      expect(render('{{ k1 | to_yaml_string }}', { k1: { z: [1, 2], a: 'x' } })).toBe('a: x\nz:\n- 1\n- 2\n');
    });

    it('to_complex writes JSON as Python json.dumps does (StackStorm uses it to keep types in complex values)', () => {
      expect(render('{{ k1 | to_complex }}', { k1: { a: 'b', c: [1, 2] } })).toBe('{"a": "b", "c": [1, 2]}');
    });

    it.each([
      ['double quotes', 'foo """ bar', 'foo \\"\\"\\" bar'],
      ['backslashes', 'foo \\ bar', 'foo \\\\ bar'],
      ['backspace', 'foo \b bar', 'foo \\b bar'],
      ['formfeed', 'foo \f bar', 'foo \\f bar'],
      ['newline', 'foo \n bar', 'foo \\n bar'],
      ['carriage return', 'foo \r bar', 'foo \\r bar'],
      ['tab', 'foo \t bar', 'foo \\t bar'],
      ['non-ASCII', 'café', 'caf\\u00e9'],
    ])('json_escape escapes %s', (_what, input, expected) => {
      expect(render('{{ test_str | json_escape }}', { test_str: input })).toBe(expected);
    });

    describe('jsonpath_query', () => {
      const people = { people: [{ first: 'James', last: 'd' }, { first: 'Jacob', last: 'e' }, { first: 'Jayden', last: 'f' }, { missing: 'different' }], foo: { bar: 'baz' } };

      it('queries with a static or dynamic path', () => {
        expect(render('{{ obj | jsonpath_query("people[*].first") }}', { obj: people })).toEqual(['James', 'Jacob', 'Jayden']);
        expect(render('{{ obj | jsonpath_query(query) }}', { obj: people, query: 'people[*].last' })).toEqual(['d', 'e', 'f']);
      });

      it('gives null when nothing matches', () => {
        expect(render('{{ obj | jsonpath_query("query_returns_no_results") }}', { obj: people })).toBeNull();
      });

      it('does not evaluate script expressions', () => {
        expect(() => render('{{ obj | jsonpath_query("people[?(@.first)]") }}', { obj: people })).toThrow(/prevented/);
      });
    });

    it('use_none gives the None marker for null only', () => {
      expect(stackstormFilters.use_none(null)).toBe('%*****__%NONE%__*****%');
      expect(stackstormFilters.use_none(0)).toBe(0);
    });
  });

  describe('regex filters', () => {
    it.each(['regex_match', 'regex_search', 'regex_replace', 'regex_substring'])('%s runs a catastrophic pattern from the payload in linear time', (filter) => {
      const args = filter === 'regex_replace' ? '(pattern, "y")' : filter === 'regex_substring' ? '(pattern, 0)' : '(pattern)';
      const started = performance.now();
      try {
        render(`{{ text | ${filter}${args} }}`, { text: `${'a'.repeat(40)}!`.repeat(50), pattern: '(a+)+$' });
      } catch (error) {
        expect(String(error)).toContain('regex_substring: no match');
      }
      expect(performance.now() - started).toBeLessThan(1000);
    });

    it('regex_match anchors at the start, like re.match', () => {
      expect(render('{{ k1 | regex_match("x") }}', { k1: 'xyz' })).toBe(true);
      expect(render('{{ k1 | regex_match("y") }}', { k1: 'xyz' })).toBe(false);
      expect(render('{{ k1 | regex_match("^v(\\\\d+\\\\.)?(\\\\d+\\\\.)?(\\\\*|\\\\d+)$") }}', { k1: 'v0.10.1' })).toBe(true);
      expect(render('{{ k1 | regex_match("X", true) }}', { k1: 'xyz' })).toBe(true);
    });

    it('regex_replace replaces every match, with Python group references', () => {
      expect(render('{{ k1 | regex_replace("x", "y") }}', { k1: 'xyz' })).toBe('yyz');
      expect(render('{{ k1 | regex_replace("(blue|white|red)", "color") }}', { k1: 'blue socks and red shoes' })).toBe('color socks and color shoes');
      expect(render('{{ k1 | regex_replace("(?P<color>blue|red) (\\\\w+)", "\\\\2 in \\\\g<color>") }}', { k1: 'blue socks' })).toBe('socks in blue');
      expect(render('{{ k1 | regex_replace("X", "$1", ignorecase=true) }}', { k1: 'x' })).toBe('$1');
    });

    it('regex_search finds a match anywhere', () => {
      expect(render('{{ k1 | regex_search("x") }}', { k1: 'xyz' })).toBe(true);
      expect(render('{{ k1 | regex_search("y") }}', { k1: 'xyz' })).toBe(true);
      expect(render('{{ k1 | regex_search("q") }}', { k1: 'xyz' })).toBe(false);
    });

    it('regex_substring returns the nth re.findall result', () => {
      const pattern = '"([0-9]{3} \\\\w+ (?:Ave|St|Dr))"';
      expect(render(`{{ input_str | regex_substring(${pattern}) }}`, { input_str: 'My address is 123 Somewhere Ave. See you soon!' })).toBe('123 Somewhere Ave');
      expect(render(`{{ input_str | regex_substring(${pattern}, 1) }}`, { input_str: 'Your address is 567 Elsewhere Dr. My address is 123 Somewhere Ave.' })).toBe('123 Somewhere Ave');
    });

    it('regex_substring fails when there is no such match (StackStorm raises IndexError)', () => {
      expect(() => render('{{ s | regex_substring("([0-9]{3} \\\\w+ (?:Ave|St|Dr))", 1) }}', { s: 'Your address is 567 Elsewhere Dr.' })).toThrow('regex_substring: no match at index 1 (found 1)');
      expect(() => render('{{ s | regex_substring("([0-3]{3} \\\\w+ (?:Ave|St|Dr))") }}', { s: 'My address is 986 Somewhere Ave.' })).toThrow('regex_substring: no match at index 0 (found 0)');
    });
  });

  describe('time filters', () => {
    it.each([
      [12345, '3h25m45s'],
      [0, '0s'],
      [59, '59s'],
      [60, '1m0s'],
      [2 * 86400 + 5, '2d0h0m5s'],
      [40 * 86400, '40d0h0m0s'],
      [366 * 86400, '1y1d0h0m0s'],
      [2.5, '2s'],
      [3.5, '4s'],
      [0.5, '0.5\u03BCs'],
    ])('to_human_time_from_seconds(%p) is %p', (seconds, expected) => {
      expect(render('{{ k1 | to_human_time_from_seconds }}', { k1: seconds })).toBe(expected);
    });

    it('to_human_time_from_seconds refuses a non-number', () => {
      expect(() => render('{{ k1 | to_human_time_from_seconds }}', { k1: 'stuff' })).toThrow('to_human_time_from_seconds: expected a number of seconds, got "stuff"');
    });
  });

  describe('version filters', () => {
    it.each([
      ['0.9.0', -1],
      ['0.10.1', 1],
      ['0.10.0', 0],
    ])('version_compare(%p, "0.10.0") is %p', (version, expected) => {
      expect(render('{{ version | version_compare("0.10.0") }}', { version })).toBe(expected);
    });

    it.each([
      ['0.9.0', false, true, false],
      ['0.10.1', true, false, false],
      ['0.10.0', false, false, true],
    ])('%p against 0.10.0: more %p, less %p, equal %p', (version, more, less, equal) => {
      expect(render('{{ version | version_more_than("0.10.0") }}', { version })).toBe(more);
      expect(render('{{ version | version_less_than("0.10.0") }}', { version })).toBe(less);
      expect(render('{{ version | version_equal("0.10.0") }}', { version })).toBe(equal);
    });

    it.each([
      ['>0.10.0', '0.10.1', true],
      ['>0.10.0', '0.1.1', false],
      ['<0.10.0', '0.1.0', true],
      ['<0.10.0', '1.1.0', false],
      ['==0.10.0', '0.10.0', true],
      ['==0.10.0', '0.10.1', false],
      ['>=0.10.0', '0.10.0', true],
      ['!=0.10.0', '0.10.0', false],
      ['0.10.0', '0.10.0', true],
    ])('version_match(%p) on %p is %p', (expression, version, expected) => {
      expect(render('{{ version | version_match(expression) }}', { version, expression })).toBe(expected);
    });

    it('version_match refuses an unknown operator', () => {
      expect(() => render('{{ "1.0.0" | version_match("~1.0.0") }}')).toThrow(/version_match: expected <operator><version>/);
    });

    it('bumps and strips', () => {
      expect(render('{{ version | version_bump_major }}', { version: '0.10.1' })).toBe('1.0.0');
      expect(render('{{ version | version_bump_minor }}', { version: '0.10.1' })).toBe('0.11.0');
      expect(render('{{ version | version_bump_patch }}', { version: '0.10.1' })).toBe('0.10.2');
      expect(render('{{ version | version_strip_patch }}', { version: '0.10.1' })).toBe('0.10');
    });

    it('refuses what is not a semantic version', () => {
      expect(() => render('{{ version | version_bump_major }}', { version: '1.2' })).toThrow('version_bump_major: "1.2" is not a valid semantic version');
    });
  });

  describe('path filters', () => {
    it.each([
      ['/some/path/to/file.txt', 'file.txt', '/some/path/to'],
      ['/some/path/to/dir', 'dir', '/some/path/to'],
      ['/some/path/to/dir/', '', '/some/path/to/dir'],
      ['/file', 'file', '/'],
      ['file', 'file', ''],
    ])('%p has basename %p and dirname %p (Python os.path)', (path, base, dir) => {
      expect(render('{{ k1 | basename }}', { k1: path })).toBe(base);
      expect(render('{{ k1 | dirname }}', { k1: path })).toBe(dir);
    });
  });
});
