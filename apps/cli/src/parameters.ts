/** Thrown for mistakes on the command line: exit code 2. */
export class UsageError extends Error {}

type Specs = Record<string, { type?: string | string[] }>;

function cast(name: string, raw: string, type: string | undefined): unknown {
  switch (type) {
    case 'integer':
    case 'number': {
      const n = Number(raw);
      if (raw.trim() === '' || Number.isNaN(n) || (type === 'integer' && !Number.isInteger(n))) throw new UsageError(`${name}=${raw}: expected ${type === 'integer' ? 'a whole number' : 'a number'}`);
      return n;
    }
    case 'boolean':
      if (['true', 'yes', '1'].includes(raw.toLowerCase())) return true;
      if (['false', 'no', '0'].includes(raw.toLowerCase())) return false;
      throw new UsageError(`${name}=${raw}: expected true or false`);
    case 'object':
    case 'array':
      try {
        return JSON.parse(raw);
      } catch {
        throw new UsageError(`${name}=${raw}: expected JSON (an ${type})`);
      }
    default:
      return raw;
  }
}

/**
 * `name=value` words into parameters, cast to each parameter's declared type
 * as StackStorm's CLI does (numbers, booleans, JSON for objects and arrays).
 * Unknown names are passed through: the server lists them all in its answer.
 */
export function parseParameters(words: string[], specs: Specs): Record<string, unknown> {
  const parameters: Record<string, unknown> = {};
  for (const word of words) {
    const eq = word.indexOf('=');
    if (eq <= 0) throw new UsageError(`"${word}": parameters are written name=value`);
    const name = word.slice(0, eq);
    const type = specs[name]?.type;
    parameters[name] = cast(name, word.slice(eq + 1), Array.isArray(type) ? undefined : type);
  }
  return parameters;
}
