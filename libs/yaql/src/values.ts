// YAQL runs on Python, so its values follow Python's data model: int and float
// are distinct, True == 1, dicts keep insertion order and take any hashable key,
// and a query like select() returns a one-shot iterator. This module models that
// on JS values; input data (JSON-like) is used as is, without copying.
import { YaqlEvaluationError, YaqlUnsupportedError } from './errors';

/** A Python float whose value is integral (2.0); non-integral JS numbers are floats already. */
export class PyFloat {
  constructor(readonly value: number) {}
}

/** A dict built by YAQL (`dict()`, `{}`, `+`, `set()`...): keys are any hashable value, in insertion order. */
export class YDict {
  readonly entries = new Map<string, [Value, Value]>();
  static of(pairs: Iterable<[Value, Value]>): YDict {
    const dict = new YDict();
    for (const [key, value] of pairs) dict.put(key, value);
    return dict;
  }

  /** d[key] = value: an equal key already there stays (Python keeps the first key object). */
  put(key: Value, value: Value): void {
    const hash = hashKey(key);
    const existing = this.entries.get(hash);
    this.entries.set(hash, [existing ? existing[0] : key, value]);
  }
}

/** A one-shot iterator (Python's map/filter/generator objects that yaql's queries return). */
export class YIter {
  constructor(readonly source: Iterator<Value>) {}
}

/** Python's dict views (`keys()`, `values()`, `items()`): iterable again and again. */
export class YView {
  constructor(
    readonly kind: 'keys' | 'values' | 'items',
    readonly dict: Dict,
  ) {}
}

/** An iterable that can be iterated again (yaql's OrderingIterable): not an iterator, not a sequence. */
export class YIterable {
  constructor(readonly iterator: () => Iterator<Value>) {}
}

/**
 * Arrays are Python tuples (yaql turns input lists and `[...]` into tuples); the few Python lists
 * yaql makes (str.split(), enumerate() pairs) are marked, since they print as `[...]`, are
 * unhashable and are never equal to a tuple.
 */
const PY_LISTS = new WeakSet<readonly Value[]>();
export function pyList<T extends readonly Value[]>(items: T): T {
  PY_LISTS.add(items);
  return items;
}
export const isPyList = (v: unknown): boolean => Array.isArray(v) && PY_LISTS.has(v);

/** The context object `let()` and `with()` return, for `->`. */
export class YScope {
  constructor(readonly vars: Map<string, Value>) {}
}

export type Dict = YDict | Record<string, unknown>;
export type Value = null | boolean | number | string | PyFloat | readonly Value[] | Dict | YIter | YIterable | YView | YScope;

export const isFloat = (v: unknown): boolean => v instanceof PyFloat || (typeof v === 'number' && !Number.isInteger(v));
export const isInt = (v: unknown): v is number => typeof v === 'number' && Number.isInteger(v);
/** An argument of Python type int, which bool is a subclass of (`$.list[true]` is item 1); undefined otherwise. */
export const asInt = (v: unknown): number | undefined => (isInt(v) ? v : typeof v === 'boolean' ? (v ? 1 : 0) : undefined);
/** yaql's Number type: int or float, never bool. */
export const isNumber = (v: unknown): v is number | PyFloat => typeof v === 'number' || v instanceof PyFloat;
export const num = (v: number | PyFloat): number => (v instanceof PyFloat ? v.value : v);

/** A float result; integral floats are wrapped so they stay floats. */
export const mkFloat = (x: number): number | PyFloat => (Number.isInteger(x) ? new PyFloat(x) : x);

/** An int result; refused beyond 2^53, where JS numbers stop being exact and Python's ints go on. */
export function mkInt(x: number): number {
  if (!Number.isSafeInteger(x)) throw new YaqlUnsupportedError('integers beyond 2^53 (JS numbers are not exact there)');
  return x === 0 ? 0 : x;
}

export const isPlainObject = (v: unknown): v is Record<string, unknown> => {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return false;
  const proto = Object.getPrototypeOf(v);
  return proto === Object.prototype || proto === null;
};
export const isDict = (v: unknown): v is Dict => v instanceof YDict || isPlainObject(v);
export const isSequence = (v: unknown): v is readonly Value[] => Array.isArray(v);
/** yaql's Iterable type: anything iterable except strings and dicts. */
export const isIterable = (v: unknown): boolean => Array.isArray(v) || v instanceof YIter || v instanceof YIterable || v instanceof YView;

const hasOwn = (o: object, k: string): boolean => Object.prototype.hasOwnProperty.call(o, k);

/** Input data as a YAQL value: undefined is null, other non-JSON values are refused. */
export function fromJs(v: unknown): Value {
  if (v === undefined || v === null) return null;
  if (typeof v === 'string' || typeof v === 'boolean' || typeof v === 'number') return v;
  if (Array.isArray(v) || isPlainObject(v) || v instanceof PyFloat || v instanceof YDict || v instanceof YIter || v instanceof YIterable || v instanceof YView || v instanceof YScope) return v as Value;
  throw new YaqlUnsupportedError(`a value of type ${typeof v === 'object' ? (v.constructor?.name ?? 'object') : typeof v} in the data`);
}

