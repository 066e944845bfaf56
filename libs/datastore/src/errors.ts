/** The caller's mistake (a bad name, TTL or scope, or a secret without a datastore key): a 400. */
export class KeyValueInputError extends Error {
  override readonly name = 'KeyValueInputError';
}

/**
 * A stored secret that does not decrypt: the datastore key is not the one it was
 * written with, or the row was altered. The server's problem, not the caller's.
 */
export class KeyValueDecryptError extends Error {
  override readonly name = 'KeyValueDecryptError';
}
