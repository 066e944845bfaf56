/**
 * NUL cannot be stored in a Postgres text or jsonb value, and binary output
 * (`cat` of a file, `/dev/zero`) holds it: each becomes U+FFFD, the
 * replacement character, rather than the whole write failing.
 */
export function withoutNul(text: string): string {
  return text.includes('\0') ? text.replaceAll('\0', '\uFFFD') : text;
}

/** JSON for a jsonb column, its strings without NUL (see withoutNul). */
export function storableJson(value: unknown): string {
  return JSON.stringify(value, (_key, inner: unknown) => (typeof inner === 'string' ? withoutNul(inner) : inner));
}
