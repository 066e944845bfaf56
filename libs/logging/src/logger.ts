import pino, { type DestinationStream, type Logger } from 'pino';

export type { Logger };

/**
 * Paths whose values are secrets wherever they appear in a log record. Pino
 * replaces them before the line is written, so no transport ever sees them.
 */
export const REDACTED_PATHS = [
  'password',
  '*.password',
  'apiKey',
  '*.apiKey',
  'token',
  '*.token',
  'secret',
  '*.secret',
  'req.headers.authorization',
  'req.headers["x-api-key"]',
  'req.headers["st2-api-key"]',
  'req.headers["x-auth-token"]',
  'headers.authorization',
  'headers["x-api-key"]',
  'headers["st2-api-key"]',
  'headers["x-auth-token"]',
];

/**
 * One JSON object per line on stdout: `level`, `time`, `service`, `msg` and
 * fields. Written synchronously: the last lines before a crash or a signal
 * are the ones an operator needs, and a buffer would lose them.
 */
export function createLogger(service: string, level: string, destination?: DestinationStream): Logger {
  return pino(
    {
      level,
      base: { service, pid: process.pid },
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: label }) },
      redact: { paths: REDACTED_PATHS, censor: '********' },
    },
    destination ?? pino.destination({ dest: 1, sync: true }),
  );
}
