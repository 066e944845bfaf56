// StackStorm casts a task's rendered parameters to the types its action declares
// (st2common/util/casts.py through action_param_utils.cast_params): templates
// render to text, so "1" for an integer parameter becomes 1 and "['a']" for an
// array becomes ['a']. Parameters the action does not declare stay as rendered.
import { parsePythonLiteral } from './python-literal';
import { pythonRepr, pythonStr } from './python-text';

/** What the chain needs to know of an action: its parameters' types (the runner's merged with the action's). */
export interface ActionInfo {
  readonly parameters: Readonly<Record<string, { readonly type?: string | readonly string[] } | undefined>>;
}

/** A value that cannot be cast, with StackStorm's message. */
export class CastError extends Error {
  override readonly name = 'CastError';
}

const pythonType = (value: unknown): string =>
  value === null ? 'NoneType' : typeof value === 'string' ? 'str' : typeof value === 'boolean' ? 'bool' : typeof value === 'number' ? (Number.isInteger(value) ? 'int' : 'float') : Array.isArray(value) ? 'list' : 'dict';

function castInteger(value: unknown): unknown {
  if (typeof value === 'boolean') return value ? 1 : 0;
  if (typeof value === 'number') return Math.trunc(value);
  if (typeof value === 'string' && /^\s*[+-]?\d+(_\d+)*\s*$/.test(value)) return Number(value.replace(/_/g, ''));
  throw new CastError(`invalid literal for int() with base 10: ${pythonRepr(value)}`);
}

function castNumber(value: unknown): unknown {
  if (typeof value === 'boolean') return value ? 1 : 0;
  if (typeof value === 'number') return value;
  if (typeof value === 'string' && /^\s*[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?\s*$/.test(value)) return Number(value);
  throw new CastError(`could not convert string to float: ${pythonRepr(value)}`);
}

function castBoolean(value: unknown): unknown {
  if (typeof value !== 'string') return value;
  // ast.literal_eval(x.capitalize()): "true" and "TRUE" are True, "1" is 1.
  return parsePythonLiteral(value.charAt(0).toUpperCase() + value.slice(1).toLowerCase());
}

function castObject(value: unknown): unknown {
  if (typeof value !== 'string') return value;
  try {
    return JSON.parse(value);
  } catch {
    return parsePythonLiteral(value);
  }
}

/** One parameter cast to its declared type (a list of types, or none, casts nothing, as StackStorm's). */
export function castParameter(name: string, value: unknown, type: string | readonly string[] | undefined): unknown {
  if (typeof type !== 'string' || value === null || value === undefined) return value;
  try {
    switch (type) {
      case 'string':
        if (typeof value === 'string') return value;
        throw new CastError(`Value "${pythonStr(value)}" must either be a string or None. Got "${pythonType(value)}".`);
      case 'integer':
        return castInteger(value);
      case 'number':
        return castNumber(value);
      case 'boolean':
        return castBoolean(value);
      case 'array':
      case 'object':
        return castObject(value);
      default:
        return value;
    }
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new CastError(`Failed to cast value "${pythonStr(value)}" (type: ${pythonType(value)}) for parameter "${name}" of type "${type}": ${reason}. Perhaps the value is of an invalid type?`);
  }
}
