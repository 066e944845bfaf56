// yaql's collection and query functions (yaql/standard_library/{collections,queries}.py).
// Queries are lazy as in Python: they return one-shot iterators (YIter) that
// later functions consume.
import { YaqlEvaluationError, YaqlUnsupportedError } from './errors';
import type { Builtin, Invocation, Lambda } from './invocation';
import { chain, compare, contains, plus } from './operators';
import { pyFind, pyLength } from './strings';
import { YDict, YIter, YIterable, YView, asInt, isPyList, pyList, dictLookup, dictPairs, dictSize, hashKey, isDict, isIterable, isMissing, isSequence, iterate, mkInt, pyEquals, truthy, type Dict, type Value } from './values';

const method = (params: string[], impl: (inv: Invocation) => Value): Builtin => ({ kind: 'method', params, impl });
const both = (params: string[], impl: (inv: Invocation) => Value): Builtin => ({ kind: 'both', params, impl });

function iterableArg(inv: Invocation, param: string | number = 0): Value {
  const value = inv.value(param);
  if (!isIterable(value)) throw inv.noMatch();
  return value;
}

function dictArg(inv: Invocation, param: string | number = 0): Dict {
  const value = inv.value(param);
  if (!isDict(value)) throw inv.noMatch();
  return value;
}

function intArg(inv: Invocation, param: string | number): number {
  const value = asInt(inv.value(param));
  if (value === undefined) throw inv.noMatch();
  return value;
}

const sliceError = () => new YaqlEvaluationError('ValueError', 'ValueError: Indices for islice() must be None or an integer: 0 <= x <= sys.maxsize.');

function lambdaArg(inv: Invocation, param: string | number): Lambda {
  const fn = inv.lambda(param);
  if (!fn) throw inv.noMatch();
  return fn;
}

/** Items of an iterable, each costing a step of the budget. */
function* items(inv: Invocation, iterable: Value): Generator<Value> {
  for (const item of iterate(iterable)) {
    inv.budget.step();
    yield item;
  }
}

const lazy = (source: Iterator<Value>): YIter => new YIter(source);

function toTuple(inv: Invocation, iterable: Value): Value[] {
  if (isSequence(iterable) && !isPyList(iterable)) return iterable as Value[];
  const out: Value[] = [];
  for (const item of items(inv, iterable)) {
    inv.budget.allocate(1);
    out.push(item);
  }
  return out;
}

const stopIteration = (message = '') => new YaqlEvaluationError('StopIteration', `StopIteration: ${message}`);

function reduce(inv: Invocation, collection: Value, fn: (a: Value, b: Value) => Value, seedParam: string): Value {
  let accumulator: Value | undefined = inv.has(seedParam) ? inv.value(seedParam) : undefined;
  for (const item of items(inv, collection)) accumulator = accumulator === undefined ? item : fn(accumulator, item);
  if (accumulator === undefined) throw new YaqlEvaluationError('TypeError', 'TypeError: reduce() of empty iterable with no initial value');
  return accumulator;
}

/**
 * orderBy().thenBy()... : an iterable whose sort keys accumulate, sorted (stably) when first
 * iterated; it can be iterated again, but is neither an iterator nor a sequence (no len()).
 */
class Ordering extends YIterable {
  private sorted: Value[] | undefined;
  constructor(
    private readonly inv: Invocation,
    private readonly collection: Value,
    readonly fields: [Lambda, boolean][],
  ) {
    super(() => this.sort()[Symbol.iterator]());
  }

  private sort(): Value[] {
    if (!this.sorted) {
      const list = [...items(this.inv, this.collection)];
      const keyed = list.map((item) => ({ item, keys: this.fields.map(([selector]) => selector(item)) }));
      keyed.sort((a, b) => {
        this.inv.budget.step();
        for (let i = 0; i < this.fields.length; i += 1) {
          const [x, y] = [a.keys[i], b.keys[i]];
          const order = compare('<', x, y) ? -1 : compare('>', x, y) ? 1 : 0;
          if (order !== 0) return this.fields[i][1] ? order : -order;
        }
        return 0;
      });
      this.sorted = keyed.map(({ item }) => item);
    }
    return this.sorted;
  }

