/**
 * Postgres could not be reached, or dropped the connection, or is not yet
 * (or no longer) accepting work: a condition of the server that passes, not a
 * fault of the query or of whoever asked for it. Callers retry; the gateway
 * answers 503.
 */
export class DatabaseUnavailableError extends Error {
  constructor(cause: unknown) {
    super(`the database is unavailable: ${cause instanceof Error ? cause.message : String(cause)}`, { cause });
    this.name = 'DatabaseUnavailableError';
  }
}

/** Socket errors of a connection to a server that is down, restarting or unreachable. */
const NETWORK_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'EHOSTUNREACH', 'ENETUNREACH', 'EAI_AGAIN']);
/** admin_shutdown, crash_shutdown, cannot_connect_now ("the database system is starting up"). */
const SERVER_GOING_OR_COMING_CODES = new Set(['57P01', '57P02', '57P03']);
/** What pg says when the socket closes under a client, or a connect outlasts its timeout. */
const LOST_CONNECTION_MESSAGES = [/^Connection terminated/, /^timeout exceeded when trying to connect/];

/** True when `error` (or an error it wraps) says the database is unavailable rather than the query wrong. */
export function isDatabaseUnavailable(error: unknown): boolean {
  for (let e = error, depth = 0; e && typeof e === 'object' && depth < 5; e = (e as { cause?: unknown }).cause, depth++) {
    if (e instanceof DatabaseUnavailableError) return true;
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string' && (NETWORK_CODES.has(code) || SERVER_GOING_OR_COMING_CODES.has(code) || code.startsWith('08'))) return true;
    const message = (e as { message?: unknown }).message;
    if (typeof message === 'string' && LOST_CONNECTION_MESSAGES.some((pattern) => pattern.test(message))) return true;
  }
  return false;
}

/**
 * Errors when opening a connection that an operator must fix (wrong password,
 * no such database, no such role): waiting would not help. Any other failure
 * to connect (refused, timed out, starting up, not accepting connections,
 * too many connections) passes on its own.
 */
export function isConfigurationError(error: unknown): boolean {
  const code = (error as { code?: unknown })?.code;
  return typeof code === 'string' && (code.startsWith('28') || code === '3D000');
}
