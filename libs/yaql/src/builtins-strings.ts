// yaql's string functions (yaql/standard_library/strings.py).
import { YaqlEvaluationError, YaqlUnsupportedError } from './errors';
import type { Builtin, Invocation } from './invocation';
import { chain as chainOf } from './operators';
import { pyFind, pyLength, pyReplace, pySlice, pySplit, pyStrip } from './strings';
import { asInt, dictPairs, pyList, isDict, isInt, isIterable, isNumber, iterate, mkInt, yaqlStr, type Value } from './values';

function stringArg(inv: Invocation, param: string | number): string {
  const value = inv.value(param);
  if (typeof value !== 'string') throw inv.noMatch();
  return value;
}

function optionalString(inv: Invocation, param: string): string | null {
  const value = inv.optional(param, null);
  if (value !== null && typeof value !== 'string') throw inv.noMatch();
  return value;
}

function optionalInt(inv: Invocation, param: string, fallback: number): number {
  const value = asInt(inv.optional(param, fallback));
  if (value === undefined) throw inv.noMatch();
  return value;
}

function made(inv: Invocation, text: string): string {
  inv.budget.allocate(text.length);
  return text;
}

const method = (params: string[], impl: (inv: Invocation) => Value): Builtin => ({ kind: 'method', params, impl });

function split(fromRight: boolean) {
  return method(['string', 'separator', 'maxSplits'], (inv) => {
    const separator = optionalString(inv, 'separator');
    if (separator === '') throw new YaqlEvaluationError('ValueError', 'ValueError: empty separator');
    return pyList(pySplit(stringArg(inv, 0), separator, optionalInt(inv, 'maxSplits', -1), fromRight));
  });
}

function strip(left: boolean, right: boolean) {
  return method(['string', 'chars'], (inv) => pyStrip(stringArg(inv, 0), optionalString(inv, 'chars'), left, right));
}

/** sequence.join(separator) and separator.join(sequence); items go through str(). */
function join(inv: Invocation): Value {
  const [first, second] = [inv.value(0), inv.value(1)];
  const [sequence, separator] = typeof first === 'string' && isIterable(second) ? [second, first] : [first, second];
  if (!isIterable(sequence) || typeof separator !== 'string') throw inv.noMatch();
  const parts: string[] = [];
  for (const item of iterate(sequence)) {
    inv.budget.step();
    const text = yaqlStr(item);
    inv.budget.allocate(text.length + separator.length);
    parts.push(text);
  }
  return parts.join(separator);
}

function indexOf(last: boolean) {
  return method(['string', 'sub', 'start', 'length'], (inv) => {
    const string = stringArg(inv, 0);
    const sub = stringArg(inv, 'sub');
    let start = optionalInt(inv, 'start', 0);
    if (!inv.has('length')) return pyFind(string, sub, start, undefined, last);
    let length = optionalInt(inv, 'length', -1);
    const size = pyLength(string);
    if (start < 0) start += size;
    if (length < 0) length = size - start;
    return pyFind(string, sub, start, start + length, last);
  });
}

function affix(ends: boolean) {
  return method(['string', '*'], (inv) => {
    const string = stringArg(inv, 0);
    const affixes = inv.rest(1);
    if (affixes.some((a) => typeof a !== 'string')) throw inv.noMatch();
    return (affixes as string[]).some((a) => (ends ? string.endsWith(a) : string.startsWith(a)));
  });
}

export const STRINGS: Record<string, Builtin> = {
  concat: {
    // strings.concat for strings; queries.concat chains iterables.
    kind: 'both',
    params: ['*'],
    impl: (inv) => {
      const args = inv.rest(0);
      if (args.length === 0) throw inv.noMatch();
      if (args.every((a) => typeof a === 'string')) return made(inv, (args as string[]).join(''));
      if (args.every(isIterable) && inv.count > 0) return chainOf(args);
      throw inv.noMatch();
    },
  },
  toUpper: method(['string'], (inv) => made(inv, stringArg(inv, 0).toUpperCase())),
  toLower: method(['string'], (inv) => made(inv, stringArg(inv, 0).toLowerCase())),
  split: split(false),
  rightSplit: split(true),
  join: { kind: 'method', params: ['sequence', 'separator'], impl: join },
  str: { kind: 'function', params: ['value'], impl: (inv) => made(inv, yaqlStr(inv.value(0))) },
  trim: strip(true, true),
  trimLeft: strip(true, false),
  trimRight: strip(false, true),
  norm: {
    kind: 'both',
    params: ['string', 'chars'],
    impl: (inv) => {
      const value = inv.value(0);
      if (value === null) return null;
      if (typeof value !== 'string') throw inv.noMatch();
      const stripped = pyStrip(value, optionalString(inv, 'chars'), true, true);
      return stripped === '' ? null : stripped;
    },
  },
  isEmpty: {
    kind: 'both',
    params: ['string', 'trimSpaces', 'chars'],
    impl: (inv) => {
      const value = inv.value(0);
      if (value === null) return true;
      if (typeof value !== 'string') throw inv.noMatch();
      const trim = inv.optional('trimSpaces', true);
      if (typeof trim !== 'boolean') throw inv.noMatch();
      return (trim ? pyStrip(value, optionalString(inv, 'chars'), true, true) : value) === '';
    },
  },
  replace: method(['string', 'old', 'new', 'count'], (inv) => {
    if (isIterable(inv.value(0))) throw new YaqlUnsupportedError('the function replace() on a collection');
    const string = stringArg(inv, 0);
    const old = inv.value('old');
    if (isDict(old)) {
      // replace(replacements, count): the second positional is the count.
      if (inv.has('count')) throw inv.noMatch();
      const count = optionalInt(inv, 'new', -1);
      let result = string;
      for (const [key, value] of dictPairs(old)) result = made(inv, pyReplace(result, yaqlStr(key), yaqlStr(value), count));
      return result;
    }
    if (typeof old !== 'string') throw inv.noMatch();
    return made(inv, pyReplace(string, old, stringArg(inv, 'new'), optionalInt(inv, 'count', -1)));
  }),
  substring: method(['string', 'start', 'length'], (inv) => {
    const string = stringArg(inv, 0);
    let start = optionalInt(inv, 'start', 0);
    let length = optionalInt(inv, 'length', -1);
    const size = pyLength(string);
    if (!inv.has('start')) throw inv.noMatch();
    if (length < 0) length = size;
    if (start < 0) start += size;
    return pySlice(string, start, start + length);
  }),
  indexOf: indexOf(false),
  lastIndexOf: indexOf(true),
  toCharArray: method(['string'], (inv) => Array.from(stringArg(inv, 0))),
  isString: { kind: 'function', params: ['arg'], impl: (inv) => typeof inv.value(0) === 'string' },
  startsWith: affix(false),
  endsWith: affix(true),
  hex: {
    kind: 'function',
    params: ['num'],
    impl: (inv) => {
      const value = inv.value(0);
      if (!isInt(value)) {
        if (value === null || isNumber(value)) throw new YaqlEvaluationError('TypeError', `TypeError: object cannot be interpreted as an integer`);
        throw inv.noMatch();
      }
      return (value < 0 ? '-0x' : '0x') + Math.abs(mkInt(value)).toString(16);
    },
  },
};
