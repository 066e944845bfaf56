import { RE2JS } from 're2js';

// Patterns come from users (rule criteria, templates, parameter and config
// schemas) and are matched against what API callers and webhooks send, on
// the gateway's event loop. A backtracking engine (RegExp) takes exponential
// time on `(a+)+$` against `aaaa…!`; RE2 (re2js, pure JavaScript) is linear
// in the text whatever the pattern. The price: no backreferences, no lookahead.

export const LINEAR_TIME = 'regular expressions are matched in linear time (RE2 syntax), without backreferences or lookahead';

/** Compiles an RE2 pattern; throws an Error that says what is wrong, and why lookahead is refused. */
export function compileLinearRegex(source: string, flags = 0): RE2JS {
  try {
    return RE2JS.compile(source, flags);
  } catch (error) {
    const reason = (error as Error).message.replace(/^error parsing regexp: /, '');
    const unsupported = /unsupported Perl syntax: `\(\?[=!]/.test(reason) ? ' (lookahead)' : /invalid escape sequence: `\\[1-9]/.test(reason) ? ' (backreference)' : '';
    throw new Error(unsupported ? `${reason}${unsupported}: ${LINEAR_TIME}` : reason);
  }
}

/** Refuses ECMA's named backreference `\k<name>`, which RE2 would read as the letter k. */
function refuseNamedBackreference(pattern: string): void {
  for (let i = 0; i < pattern.length; i += 1) {
    if (pattern[i] !== '\\') continue;
    if (pattern.startsWith('k<', i + 1)) throw new Error(`backreference \\k<...> is not supported: ${LINEAR_TIME}`);
    i += 1; // skip the escaped character, so `\\k<` stays a backslash then "k<"
  }
}

// Parameter patterns are checked on every request; keep the recent ones compiled.
const CACHE_SIZE = 200;
const cache = new Map<string, RE2JS>();

/**
 * A JSON-schema `pattern`: ECMA-262 syntax (not Python's), unanchored, as
 * `new RegExp(pattern).test(value)` reads it, compiled for linear-time
 * matching. Throws an Error saying what is wrong or unsupported.
 */
export function jsonSchemaPattern(pattern: string): RE2JS {
  let regex = cache.get(pattern);
  if (!regex) {
    refuseNamedBackreference(pattern);
    regex = compileLinearRegex(RE2JS.translateRegExp(pattern), RE2JS.LOOKBEHINDS);
    if (cache.size >= CACHE_SIZE) cache.delete(cache.keys().next().value!);
    cache.set(pattern, regex);
  }
  return regex;
}

/** Why a JSON-schema `pattern` cannot be used, or undefined when it can. */
export function jsonSchemaPatternProblem(pattern: string): string | undefined {
  try {
    jsonSchemaPattern(pattern);
    return undefined;
  } catch (error) {
    return (error as Error).message;
  }
}
