// The expression functions StackStorm adds to Orquesta (st2's orquesta_runner setup.py entry points,
// st2common/expressions/functions/{data,path}.py) that can be computed exactly here. The others are
// refused by name (ST2_REFUSED_FUNCTIONS), never approximated.
import { parse as parseYaml } from 'yaml';

/** st2's marker for None in rendered parameters (st2common/expressions/functions/data.py). */
export const NONE_MAGIC_VALUE = '%*****__%NONE%__*****%';

/** StackStorm functions this implementation does not compute, with why. */
export const ST2_REFUSED_FUNCTIONS: Record<string, string> = {
  to_yaml_string: "PyYAML's output format is not reproduced",
  yaml_dump: "PyYAML's output format is not reproduced",
  jsonpath_query: 'python-jsonpath-rw is not reproduced',
  regex_match: "Python's regular expressions are not available here",
  regex_replace: "Python's regular expressions are not available here",
  regex_search: "Python's regular expressions are not available here",
  regex_substring: "Python's regular expressions are not available here",
  to_human_time_from_seconds: 'not implemented here',
  version_compare: 'not implemented here',
  version_more_than: 'not implemented here',
  version_less_than: 'not implemented here',
  version_equal: 'not implemented here',
  version_match: 'not implemented here',
  version_bump_major: 'not implemented here',
  version_bump_minor: 'not implemented here',
  version_bump_patch: 'not implemented here',
  version_strip_patch: 'not implemented here',
};

export class St2FunctionError extends Error {
  constructor(
    readonly kind: string,
    message: string,
  ) {
    super(message);
  }
}

/** Python's float repr for a non-integer number (shortest digits; exponent form outside 1e-4..1e16). */
function floatRepr(x: number): string {
  if (!Number.isFinite(x)) return Number.isNaN(x) ? 'NaN' : x > 0 ? 'Infinity' : '-Infinity';
  const [mantissa, exp] = x.toExponential().split('e');
  const e = Number(exp);
  if (e >= -4 && e < 16) return x.toString();
  return `${mantissa}e${e < 0 ? '-' : '+'}${String(Math.abs(e)).padStart(2, '0')}`;
}

const jsonString = (s: string): string =>
  '"' +
  // eslint-disable-next-line no-control-regex -- control characters are exactly what JSON escapes
  s.replace(/[\\"\u0000-\u001f\u007f-\uffff]/g, (c) => {
    const named: Record<string, string> = { '\\': '\\\\', '"': '\\"', '\n': '\\n', '\r': '\\r', '\t': '\\t', '\b': '\\b', '\f': '\\f' };
    return named[c] ?? `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`;
  }) +
  '"';

/**
 * Python's json.dumps (ensure_ascii) for JSON data. A number that is an integer is printed as one:
 * JSON data does not tell 1 from 1.0, which Python would print as 1.0.
 */
export function pythonJsonDumps(value: unknown, options: { indent?: number | null; sortKeys?: boolean; separators?: [string, string] } = {}): string {
  const indent = options.indent ?? null;
  const [itemSep, keySep] = options.separators ?? (indent === null ? [', ', ': '] : [',', ': ']);
  const dump = (v: unknown, level: number): string => {
    if (v === null || v === undefined) return 'null';
    if (v === true) return 'true';
    if (v === false) return 'false';
    if (typeof v === 'number') return Number.isInteger(v) ? String(v) : floatRepr(v);
    if (typeof v === 'string') return jsonString(v);
    const inner = indent === null ? '' : '\n' + ' '.repeat(indent * (level + 1));
    const outer = indent === null ? '' : '\n' + ' '.repeat(indent * level);
    if (Array.isArray(v)) return v.length ? `[${inner}${v.map((item) => dump(item, level + 1)).join(itemSep + inner)}${outer}]` : '[]';
    if (typeof v === 'object') {
      const entries = Object.entries(v as Record<string, unknown>);
      if (options.sortKeys) entries.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
      return entries.length ? `{${inner}${entries.map(([k, item]) => jsonString(k) + keySep + dump(item, level + 1)).join(itemSep + inner)}${outer}}` : '{}';
    }
    throw new St2FunctionError('TypeError', `Object of type ${typeof v} is not JSON serializable`);
  };
  return dump(value, 0);
}

/** six.text_type(v) where it is certain: strings and numbers; anything else is refused rather than guessed. */
function text(v: unknown, fn: string): string {
  if (typeof v === 'string') return v;
  if (typeof v === 'number') return Number.isInteger(v) ? String(v) : floatRepr(v);
  throw new St2FunctionError('TypeError', `${fn}() takes a string here`);
}

function pathArg(p: unknown, fn: string): string {
  if (typeof p !== 'string') throw new St2FunctionError('TypeError', `${fn}() expected str, bytes or os.PathLike object, not ${p === null ? 'NoneType' : typeof p}`);
  return p;
}

/** posixpath.basename / dirname. */
const basename = (p: string): string => p.slice(p.lastIndexOf('/') + 1);
function dirname(p: string): string {
  const head = p.slice(0, p.lastIndexOf('/') + 1);
  return head && head !== '/'.repeat(head.length) ? head.replace(/\/+$/, '') : head;
}

function fromJson(value: unknown, fn: string): unknown {
  const source = text(value, fn);
  try {
    return JSON.parse(source);
  } catch (error) {
    throw new St2FunctionError('JSONDecodeError', (error as Error).message);
  }
}

function fromYaml(value: unknown, fn: string): unknown {
  const source = text(value, fn);
  try {
    // PyYAML's safe_load reads YAML 1.1 (yes/no booleans, 0o octal as 0...).
    return parseYaml(source, { version: '1.1' });
  } catch (error) {
    throw new St2FunctionError('YAMLError', (error as Error).message);
  }
}

function toJson(args: unknown[], kwargs: Record<string, unknown>): string {
  const [value, indent = kwargs['indent'] ?? null, sortKeys = kwargs['sort_keys'] ?? false, separators = kwargs['separators'] ?? [',', ': ']] = args;
  if (indent !== null && typeof indent !== 'number') throw new St2FunctionError('TypeError', 'indent must be an integer');
  return pythonJsonDumps(value, { indent: indent as number | null, sortKeys: Boolean(sortKeys), separators: separators as [string, string] });
}

/** The StackStorm functions computed here, as (args, kwargs) => value. */
export const ST2_FUNCTIONS: Record<string, (args: unknown[], kwargs: Record<string, unknown>) => unknown> = {
  from_json_string: ([v]) => fromJson(v, 'from_json_string'),
  json_parse: ([v]) => fromJson(v, 'json_parse'),
  from_yaml_string: ([v]) => fromYaml(v, 'from_yaml_string'),
  yaml_parse: ([v]) => fromYaml(v, 'yaml_parse'),
  to_json_string: toJson,
  json_dump: toJson,
  json_escape: ([v]) => pythonJsonDumps(v).replace(/^"+|"+$/g, ''),
  use_none: ([v]) => (v === null || v === undefined ? NONE_MAGIC_VALUE : v),
  basename: ([p]) => basename(pathArg(p, 'basename')),
  dirname: ([p]) => dirname(pathArg(p, 'dirname')),
};
