// StackStorm's operators are Python expressions over JSON values: `==`, `<`,
// `in`. These give JavaScript the same answers, including Python's refusals
// (TypeError), so a criterion fails where StackStorm's would.

/** A Python TypeError or ValueError met while evaluating a criterion. */
export class PythonValueError extends Error {
  override readonly name = 'PythonValueError';
}

/** Python's type name of a JSON value, for messages. */
export function pythonTypeName(value: unknown): string {
  if (value === null || value === undefined) return 'NoneType';
  if (typeof value === 'boolean') return 'bool';
  if (typeof value === 'number') return Number.isInteger(value) ? 'int' : 'float';
  if (typeof value === 'string') return 'str';
  if (Array.isArray(value)) return 'list';
  return 'dict';
}

/** bool is a subclass of int in Python: True == 1, True < 2. */
function isNumeric(value: unknown): value is number | boolean {
  return typeof value === 'number' || typeof value === 'boolean';
}

function isDict(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Python's `a == b` on JSON values (1 == 1.0 == True, dicts compared regardless of key order). */
export function pythonEquals(a: unknown, b: unknown): boolean {
  a ??= null;
  b ??= null;
  if (a === b) return true;
  if (isNumeric(a) && isNumeric(b)) return Number(a) === Number(b);
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((item, i) => pythonEquals(item, b[i]));
  if (isDict(a) && isDict(b)) {
    const keys = Object.keys(a);
    return keys.length === Object.keys(b).length && keys.every((key) => Object.hasOwn(b, key) && pythonEquals(a[key], b[key]));
  }
  return false;
}

/** Strings ordered by code point, as Python does (JavaScript's `<` orders UTF-16 units). */
function compareStrings(a: string, b: string): number {
  if (!/[\uD800-\uDFFF]/.test(a + b)) return a < b ? -1 : a > b ? 1 : 0;
  const left = [...a];
  const right = [...b];
  for (let i = 0; i < Math.min(left.length, right.length); i++) {
    const diff = left[i].codePointAt(0)! - right[i].codePointAt(0)!;
    if (diff !== 0) return diff;
  }
  return left.length - right.length;
}

/** Python's `a < b`; throws PythonValueError where Python raises TypeError (None, dicts, mixed types). */
export function pythonLessThan(a: unknown, b: unknown): boolean {
  a ??= null;
  b ??= null;
  if (isNumeric(a) && isNumeric(b)) return Number(a) < Number(b);
  if (typeof a === 'string' && typeof b === 'string') return compareStrings(a, b) < 0;
  if (Array.isArray(a) && Array.isArray(b)) {
    // Lexicographic: the first items that differ decide, else the shorter list is less.
    const i = a.findIndex((item, index) => index >= b.length || !pythonEquals(item, b[index]));
    if (i < 0 || i >= b.length) return a.length < b.length;
    return pythonLessThan(a[i], b[i]);
  }
  throw new PythonValueError(`'<' not supported between instances of '${pythonTypeName(a)}' and '${pythonTypeName(b)}'`);
}

/** Python's `item in container`: substring, list membership or dict key. */
export function pythonContains(container: unknown, item: unknown): boolean {
  item ??= null;
  if (typeof container === 'string') {
    if (typeof item !== 'string') throw new PythonValueError(`'in <string>' requires string as left operand, not ${pythonTypeName(item)}`);
    return container.includes(item);
  }
  if (Array.isArray(container)) return container.some((element) => pythonEquals(element, item));
  if (isDict(container)) {
    if (typeof item === 'object' && item !== null) throw new PythonValueError(`unhashable type: '${pythonTypeName(item)}'`);
    // JSON keys are strings, and Python never finds 1 among "1".
    return typeof item === 'string' && Object.hasOwn(container, item);
  }
  throw new PythonValueError(`argument of type '${pythonTypeName(container)}' is not iterable`);
}

/** The value as a str, for the string-only operators (Python raises AttributeError or TypeError otherwise). */
export function requireString(value: unknown, role: string): string {
  if (typeof value === 'string') return value;
  throw new PythonValueError(`the ${role} must be a string, not ${pythonTypeName(value)}`);
}

/** Python's float(): numbers, booleans and numeric text (" 1e3 ", "inf"); anything else is a ValueError. */
export function pythonFloat(value: unknown): number {
  if (isNumeric(value)) return Number(value);
  if (typeof value === 'string') {
    const text = value.trim();
    if (/^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i.test(text)) return Number(text);
    if (/^[+-]?(inf|infinity)$/i.test(text)) return text.startsWith('-') ? -Infinity : Infinity;
    if (/^[+-]?nan$/i.test(text)) return NaN;
  }
  throw new PythonValueError(`could not convert ${pythonTypeName(value)} to float: ${JSON.stringify(value)}`);
}