  with(selector: Lambda, ascending: boolean): Ordering {
    this.fields.push([selector, ascending]);
    return this;
  }
}

function orderBy(ascending: boolean) {
  return method(['collection', 'selector'], (inv) => new Ordering(inv, iterableArg(inv), [[lambdaArg(inv, 'selector'), ascending]]));
}

function thenBy(ascending: boolean) {
  return method(['collection', 'selector'], (inv) => {
    const ordering = inv.value(0);
    if (!(ordering instanceof Ordering)) throw inv.noMatch();
    return ordering.with(lambdaArg(inv, 'selector'), ascending);
  });
}

/** Python's list(*args) in yaql: arguments that are iterators are spliced in. */
function listOf(inv: Invocation): Value {
  const out: Value[] = [];
  for (const arg of inv.rest(0)) {
    if (arg instanceof YIter) for (const item of items(inv, arg)) out.push(item);
    else out.push(arg);
    inv.budget.allocate(1);
  }
  return out;
}

function dictOf(inv: Invocation): Value {
  if (inv.isMethod) throw inv.noMatch();
  if (inv.mappings.length > 0) {
    if (inv.count > 0) throw inv.noMatch();
    const dict = YDict.of(inv.mappings.map(({ key, value }) => [inv.evaluate(key), inv.evaluate(value)]));
    inv.budget.allocate(dict.entries.size);
    return dict;
  }
  if (inv.count === 0) return new YDict();
  if (inv.count !== 1) throw inv.noMatch();
  const pairs: [Value, Value][] = [];
  for (const pair of items(inv, iterableArg(inv))) {
    const [key, value] = [...iterate(pair)];
    pairs.push([key, value]);
    inv.budget.allocate(1);
  }
  return YDict.of(pairs);
}

/** d.set(key, value), d.set(dict), d.set(key => value, ...); set() of a set is not implemented. */
function setOf(inv: Invocation): Value {
  if (!inv.isMethod) throw new YaqlUnsupportedError('the function set() (sets are not implemented)');
  const dict = dictArg(inv);
  let added: [Value, Value][];
  if (inv.mappings.length > 0) {
    if (inv.count > 1) throw inv.noMatch();
    added = inv.mappings.map(({ key, value }) => [inv.evaluate(key), inv.evaluate(value)]);
  } else if (inv.count === 2) added = [...dictPairs(dictArg(inv, 1))];
  else if (inv.count === 3) added = [[inv.value(1), inv.value(2)]];
  else throw inv.noMatch();
  const result = YDict.of([...dictPairs(dict), ...added]);
  inv.budget.allocate(result.entries.size);
  return result;
}

function length(inv: Invocation): Value {
  const value = inv.value(0);
  if (typeof value === 'string') return pyLength(value);
  if (isSequence(value)) return value.length;
  if (isDict(value)) return dictSize(value);
  // keys() and items() are sets to yaql (set_len); values() has no len().
  if (value instanceof YView && value.kind !== 'values') return dictSize(value.dict);
  if (value instanceof YIter) {
    let count = 0;
    for (const _ of items(inv, value)) count += 1;
    return count;
  }
  throw inv.noMatch();
}

function first(inv: Invocation): Value {
  const iterator = items(inv, iterableArg(inv));
  const step = iterator.next();
  if (!step.done) return step.value;
  if (inv.has('default')) return inv.value('default');
  throw stopIteration();
}

function last(inv: Invocation): Value {
  const collection = iterableArg(inv);
  let found: { value: Value } | undefined;
  if (isSequence(collection)) found = collection.length > 0 ? { value: iterate([collection[collection.length - 1]]).next().value as Value } : undefined;
  else for (const item of items(inv, collection)) found = { value: item };
  if (found) return found.value;
  if (inv.has('default')) return inv.value('default');
  throw stopIteration();
}

