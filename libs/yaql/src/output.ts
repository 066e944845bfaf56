// What an evaluation returns: yaql's finalizer turns iterators into lists
// (utils.convert_output_data); the caller gets JSON-like data.
import type { Budget } from './budget';
import { YaqlEvaluationError, YaqlUnsupportedError } from './errors';
import { PyFloat, YDict, YIter, YIterable, YScope, YView, dictPairs, fromJs, isPlainObject, iterate, pyStr, type Value } from './values';

/**
 * The caller's data and variables are plain JSON already: handing them (back) to a function or as a
 * result needs no walk over them, which matters when ctx() is called once per item of a big context.
 */
const callerData = new WeakSet<object>();
export function trustAsPlain(value: unknown): void {
  if (typeof value === 'object' && value !== null && (Array.isArray(value) || isPlainObject(value))) callerData.add(value);
}

/** Iterators and views as lists, recursively; a context object (a `let` without `->`) is refused. */
export function materialize(value: Value, budget: Budget): Value {
  budget.step();
  if (typeof value === 'object' && value !== null && callerData.has(value)) return value;
  if (value instanceof YIter || value instanceof YIterable || value instanceof YView) {
    if (value instanceof YView && value.kind === 'items') throw new YaqlUnsupportedError("dict items() as a result (yaql fails on it: unhashable type 'list')");
    const items: Value[] = [];
    for (const item of iterate(value)) {
      budget.allocate(1);
      items.push(materialize(item, budget));
    }
    return items;
  }
  if (Array.isArray(value)) return value.some((item) => needsWork(item)) ? value.map((item) => materialize(fromJs(item), budget)) : value;
  if (value instanceof YDict) {
    // yaql's output turns a tuple (or iterator) key into a list, which Python cannot hash.
    if ([...value.entries.values()].some(([key]) => Array.isArray(key) || key instanceof YIter || key instanceof YIterable || key instanceof YView)) throw new YaqlEvaluationError('TypeError', "TypeError: unhashable type: 'list'");
    return YDict.of([...value.entries.values()].map(([key, item]) => [key, materialize(item, budget)]));
  }
  if (isPlainObject(value)) return Object.values(value).some((item) => needsWork(item)) ? YDict.of([...dictPairs(value)].map(([key, item]) => [key, materialize(item, budget)])) : value;
  if (value instanceof YScope) throw new YaqlUnsupportedError('a context object (let() or with() without ->) as a result');
  return value;
}

/** Whether input data holds something other than plain JSON (only values YAQL built do). */
function needsWork(value: unknown): boolean {
  if (typeof value !== 'object' || value === null) return false;
  if (Array.isArray(value)) return value.some(needsWork);
  if (isPlainObject(value)) return Object.values(value).some(needsWork);
  return true;
}

/** JSON's spelling of a non-string key, as Python's json.dumps writes it. */
function keyText(key: Value): string {
  if (typeof key === 'string') return key;
  if (key === null) return 'null';
  if (typeof key === 'boolean') return key ? 'true' : 'false';
  if (typeof key === 'number' || key instanceof PyFloat) return pyStr(key);
  throw new YaqlUnsupportedError('a dict key that is not a string, number, boolean or null in a result');
}

/** A materialized value as plain data: floats become numbers, dicts plain objects. */
export function toJs(value: Value, budget: Budget): unknown {
  const done = materialize(value, budget);
  return plain(done);
}

function plain(value: unknown): unknown {
  if (typeof value === 'object' && value !== null && callerData.has(value)) return value;
  if (value instanceof PyFloat) return value.value;
  if (Array.isArray(value)) return value.some((item) => needsWork(item)) ? value.map(plain) : value;
  if (value instanceof YDict || (isPlainObject(value) && needsWork(value))) {
    const out: Record<string, unknown> = {};
    const pairs = value instanceof YDict ? [...value.entries.values()] : Object.entries(value as Record<string, unknown>);
    for (const [key, item] of pairs) Object.defineProperty(out, keyText(key as Value), { value: plain(item), enumerable: true, writable: true, configurable: true });
    return out;
  }
  return value;
}
