import { OPERATORS } from './operators';
import { PythonValueError } from './python-values';

// Expected answers are Python's (StackStorm's operators.py); 'error' is where
// Python raises, which StackStorm records as a failed enforcement.
type Answer = boolean | 'error';

function run(operator: string, value: unknown, pattern: unknown): Answer {
  try {
    return OPERATORS.get(operator)!.test(pattern)(value);
  } catch (error) {
    if (error instanceof PythonValueError) return 'error';
    throw error;
  }
}

const table = (rows: [value: unknown, pattern: unknown, answer: Answer][]) => rows;
const isoSecondsAgo = (seconds: number): string => new Date(Date.now() - seconds * 1000).toISOString();

describe('OPERATORS', () => {
  it('knows every StackStorm operator under each of its names', () => {
    const aliases: Record<string, string> = { eq: 'equals', neq: 'nequals', ieq: 'iequals', lt: 'lessthan', gt: 'greaterthan', td_lt: 'timediff_lt', td_gt: 'timediff_gt', in: 'inside', nin: 'ninside' };
    const names = ['equals', 'nequals', 'iequals', 'contains', 'icontains', 'ncontains', 'incontains', 'startswith', 'istartswith', 'endswith', 'iendswith', 'lessthan', 'greaterthan', 'timediff_lt', 'timediff_gt', 'matchwildcard', 'matchregex', 'regex', 'iregex', 'exists', 'nexists', 'inside', 'ninside'];
    expect([...OPERATORS.keys()].sort()).toEqual([...names, ...Object.keys(aliases)].sort());
    for (const [alias, name] of Object.entries(aliases)) expect(OPERATORS.get(alias)!.name).toBe(name);
  });

  describe('equals', () => {
    it.each(
      table([
        ['critical', 'critical', true],
        ['critical', 'Critical', false],
        [5, 5, true],
        [5, 5.0, true],
        [5, '5', false], // nothing is cast: a number never equals its text
        ['5', 5, false],
        [true, 1, true], // Python's bool is an int
        [[1, { a: 'x' }], [1.0, { a: 'x' }], true],
        [{ a: 1, b: 2 }, { b: 2, a: 1 }, true],
        [null, 'x', false],
        [null, null, false], // a None pattern never matches
        ['x', null, false],
      ]),
    )('%j equals %j: %s', (value, pattern, answer) => {
      expect(run('equals', value, pattern)).toBe(answer);
      expect(run('eq', value, pattern)).toBe(answer);
    });
  });

  describe('nequals', () => {
    it.each(
      table([
        ['a', 'b', true],
        ['a', 'a', false],
        [5, '5', true],
        [1, true, false],
        [null, 'x', true], // a missing value differs from any pattern
        [null, null, false], // unlike the other operators, a None pattern is compared
        ['x', null, true],
      ]),
    )('%j nequals %j: %s', (value, pattern, answer) => {
      expect(run('nequals', value, pattern)).toBe(answer);
      expect(run('neq', value, pattern)).toBe(answer);
    });
  });

  describe('iequals', () => {
    it.each(
      table([
        ['CRITICAL', 'critical', true],
        ['critical', 'warning', false],
        [null, 'x', 'error'],
        [5, '5', 'error'],
        [['a'], 'a', 'error'],
        ['x', null, false],
      ]),
    )('%j iequals %j: %s', (value, pattern, answer) => expect(run('iequals', value, pattern)).toBe(answer));
  });

  describe('contains and ncontains', () => {
    it.each(
      table([
        ['disk full on /var', 'full', true],
        ['disk full', 'FULL', false],
        ['disk full', '', true],
        [['web', 'db'], 'db', true],
        [['web', 'db'], 'd', false], // list membership, not substring
        [[1, 2], 2.0, true],
        [[{ a: 1 }], { a: 1 }, true],
        [{ host: 'x' }, 'host', true], // dict: its keys
        [{ host: 'x' }, 'x', false],
        [{ 1: 'x' }, 1, false], // JSON keys are strings
        ['abc', 1, 'error'],
        [{ a: 1 }, ['a'], 'error'],
        [null, 'x', 'error'],
        [5, 5, 'error'],
      ]),
    )('%j contains %j: %s', (value, pattern, answer) => {
      expect(run('contains', value, pattern)).toBe(answer);
      expect(run('ncontains', value, pattern)).toBe(answer === 'error' ? 'error' : !answer);
    });

    it('is false for a None pattern, both ways', () => {
      expect(run('contains', 'x', null)).toBe(false);
      expect(run('ncontains', 'x', null)).toBe(false);
    });
  });

  describe('icontains and incontains', () => {
    it.each(
      table([
        ['Disk FULL', 'full', true],
        ['Disk FULL', 'empty', false],
        [['FULL'], 'full', 'error'], // strings only
        [null, 'x', 'error'],
      ]),
    )('%j icontains %j: %s', (value, pattern, answer) => {
      expect(run('icontains', value, pattern)).toBe(answer);
      expect(run('incontains', value, pattern)).toBe(answer === 'error' ? 'error' : !answer);
    });
  });

  describe('startswith, istartswith, endswith, iendswith', () => {
    it.each([
      ['startswith', 'web-01', 'web', true],
      ['startswith', 'WEB-01', 'web', false],
      ['startswith', 'db-01', 'web', false],
      ['startswith', ['web'], 'web', 'error'],
      ['startswith', null, 'web', 'error'],
      ['istartswith', 'WEB-01', 'web', true],
      ['endswith', 'a.example.com', '.com', true],
      ['endswith', 'a.example.COM', '.com', false],
      ['iendswith', 'a.example.COM', '.com', true],
      ['iendswith', 'a.example.org', '.com', false],
      ['endswith', 5, '5', 'error'],
    ] as [string, unknown, unknown, Answer][])('%s: %j with %j: %s', (operator, value, pattern, answer) => expect(run(operator, value, pattern)).toBe(answer));

    it('refuses a pattern that is not a string once, not on every event', () => {
      expect(() => OPERATORS.get('startswith')!.test(5)).toThrow(PythonValueError);
      expect(() => OPERATORS.get('iendswith')!.test(['a'])).toThrow(PythonValueError);
    });
  });

  describe('lessthan and greaterthan', () => {
    it.each(
      table([
        [5, 10, true],
        [10, 5, false],
        [5, 5, false],
        [5.5, 6, true],
        [true, 2, true],
        ['apple', 'banana', true], // strings by code point
        ['Z', 'a', true],
        [[1, 2], [1, 3], true],
        [[1, 2], [1, 2, 0], true],
        ['5', 10, 'error'], // no casting: Python 3 cannot order str and int
        [5, '10', 'error'],
        [null, 5, 'error'],
        [{ a: 1 }, [1], 'error'],
        [5, null, false],
      ]),
    )('%j lessthan %j: %s', (value, pattern, answer) => {
      expect(run('lessthan', value, pattern)).toBe(answer);
      expect(run('lt', value, pattern)).toBe(answer);
    });

    it.each(
      table([
        [10, 5, true],
        [5, 10, false],
        [5, 5, false],
        [95.5, 90, true],
        ['b', 'a', true],
        [[1, 2, 3], [1, 2], true],
        ['10', 5, 'error'],
        [null, 0, 'error'],
        [5, null, false],
      ]),
    )('%j greaterthan %j: %s', (value, pattern, answer) => {
      expect(run('greaterthan', value, pattern)).toBe(answer);
      expect(run('gt', value, pattern)).toBe(answer);
    });

    it('refuses a mapping pattern, which Python can never order', () => {
      expect(() => OPERATORS.get('lessthan')!.test({ a: 1 })).toThrow(PythonValueError);
    });
  });

  describe('timediff_lt and timediff_gt', () => {
    it('compare the seconds since the payload date with the pattern', () => {
      expect(run('timediff_lt', isoSecondsAgo(10), 60)).toBe(true);
      expect(run('timediff_lt', isoSecondsAgo(600), 60)).toBe(false);
      expect(run('timediff_gt', isoSecondsAgo(600), 60)).toBe(true);
      expect(run('timediff_gt', isoSecondsAgo(10), 60)).toBe(false);
      expect(run('td_lt', isoSecondsAgo(10), 60)).toBe(true);
      expect(run('td_gt', isoSecondsAgo(600), 60)).toBe(true);
    });

    it('cast the pattern with float(), as StackStorm does', () => {
      expect(run('timediff_lt', isoSecondsAgo(10), '60')).toBe(true);
      expect(run('timediff_lt', isoSecondsAgo(10), ' 6e1 ')).toBe(true);
      expect(run('timediff_gt', isoSecondsAgo(10), true)).toBe(true);
      expect(() => OPERATORS.get('timediff_lt')!.test('a minute')).toThrow(PythonValueError);
    });

    it('read ISO 8601 dates with an offset, without a zone (UTC), with a space, and RFC 2822 dates', () => {
      const tenSecondsAgo = new Date(Date.now() - 10_000);
      const iso = tenSecondsAgo.toISOString(); // 2025-11-22T01:02:03.456Z
      const inParis = new Date(tenSecondsAgo.getTime() + 2 * 3600_000).toISOString().replace('Z', '+02:00');
      for (const date of [iso, iso.replace('Z', ''), iso.replace('T', ' ').replace('Z', '+00:00'), inParis, tenSecondsAgo.toUTCString()]) {
        expect([date, run('timediff_lt', date, 60)]).toEqual([date, true]);
      }
      // A date in the future is less than any period ago.
      expect(run('timediff_lt', new Date(Date.now() + 3600_000).toISOString(), 60)).toBe(true);
    });

    it('fail on a value that is not a date', () => {
      expect(run('timediff_lt', 'yesterday', 60)).toBe('error');
      expect(run('timediff_lt', '2025-02-30T00:00:00Z', 60)).toBe('error');
      expect(run('timediff_lt', null, 60)).toBe('error');
      expect(run('timediff_lt', 1700000000, 60)).toBe('error');
      expect(run('timediff_lt', isoSecondsAgo(10), null)).toBe(false);
    });
  });

  describe('matchwildcard', () => {
    it.each(
      table([
        ['web-01.example.com', 'web-*.example.com', true],
        ['web-01', 'web-0?', true],
        ['web-10', 'web-0?', false],
        ['Web-01', 'web-*', false], // case-sensitive, as fnmatch on Linux
        ['web-01', 'web', false], // the whole value must match
        ['b', '[a-c]', true],
        ['d', '[!a-c]', true],
        ['b', '[!a-c]', false],
        [']', '[]]', true],
        ['a[b', 'a[b', true], // an unclosed [ is itself
        ['a.b', 'a?b', true],
        ['a+b', 'a+b', true], // regex characters are literal
        ['x\ny', 'x*y', true],
        ['report.TXT', '*.txt', false],
        [5, '5', 'error'],
        [null, '*', 'error'],
        ['x', null, false],
      ]),
    )('%j matchwildcard %j: %s', (value, pattern, answer) => expect(run('matchwildcard', value, pattern)).toBe(answer));
  });

  describe('regex, iregex, matchregex', () => {
    it.each([
      ['regex', 'disk full on db-01', 'db-\\d+', true], // re.search: anywhere
      ['regex', 'disk full', '^full', false],
      ['regex', 'ABC', 'abc', false],
      ['regex', 'a\nb', 'a.b', false], // no DOTALL
      ['regex', 'host=db-01', '(?P<host>db-\\d+)', true], // Python's named groups
      ['regex', '(?i)ABC', '(?i)abc', true],
      ['regex', 5, '5', 'error'],
      ['regex', null, 'x', 'error'],
      ['iregex', 'ABC', 'abc', true],
      ['iregex', 'xyz', 'abc', false],
      ['matchregex', 'hello world', 'hello', true], // re.match: at the start only
      ['matchregex', 'say hello', 'hello', false],
      ['matchregex', 'hello\nworld', 'hello.world', true], // with DOTALL
      ['matchregex', 'hello world', 'world$', false],
      // Python's $ also matches before a final newline.
      ['regex', 'disk full\n', 'full$', true],
      ['regex', 'disk full\nnow', 'full$', false],
      ['regex', 'cost: 5$', '5[$]', true],
      ['regex', 'cost: 5$', '5\\$', true],
      ['regex', 'a\nb', '(?m)a$', true],
    ] as [string, unknown, unknown, Answer][])('%s: %j with %j: %s', (operator, value, pattern, answer) => expect(run(operator, value, pattern)).toBe(answer));

    it('anchors matchregex at the start on every call', () => {
      const test = OPERATORS.get('matchregex')!.test('a');
      expect([test('ab'), test('ab'), test('ba')]).toEqual([true, true, false]);
    });

    it('refuses a pattern that does not compile', () => {
      expect(() => OPERATORS.get('regex')!.test('(unclosed')).toThrow(/invalid regular expression/);
      expect(() => OPERATORS.get('iregex')!.test(5)).toThrow(PythonValueError);
    });

    it.each([
      ['regex', '(a+)+$'],
      ['iregex', '(a|a)*b'],
      ['matchregex', '(x+x+)+y'],
      ['regex', '(a|aa)+$'],
      ['matchwildcard', '*a*a*a*a*a*a*a*a*a*a*b'],
    ])('answers %s with the catastrophic pattern %j in linear time', (operator, pattern) => {
      const value = `${'a'.repeat(30)}${'x'.repeat(30)}`.repeat(200) + 'a'.repeat(40) + '!';
      const started = performance.now();
      expect(run(operator, value, pattern)).toBe(false);
      expect(performance.now() - started).toBeLessThan(1000);
    });

    it('refuses, saying why, a pattern that needs backtracking', () => {
      expect(() => OPERATORS.get('regex')!.test('(\\w+) \\1')).toThrow(/invalid regular expression .*backreference .* not supported: regular expressions are matched in linear time/);
      expect(() => OPERATORS.get('regex')!.test('a(?!b)')).toThrow(/invalid regular expression .*without backreferences or lookahead/);
    });
  });

  describe('exists and nexists', () => {
    it.each(
      table([
        ['x', null, true],
        ['', null, true],
        [0, null, true],
        [false, null, true],
        [[], null, true],
        [null, null, false], // a key set to null does not exist, for StackStorm
        [undefined, null, false],
      ]),
    )('%j exists: %s', (value, pattern, answer) => {
      expect(run('exists', value, pattern)).toBe(answer);
      expect(run('nexists', value, pattern)).toBe(!answer);
      expect(run('exists', value, 'any pattern is ignored')).toBe(answer);
    });
  });

  describe('inside and ninside', () => {
    it.each(
      table([
        ['db', ['web', 'db'], true],
        ['cache', ['web', 'db'], false],
        [2, [1, 2.0], true],
        ['ell', 'hello', true], // substring of a string pattern
        ['host', { host: 'x' }, true],
        [5, 'hello', 'error'],
        [['a'], { x: 1 }, 'error'],
        [null, ['a'], false],
        [null, [null], true],
        ['x', null, false],
      ]),
    )('%j inside %j: %s', (value, pattern, answer) => {
      expect(run('inside', value, pattern)).toBe(answer);
      expect(run('in', value, pattern)).toBe(answer);
      expect(run('ninside', value, pattern)).toBe(pattern === null ? false : answer === 'error' ? 'error' : !answer);
      expect(run('nin', value, pattern)).toBe(pattern === null ? false : answer === 'error' ? 'error' : !answer);
    });

    it('refuses a pattern nothing can be inside', () => {
      expect(() => OPERATORS.get('inside')!.test(5)).toThrow("argument of type 'int' is not iterable");
    });
  });
});
