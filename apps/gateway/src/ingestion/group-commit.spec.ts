import { GroupCommit } from './group-commit';

/** A commit function whose calls are recorded and finished by the test, one by one. */
function recordingCommit() {
  const calls: { items: number[]; finish: (results?: string[]) => void; fail: (error: unknown) => void }[] = [];
  const commit = (items: number[]) =>
    new Promise<string[]>((resolve, reject) => {
      calls.push({ items, finish: (results) => resolve(results ?? items.map((i) => `row ${i}`)), fail: reject });
    });
  return { calls, commit };
}

const turn = () => new Promise((resolve) => setImmediate(resolve));
const dataError = Object.assign(new Error('invalid input syntax for type json'), { code: '22P02' });
const isolates = (error: unknown) => (error as { code?: string }).code === '22P02';

describe(GroupCommit.name, () => {
  it('commits a lone item at once, and answers it once that commit is done', async () => {
    const { calls, commit } = recordingCommit();
    const sut = new GroupCommit(commit, { maxBatch: 10, maxInFlight: 1, isolates });
    let answered: string | undefined;
    const submitted = sut.submit(1).then((row) => (answered = row));
    await turn();
    expect(calls.map((c) => c.items)).toEqual([[1]]);
    expect(answered).toBeUndefined();
    calls[0].finish();
    await submitted;
    expect(answered).toBe('row 1');
  });

  it('carries what arrives during a commit in the next one, up to maxBatch items each', async () => {
    const { calls, commit } = recordingCommit();
    const sut = new GroupCommit(commit, { maxBatch: 3, maxInFlight: 1, isolates });
    const first = sut.submit(1);
    await turn();
    const later = [2, 3, 4, 5].map((i) => sut.submit(i));
    await turn();
    expect(calls.map((c) => c.items)).toEqual([[1]]);
    calls[0].finish();
    await first;
    await turn();
    expect(calls.map((c) => c.items)).toEqual([[1], [2, 3, 4]]);
    calls[1].finish();
    await turn();
    expect(calls.map((c) => c.items)).toEqual([[1], [2, 3, 4], [5]]);
    calls[2].finish();
    expect(await Promise.all(later)).toEqual(['row 2', 'row 3', 'row 4', 'row 5']);
  });

  it('runs up to maxInFlight commits at once', async () => {
    const { calls, commit } = recordingCommit();
    const sut = new GroupCommit(commit, { maxBatch: 2, maxInFlight: 2, isolates });
    const all = [1, 2, 3, 4, 5].map((i) => sut.submit(i));
    await turn();
    expect(calls.map((c) => c.items)).toEqual([
      [1, 2],
      [3, 4],
    ]);
    calls[1].finish();
    await turn();
    expect(calls.map((c) => c.items)).toEqual([[1, 2], [3, 4], [5]]);
    calls[0].finish();
    calls[2].finish();
    expect(await Promise.all(all)).toEqual(['row 1', 'row 2', 'row 3', 'row 4', 'row 5']);
  });

  it('fails every item of a commit whose outcome is unknown, without committing any again', async () => {
    const { calls, commit } = recordingCommit();
    const sut = new GroupCommit(commit, { maxBatch: 10, maxInFlight: 1, isolates });
    const all = [1, 2].map((i) => sut.submit(i));
    await turn();
    const lost = new Error('Connection terminated unexpectedly');
    calls[0].fail(lost);
    expect(await Promise.allSettled(all)).toEqual([
      { status: 'rejected', reason: lost },
      { status: 'rejected', reason: lost },
    ]);
    expect(calls).toHaveLength(1);
  });

  it('commits each item alone after the database refused a batch for its data, so only the bad item fails', async () => {
    const { calls, commit } = recordingCommit();
    const sut = new GroupCommit(commit, { maxBatch: 10, maxInFlight: 1, isolates });
    const all = [1, 2, 3].map((i) => sut.submit(i));
    await turn();
    calls[0].fail(dataError);
    await turn();
    expect(calls.slice(1).map((c) => c.items)).toEqual([[1], [2], [3]]);
    calls[1].finish();
    calls[2].fail(dataError);
    calls[3].finish();
    expect(await Promise.allSettled(all)).toEqual([
      { status: 'fulfilled', value: 'row 1' },
      { status: 'rejected', reason: dataError },
      { status: 'fulfilled', value: 'row 3' },
    ]);
  });

  it('fails the batch when the commit answers a result count other than its item count', async () => {
    const { calls, commit } = recordingCommit();
    const sut = new GroupCommit(commit, { maxBatch: 10, maxInFlight: 1, isolates });
    const all = [1, 2].map((i) => sut.submit(i));
    await turn();
    calls[0].finish(['row 1']);
    const outcomes = await Promise.allSettled(all);
    expect(outcomes.map((o) => o.status)).toEqual(['rejected', 'rejected']);
    expect((outcomes[0] as PromiseRejectedResult).reason.message).toBe('a group commit of 2 items answered 1 results');
  });
});