function distinct(inv: Invocation): Value {
  const collection = iterableArg(inv);
  const selector = inv.lambda('keySelector');
  return lazy(
    (function* () {
      const seen = new Set<string>();
      for (const item of items(inv, collection)) {
        const key = hashKey(selector ? selector(item) : item);
        if (!seen.has(key)) {
          seen.add(key);
          inv.budget.allocate(1);
          yield item;
        }
      }
    })(),
  );
}

/** indexOf/lastIndexOf on a collection (strings.py has the string ones). */
function collectionIndexOf(last: boolean) {
  return (inv: Invocation): Value => {
    const receiver = inv.value(0);
    if (typeof receiver === 'string') {
      const sub = inv.value('sub');
      if (typeof sub !== 'string') throw inv.noMatch();
      const start = asInt(inv.optional('start', 0));
      if (start === undefined) throw inv.noMatch();
      if (!inv.has('length')) return pyFind(receiver, sub, start, undefined, last);
      let length = asInt(inv.value('length'));
      if (length === undefined) throw inv.noMatch();
      const size = pyLength(receiver);
      const from = start < 0 ? start + size : start;
      if (length < 0) length = size - from;
      return pyFind(receiver, sub, from, from + length, last);
    }
    if (!isIterable(receiver) || inv.count !== 2) throw inv.noMatch();
    const wanted = inv.value(1);
    let index = 0;
    let found = -1;
    for (const item of items(inv, receiver)) {
      if (pyEquals(item, wanted)) {
        found = index;
        if (!last) return found;
      }
      index += 1;
    }
    return found;
  };
}

function indexWhere(last: boolean) {
  return method(['collection', 'predicate'], (inv) => {
    const predicate = lambdaArg(inv, 'predicate');
    let index = 0;
    let found = -1;
    for (const item of items(inv, iterableArg(inv))) {
      if (truthy(predicate(item))) {
        found = index;
        if (!last) return found;
      }
      index += 1;
    }
    return found;
  });
}

function range(inv: Invocation): Value {
  const [start, stop, step] = inv.count === 1 ? [0, intArg(inv, 0), 1] : [intArg(inv, 0), intArg(inv, 1), inv.has(2) ? intArg(inv, 2) : 1];
  if (step === 0) throw new YaqlEvaluationError('ValueError', 'ValueError: range() arg 3 must not be zero');
  return lazy(
    (function* () {
      for (let i = start; step > 0 ? i < stop : i > stop; i += step) {
        inv.budget.step();
        yield i;
      }
    })(),
  );
}

function zip(inv: Invocation, longest: boolean): Value {
  if (!longest && inv.mappings.length > 0) throw inv.noMatch();
  const iterators = inv.rest(0).map((collection) => {
    if (!isIterable(collection)) throw inv.noMatch();
    return items(inv, collection);
  });
  let fill: Value = null;
  if (longest) {
    for (const { key, value } of inv.mappings) {
      if (key.type !== 'keyword' || key.name !== 'default') throw inv.noMatch();
      fill = inv.evaluate(value);
    }
  }
  return lazy(
    (function* () {
      for (;;) {
        const steps = iterators.map((it) => it.next());
        if (longest ? steps.every((s) => s.done) : steps.some((s) => s.done)) return;
        yield steps.map((s) => (s.done ? fill : s.value));
      }
    })(),
  );
}

