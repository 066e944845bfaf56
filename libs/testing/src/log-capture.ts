import { Writable } from 'node:stream';
import { createLogger, type Logger } from '@tempest/logging';

/** A real JSON logger whose lines are kept for assertions (e.g. that no secret is logged). */
export function captureLogs(service = 'test', level = 'debug'): { logger: Logger; lines: string[] } {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(...chunk.toString().split('\n').filter(Boolean));
      done();
    },
  });
  return { logger: createLogger(service, level, stream), lines };
}
