// yaql's system, boolean, branching and math functions
// (yaql/standard_library/{system,boolean,branching,math}.py).
import { YaqlEvaluationError, YaqlUnsupportedError } from './errors';
import type { Builtin, Invocation } from './invocation';
import { compare } from './operators';
import { roundFloat } from './rounding';
import { PyFloat, YIter, asInt, YScope, isFloat, iterate, isInt, isNumber, mkFloat, mkInt, num, truthy, type Value } from './values';
import { variableName } from './variables';

const valueError = (message: string) => new YaqlEvaluationError('ValueError', `ValueError: ${message}`);
const typeError = (message: string) => new YaqlEvaluationError('TypeError', `TypeError: ${message}`);

function numberArg(inv: Invocation, param: string | number): number | PyFloat {
  const value = inv.value(param);
  if (!isNumber(value)) throw inv.noMatch();
  return value;
}

function intArg(inv: Invocation, param: string | number): number {
  const value = asInt(inv.value(param));
  if (value === undefined) throw inv.noMatch();
  return value;
}

/** let(args, name => value): a context with $1.. and $name set, for `->`. */
function scopeOf(inv: Invocation): YScope {
  const vars = new Map<string, Value>();
  inv.rest(0).forEach((value, i) => vars.set(`$${i + 1}`, value));
  for (const { key, value } of inv.mappings) {
    if (key.type !== 'keyword') throw inv.noMatch();
    vars.set(variableName(key.name), inv.evaluate(value));
  }
  return new YScope(vars);
}

const PY_INT = /^[\s]*[+-]?\d+(?:_\d+)*[\s]*$/;
const PY_FLOAT = /^[+-]?(?:(?:\d(?:_?\d)*)?\.\d(?:_?\d)*|\d(?:_?\d)*\.?)(?:[eE][+-]?\d(?:_?\d)*)?$/;
const PY_FLOAT_SPECIAL = /^([+-]?)(inf|infinity|nan)$/i;

function toInt(value: Value): number {
  if (value === null) return 0;
  if (typeof value === 'boolean') return value ? 1 : 0;
  if (isNumber(value)) {
    const x = num(value);
    if (Number.isNaN(x)) throw valueError('cannot convert float NaN to integer');
    if (!Number.isFinite(x)) throw new YaqlEvaluationError('OverflowError', 'OverflowError: cannot convert float infinity to integer');
    return mkInt(Math.trunc(x));
  }
  if (typeof value === 'string') {
    if (!PY_INT.test(value)) throw valueError(`invalid literal for int() with base 10: '${value}'`);
    return mkInt(Number(value.trim().replace(/_/g, '')));
  }
  throw typeError(`int() argument must be a string, a bytes-like object or a real number`);
}

function toFloat(value: Value): number | PyFloat {
  if (value === null) return new PyFloat(0);
  if (typeof value === 'boolean') return new PyFloat(value ? 1 : 0);
  if (isNumber(value)) return mkFloat(num(value));
  if (typeof value === 'string') {
    const text = value.trim();
    const special = PY_FLOAT_SPECIAL.exec(text);
    if (special) return special[2].toLowerCase() === 'nan' ? NaN : special[1] === '-' ? -Infinity : Infinity;
    if (!PY_FLOAT.test(text)) throw valueError(`could not convert string to float: '${value}'`);
    return mkFloat(Number(text.replace(/_/g, '')));
  }
  throw typeError(`float() argument must be a string or a real number`);
}

/** A finite double as mantissa * 2^exponent, both integers. */
function decompose(x: number): { mantissa: bigint; exponent: number } {
  const view = new DataView(new ArrayBuffer(8));
  view.setFloat64(0, Math.abs(x));
  const bits = view.getBigUint64(0);
  const biased = Number((bits >> 52n) & 0x7ffn);
  const fraction = bits & ((1n << 52n) - 1n);
  return biased === 0 ? { mantissa: fraction, exponent: -1074 } : { mantissa: fraction | (1n << 52n), exponent: biased - 1075 };
}

