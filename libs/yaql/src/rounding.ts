// Python's round(float, ndigits): correctly rounded on the double's exact
// binary value, ties (exact halves only) to even.
import { YaqlUnsupportedError } from './errors';
import { mkFloat, type PyFloat } from './values';

/** The double as m * 2^e with m an integer. */
function exact(x: number): { mantissa: bigint; exponent: number } {
  const view = new DataView(new ArrayBuffer(8));
  view.setFloat64(0, x);
  const bits = view.getBigUint64(0);
  const biased = Number((bits >> 52n) & 0x7ffn);
  const fraction = bits & ((1n << 52n) - 1n);
  return biased === 0 ? { mantissa: fraction, exponent: -1074 } : { mantissa: fraction | (1n << 52n), exponent: biased - 1075 };
}

export function roundFloat(x: number, digits: number): number | PyFloat {
  if (!Number.isFinite(x)) return x;
  if (digits < 0) throw new YaqlUnsupportedError('round() of a float to negative digits');
  if (digits > 300) return mkFloat(x);
  const sign = x < 0 ? -1 : 1;
  const { mantissa, exponent } = exact(Math.abs(x));
  // |x| * 10^digits = mantissa * 10^digits * 2^exponent; a tie is an exact .5 there.
  if (exponent < 0) {
    const scaled = mantissa * 10n ** BigInt(digits) * 2n;
    const denominator = 1n << BigInt(-exponent);
    if (scaled % denominator === 0n && (scaled / denominator) % 2n === 1n) {
      const below = (scaled / denominator - 1n) / 2n;
      const chosen = below % 2n === 0n ? below : below + 1n;
      return mkFloat(sign * Number(`${chosen}e-${digits}`));
    }
  }
  if (digits === 0) return mkFloat(sign * Math.round(Math.abs(x)));
  if (digits > 100) return mkFloat(x);
  return mkFloat(sign * Number(Math.abs(x).toFixed(digits)));
}
