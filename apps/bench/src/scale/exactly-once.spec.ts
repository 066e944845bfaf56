import { judgeRuns, type RecordedRun } from './exactly-once';

const ran = (id: string, over: Partial<RecordedRun> = {}): RecordedRun => ({
  id,
  status: 'succeeded',
  history: ['requested', 'scheduled', 'running', 'succeeded'],
  attempts: [{ attempt: 1, dispatch: 1, state: 'finished' }],
  ...over,
});

describe(judgeRuns.name, () => {
  it('passes executions that each started once and succeeded', () => {
    expect(judgeRuns(['a', 'b'], [ran('a'), ran('b')])).toEqual({ checked: 2, duplicates: [], problems: [], redispatched: [] });
  });

  it('finds an execution whose action started twice, by attempts or by its history', () => {
    const twice = ran('a', { attempts: [{ attempt: 1, dispatch: 1, state: 'finished' }, { attempt: 2, dispatch: 1, state: 'finished' }] });
    const rerun = ran('b', { history: ['requested', 'running', 'running', 'succeeded'] });
    const verdict = judgeRuns(['a', 'b'], [twice, rerun]);
    expect(verdict.duplicates).toEqual([
      'a: 2 attempts started, running 1 times (requested → scheduled → running → succeeded)',
      'b: 1 attempts started, running 2 times (requested → running → running → succeeded)',
    ]);
    expect(verdict.problems).toEqual([]);
  });

  it('tells missing, never started and failed executions apart from duplicates', () => {
    const never = ran('b', { status: 'abandoned', attempts: [{ attempt: 1, dispatch: 1, state: 'fenced' }] });
    const failed = ran('c', { status: 'failed' });
    const verdict = judgeRuns(['a', 'b', 'c'], [never, failed]);
    expect(verdict.duplicates).toEqual([]);
    expect(verdict.problems).toEqual(['a: not recorded', 'b: no attempt started (abandoned)', 'c: failed, attempt finished']);
  });

  it('counts an attempt handed to a second dispatch without calling it a duplicate', () => {
    const fencedThenRun = ran('a', { attempts: [{ attempt: 1, dispatch: 2, state: 'finished' }] });
    expect(judgeRuns(['a'], [fencedThenRun])).toEqual({ checked: 1, duplicates: [], problems: [], redispatched: ['a'] });
  });
});