/** numerator / denominator as a double, when it is exactly one; undefined otherwise. */
function exactRatio(numerator: bigint, denominator: bigint): number | undefined {
  let [p, q] = [numerator, denominator];
  let exponent = 0;
  while (q % 2n === 0n) [q, exponent] = [q / 2n, exponent - 1];
  if (p % q !== 0n) return undefined;
  p /= q;
  while (p !== 0n && p % 2n === 0n) [p, exponent] = [p / 2n, exponent + 1];
  if (p.toString(2).length > 53) return undefined;
  const value = Number(p) * Math.pow(2, Math.trunc(exponent / 2)) * Math.pow(2, exponent - Math.trunc(exponent / 2));
  const back = decompose(value);
  const exact = back.exponent >= exponent ? back.mantissa << BigInt(back.exponent - exponent) === p : p << BigInt(exponent - back.exponent) === back.mantissa;
  if (!Number.isFinite(value)) throw new YaqlEvaluationError('OverflowError', "OverflowError: (34, 'Numerical result out of range')");
  return exact ? value : undefined;
}

/**
 * x ** n for an integral n, when the result is exactly a double. C's pow() (which Python uses)
 * rounds inexact results in ways Math.pow does not reproduce (123456789.0 ** 2), so those are refused.
 */
function exactPower(x: number, n: number): number {
  if (Math.abs(n) > 2048) throw new YaqlUnsupportedError('pow() of a float to an integer beyond 2048');
  const { mantissa, exponent } = decompose(x);
  const sign = x < 0 && n % 2 !== 0 ? -1 : 1;
  const power = mantissa ** BigInt(Math.abs(n));
  const scale = exponent * Math.abs(n);
  const [up, down] = scale >= 0 ? [power << BigInt(scale), 1n] : [power, 1n << BigInt(-scale)];
  const value = n >= 0 ? exactRatio(up, down) : exactRatio(down, up);
  if (value === undefined) throw new YaqlUnsupportedError('pow() of a float whose result is not exactly a float (C and JS round it differently)');
  return sign * value;
}

const bitwise = (op: (a: bigint, b: bigint) => bigint): Builtin => ({
  kind: 'function',
  params: ['left', 'right'],
  impl: (inv) => mkInt(Number(op(BigInt(intArg(inv, 0)), BigInt(intArg(inv, 1))))),
});

