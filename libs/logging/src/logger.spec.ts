import { Writable } from 'node:stream';
import { createLogger } from './logger';

function capture() {
  const lines: Record<string, unknown>[] = [];
  const stream = new Writable({
    write(chunk, _enc, done) {
      lines.push(JSON.parse(chunk.toString()));
      done();
    },
  });
  return { lines, stream };
}

describe(createLogger.name, () => {
  it('writes one JSON record per line with service, level and time', () => {
    const { lines, stream } = capture();
    const sut = createLogger('gateway', 'info', stream);
    sut.info({ port: 9101 }, 'listening');
    expect(lines).toEqual([expect.objectContaining({ service: 'gateway', level: 'info', msg: 'listening', port: 9101 })]);
    expect(typeof lines[0].time).toBe('string');
  });

  it('never writes secrets carried in headers or fields', () => {
    const { lines, stream } = capture();
    const sut = createLogger('gateway', 'info', stream);
    sut.info({ req: { headers: { 'x-api-key': 'k-123', 'st2-api-key': 'k-456', 'x-auth-token': 'tpat_789', authorization: 'Bearer t' } }, password: 'hunter2' }, 'request');
    const text = JSON.stringify(lines);
    for (const secret of ['k-123', 'k-456', 'tpat_789', 'Bearer t', 'hunter2']) expect(text).not.toContain(secret);
  });

  it('drops records below the configured level', () => {
    const { lines, stream } = capture();
    createLogger('worker', 'warn', stream).info('noise');
    expect(lines).toHaveLength(0);
  });
});
