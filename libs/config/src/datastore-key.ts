/** What TEMPEST_DATASTORE_KEY (or the file TEMPEST_DATASTORE_KEY_FILE names) must hold. */
export const DATASTORE_KEY_FORM = 'expected 32 bytes as 64 hex digits or base64 (e.g. `openssl rand -base64 32`)';

/**
 * The datastore's AES-256 key from its text form: 64 hex digits, or base64
 * (standard or URL alphabet) of exactly 32 bytes. Undefined for anything else,
 * so a truncated or mistyped key is refused instead of silently padded.
 */
export function parseDatastoreKey(text: string): Buffer | undefined {
  const trimmed = text.trim();
  if (/^[0-9a-fA-F]{64}$/.test(trimmed)) return Buffer.from(trimmed, 'hex');
  if (!/^[A-Za-z0-9+/_-]{43}=?$/.test(trimmed)) return undefined;
  const key = Buffer.from(trimmed.replace(/-/g, '+').replace(/_/g, '/'), 'base64');
  return key.length === 32 ? key : undefined;
}
