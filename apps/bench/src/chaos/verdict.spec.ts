import type { AuditTrail, RecordedExecution } from './audit-trail';
import type { LedgerEntry } from './ledger';
import { judge } from './verdict';
import type { EventOutcome } from './webhook-sender';

const accepted = (event: string, attempts = 1): EventOutcome => ({ event, key: `chaos-${event}`, accepted: true, attempts, failures: Array(attempts - 1).fill('ECONNREFUSED'), executions: [] });
const execution = (event: string, id: string, status: string, history = ['requested', 'scheduled', 'running', status]): RecordedExecution => ({ id, event, status, history });
const trail = (executions: RecordedExecution[], keys = executions.map((e) => `chaos-${e.event}`)): AuditTrail => ({
  executions,
  instancesByKey: new Map(keys.map((key) => [key, keys.filter((k) => k === key).length])),
  unprocessedInstances: [],
  failedEnforcements: [],
});
const ran = (...ids: string[]): LedgerEntry => ({ starts: ids, ends: ids });

describe(judge.name, () => {
  it('passes when every accepted event ran once, to the end, and is recorded succeeded', () => {
    const sut = judge([accepted('a'), accepted('b', 3)], trail([execution('a', 'x1', 'succeeded'), execution('b', 'x2', 'succeeded')]), new Map([['a', ran('x1')], ['b', ran('x2')]]));
    expect(sut.passed).toBe(true);
    expect(sut.problems).toEqual([]);
    expect(sut.figures).toMatchObject({ sent: 2, accepted: 2, retriedEvents: 1, retries: 2, retryReasons: { ECONNREFUSED: 2 }, executionsRecorded: 2, actionsRanToEnd: 2, duplicates: 0, missing: 0 });
  });

  it('finds an accepted event that never ran, though its execution says failed', () => {
    const sut = judge([accepted('a')], trail([execution('a', 'x1', 'failed', ['requested', 'scheduled', 'failed'])]), new Map());
    expect(sut.passed).toBe(false);
    expect(sut.figures.missing).toBe(1);
    expect(sut.problems.map((p) => p.what)).toEqual(['accepted (202) but never ran']);
  });

  it('finds an action that ran twice, under one execution or two', () => {
    const sut = judge([accepted('a'), accepted('b')], trail([execution('a', 'x1', 'succeeded'), execution('b', 'x2', 'succeeded')]), new Map([['a', ran('x1', 'x1')], ['b', { starts: ['x2', 'y2'], ends: ['x2', 'y2'] }]]));
    expect(sut.figures.duplicates).toBe(2);
    expect(sut.problems.map((p) => p.what)).toEqual(['ran 2 times', 'ran 2 times', 'ran as execution y2, which the audit trail does not have for this event']);
  });

  it('finds a final status that is not what happened, and leaves abandoned (what was known) apart', () => {
    const outcomes = ['a', 'b', 'c', 'd'].map((e) => accepted(e));
    const executions = [execution('a', 'x1', 'failed'), execution('b', 'x2', 'succeeded'), execution('c', 'x3', 'running'), execution('d', 'x4', 'abandoned')];
    const ledger = new Map([['a', ran('x1')], ['b', { starts: ['x2'], ends: [] }], ['c', ran('x3')], ['d', ran('x4')]]);
    const sut = judge(outcomes, trail(executions), ledger);
    expect(sut.problems.map((p) => `${p.event}: ${p.what}`)).toEqual([
      'a: recorded failed but ran to the end',
      'b: recorded succeeded but was killed mid-run',
      'c: still running when the run settled',
    ]);
    expect(sut.figures).toMatchObject({ statusMismatches: 3, abandonedThoughFinished: 1, actionsKilledMidRun: 1 });
  });

  it('finds one event recorded twice despite its Idempotency-Key', () => {
    const sut = judge([accepted('a')], trail([execution('a', 'x1', 'succeeded')], ['chaos-a', 'chaos-a']), new Map([['a', ran('x1')]]));
    expect(sut.problems.map((p) => p.what)).toEqual(['2 trigger instances for one Idempotency-Key']);
  });

  it('fails a run where the sender gave up or was refused, and flags a refused event that ran anyway', () => {
    const refused: EventOutcome = { ...accepted('a'), accepted: false, refused: { status: 404, body: 'no webhook' } };
    const gaveUp: EventOutcome = { ...accepted('b', 5), accepted: false };
    const sut = judge([refused, gaveUp], trail([execution('a', 'x1', 'succeeded')]), new Map([['a', ran('x1')]]));
    expect(sut.figures).toMatchObject({ accepted: 0, refused: 1, gaveUp: 1 });
    expect(sut.problems.map((p) => p.what)).toEqual(['refused with 404 but ran']);
    expect(sut.passed).toBe(false);
  });
});