function mergeDicts(inv: Invocation, a: Dict, b: Dict, listMerger: (x: Value, y: Value) => Value, itemMerger: (x: Value, y: Value) => Value, maxLevels: number): YDict {
  const result = new YDict();
  for (const [key, value1] of dictPairs(a)) {
    inv.budget.step();
    let merged = value1;
    const value2 = dictLookup(b, key);
    if (!isMissing(value2)) {
      if (maxLevels !== 1 && isDict(value2)) {
        if (!isDict(value1)) throw new YaqlEvaluationError('TypeError', 'TypeError: Cannot merge a dict with a non-dict');
        merged = mergeDicts(inv, value1, value2, listMerger, itemMerger, maxLevels === 0 ? 0 : maxLevels - 1);
      } else if (maxLevels !== 1 && isSequence(value2)) {
        if (!isSequence(value1)) throw new YaqlEvaluationError('TypeError', 'TypeError: Cannot merge a list with a non-list');
        merged = listMerger(value1, value2);
      } else merged = itemMerger(value1, value2);
    }
    result.put(key, merged);
  }
  for (const [key, value2] of dictPairs(b)) if (!result.entries.has(hashKey(key))) result.put(key, value2);
  inv.budget.allocate(result.entries.size);
  return result;
}

const unsupported = (what: string): Builtin => ({ kind: 'both', params: ['*'], refused: what, impl: () => { throw new YaqlUnsupportedError(what); } });

