// yaql's operators on Python values (yaql/standard_library/{math,common,strings,collections,boolean}.py):
// each overload yaql registers, and NoMatchingFunctionException for any other argument types.
import type { Budget } from './budget';
import { YaqlEvaluationError, YaqlUnsupportedError } from './errors';
import { compareCodePoints } from './strings';
import { YDict, YIter, YView, asInt, isPyList, pyList, dictPairs, isDict, isFloat, isInt, isIterable, isNumber, isSequence, iterate, mkFloat, mkInt, num, pyEquals, type Value } from './values';

export const noMatch = (name: string): YaqlEvaluationError =>
  new YaqlEvaluationError('NoMatchingFunctionException', `No function "${name}" matches supplied arguments`);

const zeroDivision = (message: string): YaqlEvaluationError => new YaqlEvaluationError('ZeroDivisionError', `ZeroDivisionError: ${message}`);

function intOp(a: number, b: number, op: (x: bigint, y: bigint) => bigint): number {
  return mkInt(Number(op(BigInt(a), BigInt(b))));
}

/** Python's int // and %. */
export function floorDiv(a: number, b: number): number {
  if (b === 0) throw zeroDivision('integer division or modulo by zero');
  return intOp(a, b, (x, y) => {
    const q = x / y;
    return (x % y !== 0n && (x < 0n) !== (y < 0n)) ? q - 1n : q;
  });
}

export function intMod(a: number, b: number): number {
  if (b === 0) throw zeroDivision('integer division or modulo by zero');
  return intOp(a, b, (x, y) => {
    const r = x % y;
    return r !== 0n && (r < 0n) !== (y < 0n) ? r + y : r;
  });
}

function floatMod(a: number, b: number): number | import('./values').PyFloat {
  if (b === 0) throw zeroDivision('float modulo');
  let r = a % b;
  if (r !== 0 && (r < 0) !== (b < 0)) r += b;
  else if (r === 0) r = b < 0 ? -0 : 0;
  return mkFloat(r);
}

function arithmetic(op: string, a: Value, b: Value): Value {
  if (!isNumber(a) || !isNumber(b)) throw noMatch(`#operator_${op}`);
  const ints = isInt(a) && isInt(b);
  const x = num(a);
  const y = num(b);
  switch (op) {
    case '+':
      return ints ? mkInt(x + y) : mkFloat(x + y);
    case '-':
      return ints ? mkInt(x - y) : mkFloat(x - y);
    case '*':
      return ints ? intOp(x, y, (p, q) => p * q) : mkFloat(x * y);
    case '/':
      if (ints) return floorDiv(x, y);
      if (y === 0) throw zeroDivision('float division by zero');
      return mkFloat(x / y);
    default:
      return ints ? intMod(x, y) : floatMod(x, y);
  }
}

/** `+`: numbers, two strings, two iterables (tuples stay tuples), two dicts. */
export function plus(a: Value, b: Value, budget: Budget): Value {
  if (isNumber(a) && isNumber(b)) return arithmetic('+', a, b);
  if (typeof a === 'string' && typeof b === 'string') {
    budget.allocate(a.length + b.length);
    return a + b;
  }
  // tuple + tuple is a tuple; any other two iterables chain into an iterator (collections.combine_lists).
  if (isSequence(a) && isSequence(b) && !isPyList(a) && !isPyList(b)) {
    budget.allocate(a.length + b.length);
    return [...a, ...b];
  }
  if (isIterable(a) && isIterable(b)) return chain([a, b]);
  if (isDict(a) && isDict(b)) {
    const result = YDict.of([...dictPairs(a), ...dictPairs(b)]);
    budget.allocate(result.entries.size);
    return result;
  }
  throw noMatch('#operator_+');
}

/** Iterables chained lazily (itertools.chain). */
export function chain(iterables: Value[]): YIter {
  return new YIter(
    (function* () {
      for (const iterable of iterables) yield* iterate(iterable);
    })(),
  );
}

function repeat(sequence: string | readonly Value[], times: number, budget: Budget): Value {
  const count = Math.max(times, 0);
  budget.allocate(sequence.length * count);
  if (typeof sequence === 'string') return sequence.repeat(count);
  const result: Value[] = [];
  for (let i = 0; i < count; i += 1) result.push(...sequence);
  return isPyList(sequence) ? pyList(result) : result;
}

export function times(a: Value, b: Value, budget: Budget): Value {
  if (isNumber(a) && isNumber(b)) return arithmetic('*', a, b);
  if ((typeof a === 'string' || isSequence(a)) && asInt(b) !== undefined) return repeat(a, asInt(b)!, budget);
  if (asInt(a) !== undefined && (typeof b === 'string' || isSequence(b))) return repeat(b, asInt(a)!, budget);
  throw noMatch('#operator_*');
}

export const minus = (a: Value, b: Value): Value => arithmetic('-', a, b);
export const divide = (a: Value, b: Value): Value => arithmetic('/', a, b);
export const modulo = (a: Value, b: Value): Value => arithmetic('mod', a, b);

export function negate(op: string, a: Value): Value {
  if (!isNumber(a)) throw noMatch(`#unary_operator_${op}`);
  if (op === '+') return a;
  return isFloat(a) ? mkFloat(-num(a)) : mkInt(-num(a));
}

/** `<`, `<=`, `>`, `>=`: numbers, strings (by code point), and null against anything. */
export function compare(op: string, a: Value, b: Value): boolean {
  let sign: number;
  if (a === null || b === null) {
    if (a === null && b === null) return op === '<=' || op === '>=';
    sign = a === null ? -1 : 1;
  } else if (isNumber(a) && isNumber(b)) {
    const x = num(a);
    const y = num(b);
    if (Number.isNaN(x) || Number.isNaN(y)) return false;
    sign = x < y ? -1 : x > y ? 1 : 0;
  } else if (typeof a === 'string' && typeof b === 'string') {
    sign = compareCodePoints(a, b);
  } else throw noMatch(`#operator_${op}`);
  switch (op) {
    case '<':
      return sign < 0;
    case '<=':
      return sign <= 0;
    case '>':
      return sign > 0;
    default:
      return sign >= 0;
  }
}

/** `in`: a substring of a string, or an item of an iterable (consuming an iterator up to it). */
export function contains(item: Value, collection: Value): boolean {
  if (typeof item === 'string' && typeof collection === 'string') return collection.includes(item);
  if (!isIterable(collection)) throw noMatch('#operator_in');
  if (collection instanceof YView && collection.kind === 'items') throw new YaqlUnsupportedError('`in` on dict items()');
  for (const candidate of iterate(collection)) if (pyEquals(candidate, item)) return true;
  return false;
}

/** `lst[index]` with Python's negative indexes. */
export function indexSequence(sequence: readonly Value[], position: Value): Value {
  const index = asInt(position);
  if (index === undefined) throw noMatch('#indexer');
  const at = index < 0 ? sequence.length + index : index;
  if (at < 0 || at >= sequence.length) throw new YaqlEvaluationError('IndexError', 'IndexError: tuple index out of range');
  return sequence[at] === undefined ? null : sequence[at];
}

export function unsupportedOperator(op: string): YaqlUnsupportedError {
  return new YaqlUnsupportedError(`the ${op} operator`);
}
