// The standard library this evaluator implements, by YAQL name, and the names yaql has that it refuses.
import { CORE } from './builtins-core';
import { QUERIES } from './builtins-queries';
import { STRINGS } from './builtins-strings';
import type { Builtin } from './invocation';

/** join, indexOf and lastIndexOf exist for strings and for collections: one entry dispatches on the arguments. */
export const BUILTINS: Record<string, Builtin> = {
  ...CORE,
  ...QUERIES,
  ...STRINGS,
  join: { kind: 'method', params: ['sequence', 'separator', 'predicate', 'selector'], impl: (inv) => (inv.count <= 2 ? STRINGS.join.impl(inv) : QUERIES.join.impl(inv)) },
  indexOf: QUERIES.indexOf,
  lastIndexOf: QUERIES.lastIndexOf,
  len: QUERIES.len,
  // max(a, b) and min(a, b) (math.py) next to collection.max() and collection.min() (queries.py).
  max: { ...CORE.max, kind: 'both', forMethod: QUERIES.max },
  min: { ...CORE.min, kind: 'both', forMethod: QUERIES.min },
};

/**
 * Functions of yaql's standard library that are not implemented: calling one is refused as
 * unsupported (never "unknown function"). Regular expressions, dates and times, sets, delegates
 * (def, call, lambda) and random numbers (not deterministic) are left out.
 */
export const UNSUPPORTED_FUNCTIONS = new Set([
  // regex.py
  'regex', 'matches', 'search', 'searchAll', 'split', 'replace', 'replaceBy', 'escapeRegex', 'isRegex',
  // date_time.py
  'datetime', 'timespan', 'now', 'localtz', 'utctz', 'isDatetime', 'isTimespan', 'format', 'startOfDay', 'timestamp',
  // system.py, math.py
  'def', 'call', 'lambda', 'unpack', 'random',
  // collections.py sets
  'toSet', 'union', 'intersect', 'difference', 'symmetricDifference', 'add', 'remove', 'set',
  // yaqlized.py
  'yaqlize',
  'characters',
]);
