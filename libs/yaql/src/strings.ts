// Python's str semantics on JS strings: indexes count code points (JS counts
// UTF-16 units), and whitespace is what str.isspace() says.

const SURROGATE = /[\uD800-\uDFFF]/;
const PY_WHITESPACE = new Set([...' \t\n\r\x0b\x0c\x1c\x1d\x1e\x1f\x85\xa0\u1680\u2028\u2029\u202f\u205f\u3000'].concat(Array.from({ length: 11 }, (_, i) => String.fromCharCode(0x2000 + i))));

export const isPyWhitespace = (ch: string): boolean => PY_WHITESPACE.has(ch);

/** The string as code points, or null when every UTF-16 unit is one (the common, cheap case). */
const codePoints = (s: string): string[] | null => (SURROGATE.test(s) ? Array.from(s) : null);

export function pyLength(s: string): number {
  const points = codePoints(s);
  return points ? points.length : s.length;
}

/** s[start:end] with Python's clamping of negative and out-of-range bounds. */
export function pySlice(s: string, start: number, end?: number): string {
  const points = codePoints(s);
  const length = points ? points.length : s.length;
  const clamp = (i: number) => (i < 0 ? Math.max(length + i, 0) : Math.min(i, length));
  const from = clamp(start);
  const to = end === undefined ? length : clamp(end);
  if (to <= from) return '';
  return points ? points.slice(from, to).join('') : s.slice(from, to);
}

/** str.find(sub, start, end) and str.rfind: a code-point index, or -1 (bounds as CPython's ADJUST_INDICES). */
export function pyFind(s: string, sub: string, start: number, end: number | undefined, last: boolean): number {
  const points = codePoints(s) ?? [...s];
  const length = points.length;
  let to = end === undefined || end > length ? length : end;
  if (to < 0) to = Math.max(to + length, 0);
  let from = start;
  if (from < 0) from = Math.max(from + length, 0);
  const needle = codePoints(sub) ?? [...sub];
  if (to - from < needle.length) return -1;
  const matchesAt = (i: number) => needle.every((ch, j) => points[i + j] === ch);
  if (last) {
    for (let i = to - needle.length; i >= from; i -= 1) if (matchesAt(i)) return i;
  } else {
    for (let i = from; i + needle.length <= to; i += 1) if (matchesAt(i)) return i;
  }
  return -1;
}

export function compareCodePoints(a: string, b: string): number {
  if (!SURROGATE.test(a) && !SURROGATE.test(b)) return a < b ? -1 : a > b ? 1 : 0;
  const x = Array.from(a, (ch) => ch.codePointAt(0)!);
  const y = Array.from(b, (ch) => ch.codePointAt(0)!);
  for (let i = 0; i < Math.min(x.length, y.length); i += 1) if (x[i] !== y[i]) return x[i] < y[i] ? -1 : 1;
  return x.length - y.length === 0 ? 0 : x.length < y.length ? -1 : 1;
}

/** str.strip/lstrip/rstrip: `chars` null strips Python whitespace. */
export function pyStrip(s: string, chars: string | null, left: boolean, right: boolean): string {
  const points = Array.from(s);
  const strip = chars === null ? isPyWhitespace : (ch: string) => chars.includes(ch);
  let from = 0;
  let to = points.length;
  if (left) while (from < to && strip(points[from])) from += 1;
  if (right) while (to > from && strip(points[to - 1])) to -= 1;
  return points.slice(from, to).join('');
}

/** str.split(sep, maxsplit) and str.rsplit. */
export function pySplit(s: string, sep: string | null, maxSplit: number, fromRight: boolean): string[] {
  if (sep === '') throw new Error('empty separator');
  const limit = maxSplit < 0 ? Infinity : maxSplit;
  if (sep === null) {
    const points = Array.from(s);
    if (fromRight) points.reverse();
    const parts: string[] = [];
    let i = 0;
    for (;;) {
      while (i < points.length && isPyWhitespace(points[i])) i += 1;
      if (i >= points.length) break;
      if (parts.length >= limit) {
        parts.push(points.slice(i).join(''));
        break;
      }
      let j = i;
      while (j < points.length && !isPyWhitespace(points[j])) j += 1;
      parts.push(points.slice(i, j).join(''));
      i = j;
    }
    if (!fromRight) return parts;
    return parts.map((part) => Array.from(part).reverse().join('')).reverse();
  }
  const parts: string[] = [];
  if (!fromRight) {
    let rest = s;
    while (parts.length < limit) {
      const at = rest.indexOf(sep);
      if (at < 0) break;
      parts.push(rest.slice(0, at));
      rest = rest.slice(at + sep.length);
    }
    parts.push(rest);
    return parts;
  }
  let rest = s;
  while (parts.length < limit) {
    const at = rest.lastIndexOf(sep);
    if (at < 0) break;
    parts.unshift(rest.slice(at + sep.length));
    rest = rest.slice(0, at);
  }
  parts.unshift(rest);
  return parts;
}

/** str.replace(old, new, count): count < 0 replaces all; an empty `old` inserts between code points. */
export function pyReplace(s: string, old: string, replacement: string, count: number): string {
  const limit = count < 0 ? Infinity : count;
  if (old === '') {
    const points = Array.from(s);
    let out = '';
    let done = 0;
    for (let i = 0; i <= points.length; i += 1) {
      if (done < limit) {
        out += replacement;
        done += 1;
      }
      if (i < points.length) out += points[i];
    }
    return out;
  }
  let out = '';
  let rest = s;
  let done = 0;
  while (done < limit) {
    const at = rest.indexOf(old);
    if (at < 0) break;
    out += rest.slice(0, at) + replacement;
    rest = rest.slice(at + old.length);
    done += 1;
  }
  return out + rest;
}
