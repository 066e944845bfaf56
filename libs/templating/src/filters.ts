/**
 * StackStorm's custom Jinja filters (st2common/util/jinja.py `get_filters`),
 * with StackStorm's names, arguments and results:
 *
 *   data:    from_json_string, from_yaml_string, json_escape, jsonpath_query,
 *            to_complex, to_json_string, to_yaml_string, use_none
 *   regex:   regex_match, regex_replace, regex_search, regex_substring
 *            (Python `re` patterns and replacements, matched in linear
 *            time, see python-regex.ts)
 *   time:    to_human_time_from_seconds
 *   version: version_compare, version_more_than, version_less_than,
 *            version_equal, version_match, version_bump_major,
 *            version_bump_minor, version_bump_patch, version_strip_patch
 *   path:    basename, dirname (Python's os.path: "/a/b/" has basename "")
 *
 * Not provided: decrypt_kv, which needs the datastore's encryption key; it
 * belongs with the st2kv lookup the caller supplies. StackStorm has no
 * json_dump filter (that is an Orquesta function), so neither do we.
 *
 * Known differences: to_human_time_from_seconds counts days past a month
 * correctly (StackStorm's wraps at the month), and numbers are JavaScript's
 * (1.0 is written 1).
 */
import * as nunjucks from 'nunjucks';
import { JSONPath } from 'jsonpath-plus';
import * as semver from 'semver';
import YAML from 'yaml';
import { pythonJsonDumps } from './python-json';
import { expandReplacement, pythonRegex } from './python-regex';

/** What `use_none` turns None into; a parameter rendering to exactly this becomes null. */
export const NONE_MAGIC_VALUE = '%*****__%NONE%__*****%';

type Filter = (value: unknown, ...args: unknown[]) => unknown;

/**
 * Positional arguments after merging nunjucks' keyword arguments (passed as
 * a trailing object marked `__keywords`) by the Python parameter names.
 */
function argumentsOf(filter: string, args: unknown[], names: readonly string[]): unknown[] {
  const last = args[args.length - 1];
  if (typeof last !== 'object' || last === null || !Object.hasOwn(last, '__keywords')) return args;
  const positional = args.slice(0, -1);
  for (const [key, value] of Object.entries(last)) {
    if (key === '__keywords') continue;
    const index = names.indexOf(key);
    if (index < 0) throw new Error(`${filter}: unexpected keyword argument "${key}"`);
    positional[index] = value;
  }
  return positional;
}

/** Python's str() of a value, for filters that stringify their input. */
function pythonStr(value: unknown): string {
  if (typeof value === 'string') return value;
  if (value === null || value === undefined) return 'None';
  if (typeof value === 'boolean') return value ? 'True' : 'False';
  if (typeof value === 'object') return pythonJsonDumps(value);
  return String(value);
}

function parseVersion(filter: string, value: unknown): semver.SemVer {
  const parsed = typeof value === 'string' ? semver.parse(value) : null;
  if (!parsed) throw new Error(`${filter}: ${JSON.stringify(value)} is not a valid semantic version`);
  return parsed;
}

function compareVersions(filter: string, value: unknown, other: unknown): number {
  return semver.compare(parseVersion(filter, value), parseVersion(filter, other));
}

// python-semver's Version.match: an operator (default ==) and a version, e.g. ">=1.2.0".
const MATCH_EXPRESSION = /^(>=|<=|==|!=|>|<)?(.+)$/;
const MATCH_OPERATORS: Record<string, (order: number) => boolean> = {
  '>=': (order) => order >= 0,
  '<=': (order) => order <= 0,
  '==': (order) => order === 0,
  '!=': (order) => order !== 0,
  '>': (order) => order > 0,
  '<': (order) => order < 0,
};

function versionMatch(value: unknown, expression: unknown): boolean {
  const parsed = MATCH_EXPRESSION.exec(String(expression).trim());
  if (!parsed || (parsed[1] === undefined && !/^\d/.test(parsed[2]))) {
    throw new Error(`version_match: expected <operator><version> with an operator of <, >, ==, <=, >=, !=, got ${JSON.stringify(expression)}`);
  }
  return MATCH_OPERATORS[parsed[1] ?? '=='](compareVersions('version_match', value, parsed[2]));
}

/** Python's round(): halves go to the even neighbour. */
function roundHalfEven(value: number): number {
  const floor = Math.floor(value);
  const fraction = value - floor;
  if (fraction !== 0.5) return Math.round(value);
  return floor % 2 === 0 ? floor : floor + 1;
}

function toHumanTimeFromSeconds(seconds: unknown): string {
  if (typeof seconds !== 'number' || Number.isNaN(seconds)) throw new Error(`to_human_time_from_seconds: expected a number of seconds, got ${JSON.stringify(seconds)}`);
  if (seconds === 0) return '0s';
  if (seconds < 1) return `${seconds}\u03BCs`; // as StackStorm: sub-second values are shown as microseconds
  let rest = roundHalfEven(seconds);
  const parts: number[] = [];
  for (const size of [365 * 86400, 86400, 3600, 60]) {
    parts.push(Math.floor(rest / size));
    rest %= size;
  }
  parts.push(rest);
  const first = parts.findIndex((part) => part !== 0);
  const units = ['y', 'd', 'h', 'm', 's'];
  return parts
    .slice(first)
    .map((part, index) => `${part}${units[first + index]}`)
    .join('');
}

