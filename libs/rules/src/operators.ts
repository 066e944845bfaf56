import { pythonRegex, type PythonRegex } from '@tempest/templating';
import { parsePayloadDate } from './dates';
import { pythonContains, pythonEquals, pythonFloat, pythonLessThan, pythonTypeName, PythonValueError, requireString } from './python-values';
import { wildcardRegex } from './wildcard';

/**
 * StackStorm's criteria operators (st2common/operators.py), with their
 * answers on every JSON value. Nothing is cast: the payload value and the
 * pattern are compared as they are (5 does not equal "5"); a pattern gets its
 * type from YAML or, for a Jinja pattern, from the template's value. Where
 * StackStorm's Python raises (None compared with a number, a string operator
 * on a list...), the test throws PythonValueError and the rule fails to
 * evaluate, as StackStorm records a failed enforcement.
 */

/** A test of one payload value; made once per pattern. */
export type ValueTest = (value: unknown) => boolean;

export interface Operator {
  /** The canonical name; the table below maps aliases too. */
  readonly name: string;
  /** Whether the criterion must give a pattern (exists/nexists ignore it). */
  readonly needsPattern: boolean;
  /**
   * The test for a pattern. Throws PythonValueError for a pattern no payload
   * could satisfy without an error (a bad regex, a number for startswith),
   * which makes a literal pattern a validation error.
   */
  test(pattern: unknown): ValueTest;
}

const never: ValueTest = () => false;
const negate =
  (test: ValueTest): ValueTest =>
  (value) =>
    !test(value);

/** Most operators answer false for a None pattern (a Jinja pattern may render to None). */
function withPattern(build: (pattern: unknown) => ValueTest): (pattern: unknown) => ValueTest {
  return (pattern) => (pattern === null || pattern === undefined ? never : build(pattern));
}

function stringTest(compare: (value: string, pattern: string) => boolean): (pattern: unknown) => ValueTest {
  return withPattern((pattern) => {
    const expected = requireString(pattern, 'pattern');
    return (value) => compare(requireString(value, 'payload value'), expected);
  });
}

const lower = (text: string): string => text.toLowerCase();

// Jinja patterns can produce a new regex per event; keep the recent ones compiled.
const REGEX_CACHE_SIZE = 500;
const regexCache = new Map<string, PythonRegex>();

/**
 * Python's `$` (without MULTILINE) also matches before a final newline, so
 * "disk full\n" matches "full$"; RE2's does not. Rewrites each `$` outside a
 * character class to say so (taking the newline in: operators only ask
 * whether there is a match, and RE2 has no lookahead).
 */
