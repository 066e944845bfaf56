import { compileLinearRegex, LINEAR_TIME } from '@tempest/domain';
import { RE2JS } from 're2js';

// StackStorm's regex filters and criteria operators take Python `re`
// patterns. They come from users (rules, webhook-driven templates) and run
// on the gateway's event loop, so they are matched with RE2
// (compileLinearRegex, shared with JSON-schema patterns in @tempest/domain),
// whose time is linear in the text whatever the pattern: `(a+)+$` cannot
// stall the process. RE2's syntax is Python's for everything
// pack authors use (named groups `(?P<name>...)`, classes, inline flags,
// lazy quantifiers, lookbehind); this file translates the few escapes that
// differ and refuses what RE2 cannot do in linear time (backreferences,
// lookahead) with a message that says so.

const INLINE_FLAGS = /^\(\?([aiLmsux]+)\)/;

/** A compiled Python `re` pattern, matched in linear time. */
export class PythonRegex {
  private anchored?: RE2JS;

  constructor(
    private readonly regex: RE2JS,
    private readonly source: string,
  ) {}

  /** re.search: a match anywhere in the text. */
  search(text: string): boolean {
    return this.regex.test(text);
  }

  /** re.match: a match at the start of the text. */
  match(text: string): boolean {
    this.anchored ??= RE2JS.compile(`\\A(?:${this.source})`, this.regex.flags());
    return this.anchored.test(text);
  }

  /** re.finditer: every non-overlapping match, as RegExp match arrays (unmatched groups undefined). */
  findAll(text: string): RegExpExecArray[] {
    const matcher = this.regex.matcher(text);
    const names = Object.entries(this.regex.namedGroups());
    const found: RegExpExecArray[] = [];
    while (matcher.find()) {
      const groups = Array.from({ length: matcher.groupCount() + 1 }, (_, i) => matcher.group(i) ?? undefined);
      const named = names.length > 0 ? Object.fromEntries(names.map(([name, index]) => [name, groups[index]])) : undefined;
      found.push(Object.assign(groups as unknown as RegExpExecArray, { index: matcher.start(), input: text, groups: named }));
    }
    return found;
  }
}

/** Python's escapes that RE2 writes otherwise (`\Z`, `\uXXXX`); refuses backreferences. */
function translate(pattern: string, source: string): string {
  let out = '';
  for (let i = 0; i < source.length; i += 1) {
    const char = source[i];
    if (char === '\\') {
      const next = source[i + 1] ?? '';
      const hex = next === 'u' ? /^[0-9a-fA-F]{4}/.exec(source.slice(i + 2)) : next === 'U' ? /^[0-9a-fA-F]{8}/.exec(source.slice(i + 2)) : null;
      if (next === 'Z') out += '\\z';
      else if (hex) {
        out += `\\x{${hex[0]}}`;
        i += hex[0].length;
      } else if (/[1-9]/.test(next)) throw new Error(`backreference \\${next} in regex ${JSON.stringify(pattern)} is not supported: ${LINEAR_TIME}`);
      else out += char + next;
      i += 1;
    } else if (source.startsWith('(?P=', i)) {
      throw new Error(`backreference (?P=...) in regex ${JSON.stringify(pattern)} is not supported: ${LINEAR_TIME}`);
    } else out += char;
  }
  return out;
}

// Templates apply the same patterns again and again (a filter in a loop); keep the recent ones compiled.
const CACHE_SIZE = 200;
const cache = new Map<string, PythonRegex>();

/** Compiles a Python `re` pattern; throws an Error saying what is wrong with it. */
export function pythonRegex(pattern: string, options: { ignoreCase?: boolean; dotAll?: boolean } = {}): PythonRegex {
  const key = `${options.ignoreCase ? 'i' : ''}${options.dotAll ? 's' : ''}/${pattern}`;
  let regex = cache.get(key);
  if (!regex) {
    regex = compilePythonRegex(pattern, options);
    if (cache.size >= CACHE_SIZE) cache.delete(cache.keys().next().value!);
    cache.set(key, regex);
  }
  return regex;
}

function compilePythonRegex(pattern: string, options: { ignoreCase?: boolean; dotAll?: boolean }): PythonRegex {
  let flags = RE2JS.LOOKBEHINDS | (options.ignoreCase ? RE2JS.CASE_INSENSITIVE : 0) | (options.dotAll ? RE2JS.DOTALL : 0);
  let source = pattern;
  const inline = INLINE_FLAGS.exec(source);
  if (inline) {
    for (const flag of inline[1]) {
      if (flag === 'i') flags |= RE2JS.CASE_INSENSITIVE;
      else if (flag === 'm') flags |= RE2JS.MULTILINE;
      else if (flag === 's') flags |= RE2JS.DOTALL;
      else if (flag === 'x' || flag === 'L') throw new Error(`regex flag (?${flag}) is not supported`);
      // a and u only choose ASCII or Unicode classes; RE2's are close enough.
    }
    source = source.slice(inline[0].length);
  }
  const translated = translate(pattern, source);
  return new PythonRegex(compileLinearRegex(translated, flags), translated);
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