function basename(path: unknown): string {
  const text = String(path);
  return text.slice(text.lastIndexOf('/') + 1);
}

function dirname(path: unknown): string {
  const text = String(path);
  const head = text.slice(0, text.lastIndexOf('/') + 1);
  // Python strips trailing slashes unless the head is only slashes ("/" or "//").
  return /^\/+$/.test(head) ? head : head.replace(/\/+$/, '');
}

function regexSubstring(value: unknown, ...args: unknown[]): unknown {
  const [pattern, resultIndex = 0, ignoreCase = false] = argumentsOf('regex_substring', args, ['pattern', 'result_index', 'ignorecase']);
  const regex = pythonRegex(String(pattern), { ignoreCase: Boolean(ignoreCase) });
  // re.findall: the whole match, the one group, or all groups of each match.
  const found = regex.findAll(pythonStr(value)).map((match) => (match.length === 1 ? match[0] : match.length === 2 ? (match[1] ?? '') : match.slice(1).map((group) => group ?? '')));
  const index = Number(resultIndex);
  const item = found.at(index);
  if (!Number.isInteger(index) || item === undefined) throw new Error(`regex_substring: no match at index ${String(resultIndex)} (found ${found.length})`);
  return item;
}

function yamlOptions(indent: unknown): YAML.SchemaOptions & YAML.ToStringOptions {
  // PyYAML's safe_dump defaults: block style, sorted keys, list items level with their key.
  return { indent: typeof indent === 'number' ? indent : 2, indentSeq: false, sortMapEntries: true };
}

export const stackstormFilters: Readonly<Record<string, Filter>> = {
  from_json_string: (value) => JSON.parse(String(value)),
  from_yaml_string: (value) => YAML.parse(String(value), { version: '1.1' }),
  json_escape: (value) => pythonJsonDumps(value).replace(/^"+|"+$/g, ''),
  jsonpath_query: (value, ...args) => {
    const [query] = argumentsOf('jsonpath_query', args, ['query']);
    // eval: false, as jsonpath_rw has no script expressions and user data must not run code.
    const matches = JSONPath({ path: String(query), json: value as object, wrap: true, eval: false }) as unknown[];
    return matches.length === 0 ? null : matches;
  },
  to_complex: (value) => pythonJsonDumps(value),
  to_json_string: (value, ...args) => {
    const [indent = null, sortKeys = false, separators = [',', ': ']] = argumentsOf('to_json_string', args, ['indent', 'sort_keys', 'separators']);
    return pythonJsonDumps(value, { indent: indent as number | string | null, sortKeys: Boolean(sortKeys), separators: separators as [string, string] | null });
  },
  to_yaml_string: (value, ...args) => {
    const [indent] = argumentsOf('to_yaml_string', args, ['indent', 'allow_unicode']);
    return YAML.stringify(value, yamlOptions(indent));
  },
  use_none: (value) => (value === null || value === undefined ? NONE_MAGIC_VALUE : value),

  regex_match: (value, ...args) => {
    const [pattern, ignoreCase = false] = argumentsOf('regex_match', args, ['pattern', 'ignorecase']);
    return pythonRegex(String(pattern), { ignoreCase: Boolean(ignoreCase) }).match(pythonStr(value));
  },
  regex_replace: (value, ...args) => {
    const [pattern, replacement, ignoreCase = false] = argumentsOf('regex_replace', args, ['pattern', 'replacement', 'ignorecase']);
    const text = pythonStr(value);
    let out = '';
    let last = 0;
    for (const match of pythonRegex(String(pattern), { ignoreCase: Boolean(ignoreCase) }).findAll(text)) {
      out += text.slice(last, match.index) + expandReplacement(String(replacement), match);
      last = match.index + match[0].length;
    }
    return out + text.slice(last);
  },
  regex_search: (value, ...args) => {
    const [pattern, ignoreCase = false] = argumentsOf('regex_search', args, ['pattern', 'ignorecase']);
    return pythonRegex(String(pattern), { ignoreCase: Boolean(ignoreCase) }).search(pythonStr(value));
  },
  regex_substring: regexSubstring,

  to_human_time_from_seconds: toHumanTimeFromSeconds,

  version_compare: (value, other) => compareVersions('version_compare', value, other),
  version_more_than: (value, other) => compareVersions('version_more_than', value, other) === 1,
  version_less_than: (value, other) => compareVersions('version_less_than', value, other) === -1,
  version_equal: (value, other) => compareVersions('version_equal', value, other) === 0,
  version_match: versionMatch,
  version_bump_major: (value) => `${parseVersion('version_bump_major', value).major + 1}.0.0`,
  version_bump_minor: (value) => {
    const version = parseVersion('version_bump_minor', value);
    return `${version.major}.${version.minor + 1}.0`;
  },
  version_bump_patch: (value) => {
    const version = parseVersion('version_bump_patch', value);
    return `${version.major}.${version.minor}.${version.patch + 1}`;
  },
  version_strip_patch: (value) => {
    const version = parseVersion('version_strip_patch', value);
    return `${version.major}.${version.minor}`;
  },

  basename,
  dirname,
};

/** Adds StackStorm's filters to a nunjucks environment. */
export function addStackstormFilters(env: nunjucks.Environment): void {
  for (const [name, filter] of Object.entries(stackstormFilters)) env.addFilter(name, filter);
}