export function pythonDollars(pattern: string): string {
  if (/^\(\?[aiLsux]*m/.test(pattern)) return pattern; // with (?m), both mean "before any newline or at the end"
  let out = '';
  let inClass = false;
  for (let i = 0; i < pattern.length; i++) {
    const char = pattern[i];
    if (char === '\\') {
      out += char + (pattern[i + 1] ?? '');
      i++;
    } else if (inClass) {
      if (char === ']') inClass = false;
      out += char;
    } else if (char === '[') {
      inClass = true;
      out += char;
      // A `]` first in the set (after an optional ^) is part of it.
      if (pattern[i + 1] === '^') out += pattern[++i];
      if (pattern[i + 1] === ']') out += pattern[++i];
    } else {
      out += char === '$' ? '(?:\\n?\\z)' : char;
    }
  }
  return out;
}

/** A Python regex, matched in linear time whatever the pattern (see python-regex in libs/templating). */
function compileRegex(pattern: unknown, flags: { ignoreCase?: boolean; dotAll?: boolean }): PythonRegex {
  const source = requireString(pattern, 'pattern');
  const cacheKey = `${flags.ignoreCase ? 'i' : ''}${flags.dotAll ? 's' : ''}/${source}`;
  let regex = regexCache.get(cacheKey);
  if (!regex) {
    try {
      regex = pythonRegex(pythonDollars(source), flags);
    } catch (error) {
      throw new PythonValueError(`invalid regular expression ${JSON.stringify(source)}: ${(error as Error).message}`);
    }
    if (regexCache.size >= REGEX_CACHE_SIZE) regexCache.delete(regexCache.keys().next().value!);
    regexCache.set(cacheKey, regex);
  }
  return regex;
}

/** Python's re.search: anywhere in the value. */
function searchTest(ignoreCase: boolean): (pattern: unknown) => ValueTest {
  return withPattern((pattern) => {
    const regex = compileRegex(pattern, { ignoreCase });
    return (value) => regex.search(requireString(value, 'payload value'));
  });
}

function timediffTest(compare: (elapsedSeconds: number, period: number) => boolean): (pattern: unknown) => ValueTest {
  return withPattern((pattern) => {
    const period = pythonFloat(pattern);
    return (value) => compare((Date.now() - parsePayloadDate(value)) / 1000, period);
  });
}

/** `value in pattern`: the pattern must be a string, list or dict. */
function insideTest(pattern: unknown): ValueTest {
  if (typeof pattern === 'number' || typeof pattern === 'boolean') throw new PythonValueError(`argument of type '${pythonTypeName(pattern)}' is not iterable`);
  return (value) => pythonContains(pattern, value);
}

/** lessthan / greaterthan: Python orders no dict, whatever the payload holds. */
function orderTest(pattern: unknown, test: ValueTest): ValueTest {
  if (typeof pattern === 'object' && pattern !== null && !Array.isArray(pattern)) throw new PythonValueError("'<' is not supported for a dict pattern");
  return test;
}

const definitions: [names: string[], needsPattern: boolean, test: (pattern: unknown) => ValueTest][] = [
  [['equals', 'eq'], true, withPattern((pattern) => (value) => pythonEquals(value, pattern))],
  [['nequals', 'neq'], true, (pattern) => (value) => !pythonEquals(value, pattern)],
  [['iequals', 'ieq'], true, stringTest((value, pattern) => lower(value) === lower(pattern))],
  [['contains'], true, withPattern((pattern) => (value) => pythonContains(value, pattern))],
  [['ncontains'], true, withPattern((pattern) => (value) => !pythonContains(value, pattern))],
  [['icontains'], true, stringTest((value, pattern) => lower(value).includes(lower(pattern)))],
  [['incontains'], true, stringTest((value, pattern) => !lower(value).includes(lower(pattern)))],
  [['startswith'], true, stringTest((value, pattern) => value.startsWith(pattern))],
  [['istartswith'], true, stringTest((value, pattern) => lower(value).startsWith(lower(pattern)))],
  [['endswith'], true, stringTest((value, pattern) => value.endsWith(pattern))],
  [['iendswith'], true, stringTest((value, pattern) => lower(value).endsWith(lower(pattern)))],
  [['lessthan', 'lt'], true, withPattern((pattern) => orderTest(pattern, (value) => pythonLessThan(value, pattern)))],
  [['greaterthan', 'gt'], true, withPattern((pattern) => orderTest(pattern, (value) => pythonLessThan(pattern, value)))],
  [['timediff_lt', 'td_lt'], true, timediffTest((elapsed, period) => elapsed < period)],
  [['timediff_gt', 'td_gt'], true, timediffTest((elapsed, period) => elapsed > period)],
  [
    ['matchwildcard'],
    true,
    withPattern((pattern) => {
      const regex = wildcardRegex(requireString(pattern, 'pattern'));
      return (value) => regex.test(requireString(value, 'payload value'));
    }),
  ],
  [
    // Deprecated in StackStorm: re.match with DOTALL, anchored at the start only.
    ['matchregex'],
    true,
    withPattern((pattern) => {
      const regex = compileRegex(pattern, { dotAll: true });
      return (value) => regex.match(requireString(value, 'payload value'));
    }),
  ],
  [['regex'], true, searchTest(false)],
  [['iregex'], true, searchTest(true)],
  [['exists'], false, () => (value) => value !== null && value !== undefined],
  [['nexists'], false, () => (value) => value === null || value === undefined],
  [['inside', 'in'], true, withPattern((pattern) => insideTest(pattern))],
  [['ninside', 'nin'], true, withPattern((pattern) => negate(insideTest(pattern)))],
];

/** Every operator by each of its names (search is handled by the criteria compiler). */
export const OPERATORS: ReadonlyMap<string, Operator> = new Map(definitions.flatMap(([names, needsPattern, test]) => names.map((alias) => [alias, { name: names[0], needsPattern, test }] as const)));

/** The operator names criteria accept, search included. */
export const OPERATOR_NAMES: readonly string[] = [...OPERATORS.keys(), 'search'];
