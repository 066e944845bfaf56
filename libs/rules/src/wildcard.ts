// matchwildcard is Python's fnmatch.fnmatch on POSIX: the whole value must
// match, case-sensitively; `*` is any run of characters (newlines too), `?`
// one character, `[seq]` / `[!seq]` a set, and a `[` that is never closed is
// itself. Nothing else is special, backslash included. Matched with RE2 (as
// regexes are), so `*a*a*a*a*b` takes linear time on a long value.
import { RE2JS } from 're2js';

const SYNTAX = /[\\^$.*+?()[\]{}|/]/g;
const escapeOutside = (char: string): string => char.replace(SYNTAX, '\\$&');
const escapeInSet = (char: string): string => (/[\\\]^[-]/.test(char) ? `\\${char}` : char);

/** The set `[...]` whose contents are `body` (without brackets), as an RE2 class; '' matches nothing. */
function characterSet(body: string): string {
  const negate = body.startsWith('!');
  const chars = [...(negate ? body.slice(1) : body)];
  let set = '';
  for (let i = 0; i < chars.length; i++) {
    if (chars[i + 1] === '-' && i + 2 < chars.length) {
      const [from, to] = [chars[i], chars[i + 2]];
      // Python drops a reversed range (z-a) instead of failing.
      if (from.codePointAt(0)! <= to.codePointAt(0)!) set += `${escapeInSet(from)}-${escapeInSet(to)}`;
      i += 2;
    } else {
      set += escapeInSet(chars[i]);
    }
  }
  if (set === '') return negate ? '.' : '[^\\x00-\\x{10FFFF}]';
  return negate ? `[^${set}]` : `[${set}]`;
}

/** The (RE2) regex that fnmatch.fnmatch(value, pattern) amounts to. */
export function wildcardRegex(pattern: string): RE2JS {
  const chars = [...pattern];
  let source = '';
  for (let i = 0; i < chars.length; i++) {
    const char = chars[i];
    if (char === '*') {
      if (!source.endsWith('.*')) source += '.*';
    } else if (char === '?') {
      source += '.';
    } else if (char === '[') {
      // A `]` right after `[` or `[!` belongs to the set; the next one closes it.
      let j = i + 1;
      if (chars[j] === '!') j++;
      if (chars[j] === ']') j++;
      while (j < chars.length && chars[j] !== ']') j++;
      if (j >= chars.length) {
        source += '\\[';
      } else {
        source += characterSet(chars.slice(i + 1, j).join(''));
        i = j;
      }
    } else {
      source += escapeOutside(char);
    }
  }
  return RE2JS.compile(`^(?:${source})$`, RE2JS.DOTALL);
}
