// StackStorm's regex filters take Python `re` patterns and replacements.
// JavaScript's syntax is nearly the same; these helpers translate the parts
// pack authors use that differ, and refuse the ones that cannot be mapped.

const INLINE_FLAGS = /^\(\?([aiLmsux]+)\)/;

/** Compiles a Python `re` pattern as a JavaScript RegExp with the given extra flags. */
export function pythonRegex(pattern: string, options: { ignoreCase?: boolean; flags?: string } = {}): RegExp {
  const flags = new Set((options.flags ?? '').split('').filter(Boolean));
  if (options.ignoreCase) flags.add('i');
  let source = pattern;
  const inline = INLINE_FLAGS.exec(source);
  if (inline) {
    for (const flag of inline[1]) {
      if (flag === 'i' || flag === 'm' || flag === 's') flags.add(flag);
      else if (flag === 'x' || flag === 'L') throw new Error(`regex flag (?${flag}) is not supported`);
      // a and u only choose ASCII or Unicode classes; JavaScript's are close enough.
    }
    source = source.slice(inline[0].length);
  }
  let out = '';
  for (let i = 0; i < source.length; i += 1) {
    const char = source[i];
    if (char === '\\') {
      const next = source[i + 1] ?? '';
      if (next === 'A') out += '(?<![\\s\\S])';
      else if (next === 'Z') out += '(?![\\s\\S])';
      else out += char + next;
      i += 1;
    } else if (source.startsWith('(?P<', i)) {
      out += '(?<';
      i += 3;
    } else if (source.startsWith('(?P=', i)) {
      const end = source.indexOf(')', i);
      if (end < 0) throw new Error(`invalid group reference in regex ${JSON.stringify(pattern)}`);
      out += `\\k<${source.slice(i + 4, end)}>`;
      i = end;
    } else out += char;
  }
  return new RegExp(out, [...flags].join(''));
}

const REPLACEMENT_ESCAPES: Record<string, string> = { n: '\n', r: '\r', t: '\t', f: '\f', v: '\v', a: '\x07', b: '\b', '\\': '\\' };

/** Expands a Python `re.sub` replacement (`\1`, `\g<1>`, `\g<name>`, `\n`) for one match. */
export function expandReplacement(replacement: string, match: RegExpMatchArray): string {
  let out = '';
  for (let i = 0; i < replacement.length; i += 1) {
    const char = replacement[i];
    if (char !== '\\' || i + 1 >= replacement.length) {
      out += char;
      continue;
    }
    const rest = replacement.slice(i + 1);
    const named = /^g<([^>]+)>/.exec(rest);
    const numbered = /^\d{1,2}/.exec(rest);
    if (named || numbered) {
      const ref = named ? named[1] : numbered![0];
      const group = /^\d+$/.test(ref) ? match[Number(ref)] : match.groups?.[ref];
      if (group === undefined && !(/^\d+$/.test(ref) ? Number(ref) < match.length : match.groups && ref in match.groups)) {
        throw new Error(`invalid group reference ${ref} in replacement`);
      }
      out += group ?? '';
      i += (named ?? numbered)![0].length;
    } else if (rest[0] in REPLACEMENT_ESCAPES) {
      out += REPLACEMENT_ESCAPES[rest[0]];
      i += 1;
    } else {
      out += char; // Python keeps unknown escapes of punctuation as they are
    }
  }
  return out;
}