export const QUERIES: Record<string, Builtin> = {
  list: { kind: 'function', params: ['*'], impl: listOf },
  flatten: method(['collection'], (inv) => {
    const flat = function* (collection: Value): Generator<Value> {
      for (const item of items(inv, collection)) {
        if (isIterable(item)) yield* flat(item);
        else yield item;
      }
    };
    return lazy(flat(iterableArg(inv)));
  }),
  toList: method(['collection'], (inv) => toTuple(inv, iterableArg(inv))),
  dict: { kind: 'both', params: ['*'], mappings: true, impl: dictOf },
  toDict: method(['collection', 'keySelector', 'valueSelector'], (inv) => {
    const keySelector = lambdaArg(inv, 'keySelector');
    const valueSelector = inv.lambda('valueSelector');
    const pairs: [Value, Value][] = [];
    for (const item of items(inv, iterableArg(inv))) {
      inv.budget.allocate(1);
      pairs.push([keySelector(item), valueSelector ? valueSelector(item) : item]);
    }
    return YDict.of(pairs);
  }),
  get: method(['dict', 'key', 'default'], (inv) => {
    const value = dictLookup(dictArg(inv), inv.value('key'));
    return isMissing(value) ? inv.optional('default', null) : value;
  }),
  set: { kind: 'method', params: ['*'], mappings: true, impl: setOf },
  keys: method(['dict'], (inv) => new YView('keys', dictArg(inv))),
  values: method(['dict'], (inv) => new YView('values', dictArg(inv))),
  items: method(['dict'], (inv) => new YView('items', dictArg(inv))),
  contains: method(['collection', 'value'], (inv) => {
    const collection = iterableArg(inv);
    return contains(inv.value('value'), collection);
  }),
  containsKey: method(['dict', 'key'], (inv) => !isMissing(dictLookup(dictArg(inv), inv.value('key')))),
  containsValue: method(['dict', 'value'], (inv) => {
    const wanted = inv.value('value');
    for (const [, value] of dictPairs(dictArg(inv))) if (pyEquals(value, wanted)) return true;
    return false;
  }),
  isList: { kind: 'function', params: ['arg'], impl: (inv) => isSequence(inv.value(0)) },
  isDict: { kind: 'function', params: ['arg'], impl: (inv) => isDict(inv.value(0)) },
  isSet: { kind: 'function', params: ['arg'], impl: (inv) => { const v = inv.value(0); return v instanceof YView && v.kind !== 'values'; } },
  isIterable: { kind: 'function', params: ['value'], impl: (inv) => isIterable(inv.value(0)) },
  len: both(['collection'], length),
  count: method(['collection'], (inv) => {
    let count = 0;
    for (const _ of items(inv, iterableArg(inv))) count += 1;
    return count;
  }),
  where: method(['collection', 'predicate'], (inv) => {
    const [collection, predicate] = [iterableArg(inv), lambdaArg(inv, 'predicate')];
    return lazy((function* () { for (const item of items(inv, collection)) if (truthy(predicate(item))) yield item; })());
  }),
  select: method(['collection', 'selector'], (inv) => {
    const [collection, selector] = [iterableArg(inv), lambdaArg(inv, 'selector')];
    return lazy((function* () { for (const item of items(inv, collection)) yield selector(item); })());
  }),
  selectMany: method(['collection', 'selector'], (inv) => {
    const [collection, selector] = [iterableArg(inv), lambdaArg(inv, 'selector')];
    return lazy(
      (function* () {
        for (const item of items(inv, collection)) {
          const inner = selector(item);
          if (isIterable(inner)) yield* items(inv, inner);
          else yield inner;
        }
      })(),
    );
  }),
  skip: method(['collection', 'count'], (inv) => {
    const [collection, count] = [iterableArg(inv), intArg(inv, 'count')];
    if (count < 0) throw sliceError();
    return lazy((function* () { let i = 0; for (const item of items(inv, collection)) if (i++ >= count) yield item; })());
  }),
  limit: method(['collection', 'count'], (inv) => {
    const [collection, count] = [iterableArg(inv), intArg(inv, 'count')];
    if (count < 0) throw sliceError();
    return lazy(
      (function* () {
        if (count <= 0) return;
        let i = 0;
        for (const item of items(inv, collection)) {
          yield item;
          if (++i >= count) return;
        }
      })(),
    );
  }),
  append: both(['collection', '*'], (inv) => chain([iterableArg(inv), inv.rest(1)])),
  distinct: both(['collection', 'keySelector'], distinct),
  enumerate: both(['collection', 'start'], (inv) => {
    const [collection, start] = [iterableArg(inv), inv.has('start') ? intArg(inv, 'start') : 0];
    return lazy((function* () { let i = start; for (const item of items(inv, collection)) yield pyList([mkInt(i++), item]); })());
  }),
  any: both(['collection', 'predicate'], (inv) => {
    const [collection, predicate] = [iterableArg(inv), inv.lambda('predicate')];
    for (const item of items(inv, collection)) if (!predicate || truthy(predicate(item))) return true;
    return false;
  }),
  all: both(['collection', 'predicate'], (inv) => {
    const [collection, predicate] = [iterableArg(inv), inv.lambda('predicate')];
    for (const item of items(inv, collection)) if (!truthy(predicate ? predicate(item) : item)) return false;
    return true;
  }),
  sum: method(['collection', 'initial'], (inv) => reduce(inv, iterableArg(inv), (a, b) => plus(a, b, inv.budget), 'initial')),
  max: method(['collection', 'initial'], (inv) => reduce(inv, iterableArg(inv), (a, b) => (compare('>', b, a) ? b : a), 'initial')),
  min: method(['collection', 'initial'], (inv) => reduce(inv, iterableArg(inv), (a, b) => (compare('>', b, a) ? a : b), 'initial')),
  first: method(['collection', 'default'], first),
  last: method(['collection', 'default'], last),
  single: method(['collection'], (inv) => {
    const iterator = items(inv, iterableArg(inv));
    const one = iterator.next();
    if (one.done) throw stopIteration();
    if (!iterator.next().done) throw stopIteration('Collection contains more than one item');
    return one.value;
  }),
  range: { kind: 'function', params: ['start', 'stop', 'step'], impl: range },
  orderBy: orderBy(true),
  orderByDescending: orderBy(false),
  thenBy: thenBy(true),
  thenByDescending: thenBy(false),
  zip: method(['*'], (inv) => zip(inv, false)),
  zipLongest: { kind: 'method', params: ['*'], mappings: true, impl: (inv) => zip(inv, true) },
  repeat: method(['value', 'times'], (inv) => {
    if (!inv.has('times')) throw new YaqlUnsupportedError('repeat() without a count (an infinite sequence)');
    const [value, times] = [inv.value(0), intArg(inv, 'times')];
    return lazy((function* () { for (let i = 0; i < times; i += 1) { inv.budget.step(); yield value; } })());
  }),
  takeWhile: method(['collection', 'predicate'], (inv) => {
    const [collection, predicate] = [iterableArg(inv), lambdaArg(inv, 'predicate')];
    return lazy((function* () { for (const item of items(inv, collection)) { if (!truthy(predicate(item))) return; yield item; } })());
  }),
  skipWhile: method(['collection', 'predicate'], (inv) => {
    const [collection, predicate] = [iterableArg(inv), lambdaArg(inv, 'predicate')];
    return lazy(
      (function* () {
        let skipping = true;
        for (const item of items(inv, collection)) {
          if (skipping && truthy(predicate(item))) continue;
          skipping = false;
          yield item;
        }
      })(),
    );
  }),
  indexOf: { kind: 'method', params: ['string', 'sub', 'start', 'length'], impl: collectionIndexOf(false) },
  lastIndexOf: { kind: 'method', params: ['string', 'sub', 'start', 'length'], impl: collectionIndexOf(true) },
  indexWhere: indexWhere(false),
  lastIndexWhere: indexWhere(true),
  aggregate: method(['collection', 'selector', 'seed'], (inv) => {
    const selector = lambdaArg(inv, 'selector');
    return reduce(inv, iterableArg(inv), (a, b) => selector(a, b), 'seed');
  }),
  // Python's reversed(): an iterator, not a tuple.
  reverse: method(['collection'], (inv) => lazy([...toTuple(inv, iterableArg(inv))].reverse()[Symbol.iterator]())),
  mergeWith: method(['dict', 'another', 'listMerger', 'itemMerger', 'maxLevels'], (inv) => {
    const listMerger = inv.lambda('listMerger') ?? ((x: Value, y: Value) => toTuple(inv, distinct_(inv, plus(x, y, inv.budget))));
    const itemMerger = inv.lambda('itemMerger') ?? ((_x: Value, y: Value) => y);
    const maxLevels = inv.has('maxLevels') ? intArg(inv, 'maxLevels') : 0;
    return mergeDicts(inv, dictArg(inv), dictArg(inv, 'another'), listMerger, itemMerger, maxLevels);
  }),
  defaultIfEmpty: method(['collection', 'default'], (inv) => {
    const collection = iterableArg(inv);
    iterableArg(inv, 'default');
    if (isSequence(collection)) return collection.length === 0 ? inv.value('default') : collection;
    if (collection instanceof YView) return dictSize(collection.dict) === 0 ? inv.value('default') : collection;
    const list = toTuple(inv, collection);
    return list.length === 0 ? inv.value('default') : lazy(list[Symbol.iterator]());
  }),
  // Left out on purpose: infinite or set-based sequences, and list editing whose laziness is subtle.
  sequence: unsupported('the function sequence() (an infinite sequence)'),
  cycle: unsupported('the function cycle() (an infinite sequence)'),
  generate: unsupported('the function generate()'),
  generateMany: unsupported('the function generateMany()'),
  groupBy: unsupported('the function groupBy()'),
  join: unsupported('join()'),
  memorize: unsupported('the function memorize()'),
  accumulate: unsupported('the function accumulate()'),
  slice: unsupported('the function slice()'),
  splitWhere: unsupported('the function splitWhere()'),
  sliceWhere: unsupported('the function sliceWhere()'),
  splitAt: unsupported('the function splitAt()'),
  delete: unsupported('the function delete()'),
  deleteAll: unsupported('the function deleteAll()'),
  insert: unsupported('the function insert()'),
  insertMany: unsupported('the function insertMany()'),
  replaceMany: unsupported('the function replaceMany()'),
};
QUERIES.filter = QUERIES.where;
QUERIES.map = QUERIES.select;
QUERIES.take = QUERIES.limit;
QUERIES.reduce = QUERIES.aggregate;

/** distinct() over a value, for mergeWith's default list merger. */
function distinct_(inv: Invocation, collection: Value): Value {
  const seen = new Set<string>();
  const out: Value[] = [];
  for (const item of items(inv, collection)) {
    const key = hashKey(item);
    if (!seen.has(key)) {
      seen.add(key);
      out.push(item);
    }
  }
  return out;
}