export const CORE: Record<string, Builtin> = {
  let: { kind: 'function', params: ['*'], mappings: true, impl: scopeOf },
  with: {
    kind: 'function',
    params: ['*'],
    impl: (inv) => {
      const vars = new Map<string, Value>();
      inv.rest(0).forEach((value, i) => vars.set(`$${i + 1}`, value));
      return new YScope(vars);
    },
  },
  assert: {
    kind: 'method',
    params: ['obj', 'condition', 'message'],
    impl: (inv) => {
      let obj = inv.value(0);
      // An iterator is memorized first (utils.memorize), so the condition does not consume it.
      let replay = (): Value => obj;
      if (obj instanceof YIter) {
        const items = [...iterate(obj)];
        inv.budget.allocate(items.length);
        replay = () => new YIter(items[Symbol.iterator]());
        obj = replay();
      }
      if (!truthy(inv.lambda('condition')!(replay()))) {
        const message = inv.optional('message', 'Assertion failed');
        if (typeof message !== 'string') throw inv.noMatch();
        throw new YaqlEvaluationError('AssertionError', `AssertionError: ${message}`);
      }
      return obj;
    },
  },
  bool: { kind: 'function', params: ['value'], impl: (inv) => truthy(inv.value(0)) },
  isBoolean: { kind: 'function', params: ['value'], impl: (inv) => typeof inv.value(0) === 'boolean' },
  switch: {
    kind: 'function',
    params: [],
    mappings: true,
    impl: (inv) => {
      for (const { key, value } of inv.mappings) if (truthy(inv.evaluate(key))) return inv.evaluate(value);
      return null;
    },
  },
  selectCase: {
    kind: 'function',
    params: ['*'],
    lazyRest: true,
    impl: (inv) => {
      let index = 0;
      for (; index < inv.count; index += 1) if (truthy(inv.lambda(index)!())) return index;
      return index;
    },
  },
  selectAllCases: {
    kind: 'function',
    params: ['*'],
    lazyRest: true,
    impl: (inv) =>
      new YIter(
        (function* () {
          for (let i = 0; i < inv.count; i += 1) if (truthy(inv.lambda(i)!())) yield i;
        })(),
      ),
  },
  examine: {
    kind: 'function',
    params: ['*'],
    lazyRest: true,
    impl: (inv) =>
      new YIter(
        (function* () {
          for (let i = 0; i < inv.count; i += 1) yield truthy(inv.lambda(i)!());
        })(),
      ),
  },
  switchCase: {
    kind: 'method',
    params: ['case', '*'],
    lazyRest: true,
    impl: (inv) => {
      const which = intArg(inv, 0);
      const cases = inv.count - 1;
      if (cases === 0) return null;
      return inv.lambda(0 <= which && which < cases ? which + 1 : cases)!();
    },
  },
  coalesce: {
    kind: 'function',
    params: ['*'],
    lazyRest: true,
    impl: (inv) => {
      for (let i = 0; i < inv.count; i += 1) {
        const value = inv.lambda(i)!();
        if (value !== null) return value;
      }
      return null;
    },
  },
  abs: { kind: 'function', params: ['op'], impl: (inv) => { const x = numberArg(inv, 0); return isFloat(x) ? mkFloat(Math.abs(num(x))) : mkInt(Math.abs(num(x))); } },
  int: { kind: 'function', params: ['value'], impl: (inv) => toInt(inv.value(0)) },
  float: { kind: 'function', params: ['value'], impl: (inv) => toFloat(inv.value(0)) },
  bitwiseAnd: bitwise((a, b) => a & b),
  bitwiseOr: bitwise((a, b) => a | b),
  bitwiseXor: bitwise((a, b) => a ^ b),
  bitwiseNot: { kind: 'function', params: ['arg'], impl: (inv) => mkInt(~intArg(inv, 0)) },
  shiftBitsLeft: bitwise((a, b) => { if (b < 0n) throw valueError('negative shift count'); return a << b; }),
  shiftBitsRight: bitwise((a, b) => { if (b < 0n) throw valueError('negative shift count'); return a >> b; }),
  max: { kind: 'function', params: ['a', 'b'], impl: (inv) => { const [a, b] = [inv.value(0), inv.value(1)]; return compare('>', b, a) ? b : a; } },
  min: { kind: 'function', params: ['a', 'b'], impl: (inv) => { const [a, b] = [inv.value(0), inv.value(1)]; return compare('>', b, a) ? a : b; } },
  pow: {
    kind: 'function',
    params: ['a', 'b', 'c'],
    impl: (inv) => {
      const a = numberArg(inv, 0);
      const b = numberArg(inv, 1);
      if (inv.optional('c', null) !== null) throw new YaqlUnsupportedError('pow() with a modulus');
      if (isInt(a) && isInt(b) && b >= 0) return mkInt(Number(BigInt(a) ** BigInt(b)));
      const [x, y] = [num(a), num(b)];
      if (x === 0 && y < 0) throw new YaqlEvaluationError('ZeroDivisionError', 'ZeroDivisionError: 0.0 cannot be raised to a negative power');
      if (Number.isInteger(y) && Number.isFinite(x) && x !== 0) return mkFloat(exactPower(x, y));
      if (x === 0) return mkFloat(y === 0 ? 1 : 0);
      // sqrt is correctly rounded in C and JS alike; other fractional powers are not.
      if (y === 0.5 && x >= 0 && Number.isFinite(x)) return mkFloat(Math.sqrt(x));
      throw new YaqlUnsupportedError('pow() to a fractional power other than 0.5');
    },
  },
  sign: { kind: 'function', params: ['num'], impl: (inv) => { const x = num(numberArg(inv, 0)); return x > 0 ? 1 : x < 0 ? -1 : 0; } },
  round: {
    kind: 'function',
    params: ['number', 'ndigits'],
    impl: (inv) => {
      const value = numberArg(inv, 0);
      const digits = inv.has('ndigits') ? intArg(inv, 'ndigits') : 0;
      if (!isFloat(value)) {
        if (digits < 0) throw new YaqlUnsupportedError('round() of an int to negative digits');
        return value;
      }
      return roundFloat(num(value), digits);
    },
  },
  isInteger: { kind: 'function', params: ['value'], impl: (inv) => isInt(inv.value(0)) },
  isNumber: { kind: 'function', params: ['value'], impl: (inv) => isNumber(inv.value(0)) },
};

