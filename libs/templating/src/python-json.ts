/** Options of Python's `json.dumps` that StackStorm's filters pass on. */
export interface PythonJsonOptions {
  readonly indent?: number | string | null;
  readonly sortKeys?: boolean;
  /** [item separator, key separator]; Python's default is [', ', ': '], or [',', ': '] with an indent. */
  readonly separators?: readonly [string, string] | null;
  readonly ensureAscii?: boolean;
}

// Python escapes everything outside printable ASCII when ensure_ascii is on (the default).
const NON_ASCII = /[\u007f-\uffff]/g;

function quote(text: string, ensureAscii: boolean): string {
  const json = JSON.stringify(text);
  return ensureAscii ? json.replace(NON_ASCII, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`) : json;
}

/**
 * `json.dumps` as Python writes it, so filter output matches StackStorm's
 * byte for byte (`{"a": 1, "b": [1, 2]}` rather than JSON.stringify's
 * `{"a":1,"b":[1,2]}`). Numbers follow JavaScript: 1.0 is written as 1.
 */
export function pythonJsonDumps(value: unknown, options: PythonJsonOptions = {}): string {
  const indent = options.indent === undefined || options.indent === null ? null : typeof options.indent === 'number' ? ' '.repeat(Math.max(0, options.indent)) : options.indent;
  const [itemSeparator, keySeparator] = options.separators ?? (indent === null ? [', ', ': '] : [',', ': ']);
  const ensureAscii = options.ensureAscii ?? true;
  const seen = new Set<object>();

  const write = (item: unknown, depth: number): string | undefined => {
    if (item === null) return 'null';
    if (item === undefined || typeof item === 'function' || typeof item === 'symbol') return undefined;
    if (typeof item === 'boolean') return item ? 'true' : 'false';
    if (typeof item === 'number') return Number.isFinite(item) ? String(item) : Number.isNaN(item) ? 'NaN' : item > 0 ? 'Infinity' : '-Infinity';
    if (typeof item === 'bigint') return item.toString();
    if (typeof item === 'string') return quote(item, ensureAscii);
    const object = item as object;
    if (typeof (object as { toJSON?: unknown }).toJSON === 'function') return write((object as { toJSON(): unknown }).toJSON(), depth);
    if (seen.has(object)) throw new TypeError('Circular reference detected');
    seen.add(object);
    const open = indent === null ? '' : `\n${indent.repeat(depth + 1)}`;
    const close = indent === null ? '' : `\n${indent.repeat(depth)}`;
    const separator = indent === null ? itemSeparator : `${itemSeparator}${open}`;
    let text: string;
    if (Array.isArray(object)) {
      const items = object.map((element) => write(element, depth + 1) ?? 'null');
      text = items.length === 0 ? '[]' : `[${open}${items.join(separator)}${close}]`;
    } else {
      const keys = Object.keys(object);
      if (options.sortKeys) keys.sort();
      const entries = keys.flatMap((key) => {
        const written = write((object as Record<string, unknown>)[key], depth + 1);
        return written === undefined ? [] : [`${quote(key, ensureAscii)}${keySeparator}${written}`];
      });
      text = entries.length === 0 ? '{}' : `{${open}${entries.join(separator)}${close}}`;
    }
    seen.delete(object);
    return text;
  };

  const text = write(value, 0);
  if (text === undefined) throw new TypeError(`Object of type ${typeof value} is not JSON serializable`);
  return text;
}
