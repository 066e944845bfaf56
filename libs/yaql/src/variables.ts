/** `$` is `$1`; names are stored with their `$` (yaql/language/contexts.py). */
export function variableName(name: string): string {
  const full = name.startsWith('$') ? name : `$${name}`;
  return full === '$' ? '$1' : full;
}