export function dictSize(d: Dict): number {
  return d instanceof YDict ? d.entries.size : Object.keys(d).length;
}

export function* dictPairs(d: Dict): Generator<[Value, Value]> {
  if (d instanceof YDict) yield* d.entries.values();
  else for (const key of Object.keys(d)) yield [key, fromJs(d[key])];
}

const MISSING = Symbol('missing');
export function dictLookup(d: Dict, key: Value): Value | typeof MISSING {
  if (d instanceof YDict) {
    const entry = d.entries.get(hashKey(key));
    return entry ? entry[1] : MISSING;
  }
  return typeof key === 'string' && hasOwn(d, key) ? fromJs(d[key]) : MISSING;
}
export const isMissing = (v: unknown): v is typeof MISSING => v === MISSING;

/** d[key], raising KeyError as Python does. */
export function dictGet(d: Dict, key: Value): Value {
  const value = dictLookup(d, key);
  if (value === MISSING) throw new YaqlEvaluationError('KeyError', `KeyError: ${pyRepr(key)}`, key);
  return value;
}

/** Identity hashes for objects Python hashes by identity (iterators, contexts, dict_values). */
const identities = new WeakMap<object, number>();
let nextIdentity = 0;
function identity(v: object): number {
  if (!identities.has(v)) identities.set(v, (nextIdentity += 1));
  return identities.get(v)!;
}

/** A string that is equal for Python-equal hashable values (1, 1.0 and True share one). */
export function hashKey(v: Value): string {
  if (v === null) return 'N';
  if (typeof v === 'string') return 's' + v;
  if (typeof v === 'boolean') return 'n' + (v ? 1 : 0);
  if (typeof v === 'number' || v instanceof PyFloat) {
    const x = num(v);
    return 'n' + (Object.is(x, -0) ? 0 : x);
  }
  if (isPyList(v)) throw new YaqlEvaluationError('TypeError', "TypeError: unhashable type: 'list'");
  if (Array.isArray(v)) return 't[' + v.map((item) => JSON.stringify(hashKey(item))).join(',') + ']';
  if (isDict(v)) {
    const keys = [...dictPairs(v)].map(([key, value]) => JSON.stringify([hashKey(key), hashKey(value)])).sort();
    return 'd{' + keys.join(',') + '}';
  }
  if (v instanceof YIter || v instanceof YIterable || v instanceof YScope || (v instanceof YView && v.kind === 'values')) return 'o' + identity(v);
  throw new YaqlEvaluationError('TypeError', `TypeError: unhashable type: '${typeName(v)}'`);
}

export function typeName(v: Value): string {
  if (v === null) return 'NoneType';
  if (typeof v === 'boolean') return 'bool';
  if (typeof v === 'string') return 'str';
  if (isNumber(v)) return isFloat(v) ? 'float' : 'int';
  if (Array.isArray(v)) return isPyList(v) ? 'list' : 'tuple';
  if (isDict(v)) return 'dict';
  if (v instanceof YIter) return 'iterator';
  if (v instanceof YIterable) return 'iterable';
  if (v instanceof YView) return `dict_${v.kind}`;
  return 'context';
}

/** Items of an iterable (consuming an iterator, as Python does). */
export function* iterate(v: Value): Generator<Value> {
  if (Array.isArray(v)) {
    for (const item of v) yield fromJs(item);
  } else if (v instanceof YIter) {
    for (let step = v.source.next(); !step.done; step = v.source.next()) yield step.value;
  } else if (v instanceof YIterable) {
    const source = v.iterator();
    for (let step = source.next(); !step.done; step = source.next()) yield step.value;
  } else if (v instanceof YView) {
    for (const [key, value] of dictPairs(v.dict)) yield v.kind === 'keys' ? key : v.kind === 'values' ? value : [key, value];
  } else throw new YaqlEvaluationError('TypeError', `TypeError: '${typeName(v)}' object is not iterable`);
}

/** Python truthiness. */
export function truthy(v: Value): boolean {
  if (v === null || v === false) return false;
  if (v === true) return true;
  if (typeof v === 'number') return v !== 0;
  if (v instanceof PyFloat) return v.value !== 0;
  if (typeof v === 'string') return v.length > 0;
  if (Array.isArray(v)) return v.length > 0;
  if (isDict(v)) return dictSize(v) > 0;
  if (v instanceof YView) return dictSize(v.dict) > 0;
  return true;
}

const numeric = (v: Value): v is number | PyFloat | boolean => typeof v === 'boolean' || isNumber(v);
const numericValue = (v: number | PyFloat | boolean): number => (typeof v === 'boolean' ? (v ? 1 : 0) : num(v));

