const SAFE = /^[\w@%+=:,./-]+$/;

/**
 * One shell word holding exactly `value`, as Python's shlex.quote (which
 * StackStorm uses): plain words stay as they are, anything else is put in
 * single quotes, so no payload can break out into the command.
 */
export function shellQuote(value: unknown): string {
  const text = typeof value === 'string' ? value : JSON.stringify(value) ?? '';
  if (text === '') return "''";
  return SAFE.test(text) ? text : `'${text.replace(/'/g, `'"'"'`)}'`;
}
