import { tallyHistories, type HistoryEvent } from './temporal-tally';

/** A history as Temporal gives it, times in ms since the epoch (protobuf Timestamps; plain numbers stand in for Longs). */
function history(worker: string, events: [number, string, Record<string, unknown>][]): HistoryEvent[] {
  return events.map(([ms, kind, attributes], i) => ({
    eventId: i + 1,
    eventTime: { seconds: Math.floor(ms / 1000), nanos: (ms % 1000) * 1e6 },
    [`${kind}EventAttributes`]: kind === 'activityTaskStarted' ? { identity: worker, attempt: 1, ...attributes } : attributes,
  })) as unknown as HistoryEvent[];
}

/** One execution: 3 workflow tasks, 2 activities, as the action execution workflow runs today. */
const execution = (worker: string, t: number, waits: { first: number; sticky: number; activity: number }) =>
  history(worker, [
    [t, 'workflowExecutionStarted', {}],
    [t, 'workflowTaskScheduled', {}], // 2
    [t + waits.first, 'workflowTaskStarted', { scheduledEventId: 2 }],
    [t + 20, 'workflowTaskCompleted', {}],
    [t + 20, 'activityTaskScheduled', {}], // 5
    [t + 20 + waits.activity, 'activityTaskStarted', { scheduledEventId: 5 }],
    [t + 40, 'activityTaskCompleted', {}],
    [t + 40, 'workflowTaskScheduled', {}], // 8
    [t + 40 + waits.sticky, 'workflowTaskStarted', { scheduledEventId: 8 }],
    [t + 50, 'workflowTaskCompleted', {}],
    [t + 50, 'activityTaskScheduled', {}], // 11
    [t + 50 + waits.activity, 'activityTaskStarted', { scheduledEventId: 11, attempt: 2 }],
    [t + 60, 'activityTaskCompleted', {}],
    [t + 60, 'workflowTaskScheduled', {}], // 14
    [t + 60 + waits.sticky, 'workflowTaskStarted', { scheduledEventId: 14 }],
  ]);

describe(tallyHistories.name, () => {
  it('counts tasks per run, activities per worker, retries, and each kind of task queue wait', () => {
    const sut = tallyHistories([
      execution('tempest-worker@host:11', 1_700_000_000_000, { first: 30, sticky: 2, activity: 5 }),
      execution('tempest-worker@host:22', 1_700_000_000_500, { first: 50, sticky: 4, activity: 1 }),
    ]);
    expect(sut).toEqual({
      workflows: 2,
      activitiesByWorker: new Map([
        ['tempest-worker@host:11', 2],
        ['tempest-worker@host:22', 2],
      ]),
      firstWorkflowTaskWaits: [30, 50],
      laterWorkflowTaskWaits: [2, 2, 4, 4],
      activityTaskWaits: [5, 5, 1, 1],
      workflowTasksPerRun: 3,
      activitiesPerRun: 2,
      activityRetries: 2,
    });
  });

  it('tallies no histories as nothing', () => {
    expect(tallyHistories([])).toMatchObject({ workflows: 0, workflowTasksPerRun: 0, activitiesPerRun: 0 });
  });
});