/** Python's ==, which yaql's `=` is. */
export function pyEquals(a: Value, b: Value): boolean {
  if (a === null || b === null) return a === b;
  if (numeric(a) && numeric(b)) return numericValue(a) === numericValue(b);
  if (typeof a === 'string' || typeof b === 'string') return a === b;
  if (Array.isArray(a) && Array.isArray(b)) {
    if (a.length !== b.length || isPyList(a) !== isPyList(b)) return false;
    return a.every((item, i) => pyEquals(fromJs(item), fromJs(b[i])));
  }
  if (isDict(a) && isDict(b)) {
    if (dictSize(a) !== dictSize(b)) return false;
    for (const [key, value] of dictPairs(a)) {
      const other = dictLookup(b, key);
      if (isMissing(other) || !pyEquals(value, other)) return false;
    }
    return true;
  }
  if (a instanceof YView || b instanceof YView) {
    if (a instanceof YView && b instanceof YView && a.kind === b.kind && a.kind !== 'values') {
      const keys = (v: YView) => new Set([...iterate(v)].map(hashKey));
      const [x, y] = [keys(a), keys(b)];
      return x.size === y.size && [...x].every((k) => y.has(k));
    }
    if (a instanceof YView && a.kind !== 'values' && b instanceof YView) throw new YaqlUnsupportedError('comparing dict views of different kinds');
    return a === b;
  }
  // Iterators and contexts compare by identity in Python.
  return a === b;
}

/** Python's repr of a float ('short' style: shortest round-trip digits). */
export function floatRepr(x: number): string {
  if (Number.isNaN(x)) return 'nan';
  if (x === Infinity) return 'inf';
  if (x === -Infinity) return '-inf';
  if (x === 0) return Object.is(x, -0) ? '-0.0' : '0.0';
  const sign = x < 0 ? '-' : '';
  const [mantissa, exponent] = Math.abs(x).toExponential().split('e');
  const digits = mantissa.replace('.', '');
  const exp = Number(exponent);
  if (exp < -4 || exp >= 16) {
    const frac = digits.length > 1 ? '.' + digits.slice(1) : '';
    return `${sign}${digits[0]}${frac}e${exp < 0 ? '-' : '+'}${String(Math.abs(exp)).padStart(2, '0')}`;
  }
  if (exp < 0) return `${sign}0.${'0'.repeat(-exp - 1)}${digits}`;
  const whole = digits.slice(0, exp + 1).padEnd(exp + 1, '0');
  return `${sign}${whole}.${digits.slice(exp + 1) || '0'}`;
}

const NON_PRINTABLE = /[\p{C}\p{Z}]/u;

/** Python's repr of a str. */
export function stringRepr(s: string): string {
  const quote = s.includes("'") && !s.includes('"') ? '"' : "'";
  let out = quote;
  for (const ch of s) {
    const code = ch.codePointAt(0)!;
    if (ch === quote || ch === '\\') out += '\\' + ch;
    else if (ch === '\n') out += '\\n';
    else if (ch === '\r') out += '\\r';
    else if (ch === '\t') out += '\\t';
    else if (ch !== ' ' && NON_PRINTABLE.test(ch)) {
      out += code < 0x100 ? '\\x' + code.toString(16).padStart(2, '0') : code < 0x10000 ? '\\u' + code.toString(16).padStart(4, '0') : '\\U' + code.toString(16).padStart(8, '0');
    } else out += ch;
  }
  return out + quote;
}

/**
 * Python's repr. Inside an expression yaql's lists are tuples (`(1, 2)`); `lists` formats them as the
 * lists yaql returns (`[1, 2]`), as Orquesta prints a result.
 */
export function pyRepr(v: Value, lists = false): string {
  if (v === null) return 'None';
  if (v === true) return 'True';
  if (v === false) return 'False';
  if (typeof v === 'string') return stringRepr(v);
  if (isNumber(v)) return isFloat(v) ? floatRepr(num(v)) : String(v);
  if (Array.isArray(v)) {
    const items = v.map((item) => pyRepr(fromJs(item), lists));
    if (lists || isPyList(v)) return `[${items.join(', ')}]`;
    return items.length === 1 ? `(${items[0]},)` : `(${items.join(', ')})`;
  }
  if (isDict(v)) return `{${[...dictPairs(v)].map(([key, value]) => `${pyRepr(key, lists)}: ${pyRepr(value, lists)}`).join(', ')}}`;
  throw new YaqlUnsupportedError(`the text of a ${typeName(v)} (Python prints an object address)`);
}

/** Python's str: a string as is, anything else as its repr. */
export const pyStr = (v: Value, lists = false): string => (typeof v === 'string' ? v : pyRepr(v, lists));

/** yaql's str(): null, true and false as YAQL spells them, the rest as Python's str. */
export function yaqlStr(v: Value): string {
  if (v === null) return 'null';
  if (v === true) return 'true';
  if (v === false) return 'false';
  return pyStr(v);
}
