import type { OutputChunk } from '@tempest/db';
import { OutputSink } from './output-sink';

describe(OutputSink.name, () => {
  it('holds at most its limit while writes fail, dropping the oldest output with a note saying how much', async () => {
    let down = true;
    const written: OutputChunk[] = [];
    const sut = new OutputSink(async (chunks) => {
      if (down) throw new Error('connection refused');
      written.push(...chunks);
    }, { maxPendingBytes: 100 });
    for (let i = 0; i < 50; i++) {
      sut.append('stdout', `line ${String(i).padStart(3, '0')}\n`); // 9 bytes each
      await sut.flush();
    }
    down = false;
    await sut.close();

    const [note, ...kept] = written;
    expect(note).toEqual({ seq: 0, stream: 'stderr', data: `[tempest: ${9 * 39} bytes of output dropped while the audit trail could not be written]\n` });
    expect(kept.map((c) => c.data)).toEqual(Array.from({ length: 11 }, (_, i) => `line ${String(39 + i).padStart(3, '0')}\n`));
    expect(new Set(written.map((c) => c.seq)).size).toBe(written.length);
  });

  it('keeps the first maxStoredBytes of the output, then one note saying how much more there was', async () => {
    const written: OutputChunk[] = [];
    const sut = new OutputSink(async (chunks) => void written.push(...chunks), { maxStoredBytes: 20 });
    sut.append('stdout', 'a'.repeat(15));
    sut.append('stderr', 'b'.repeat(10));
    sut.append('stdout', 'c'.repeat(5));
    await sut.flush();
    sut.append('stdout', 'd'.repeat(7));
    await sut.close();
    expect(written.map((c) => [c.stream, c.data])).toEqual([
      ['stdout', 'a'.repeat(15)],
      ['stderr', 'b'.repeat(5)],
      ['stderr', '[tempest: the output beyond its first 20 characters was not kept: 17 more characters]\n'],
    ]);
    expect(new Set(written.map((c) => c.seq)).size).toBe(written.length);
  });

  it('writes everything, in order and without a note, when the writes succeed', async () => {
    const written: OutputChunk[] = [];
    const sut = new OutputSink(async (chunks) => void written.push(...chunks));
    for (let i = 0; i < 50; i++) sut.append(i % 2 ? 'stderr' : 'stdout', `line ${i}\n`);
    await sut.close();
    expect(written.map((c) => c.seq)).toEqual(Array.from({ length: 50 }, (_, i) => i));
  });
});
