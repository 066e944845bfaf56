import { temporal } from '@temporalio/proto';
import { formatPhases, phasesOf } from './phases';

const { EventType } = temporal.api.enums.v1;
const at = (ms: number) => ({ seconds: Math.floor(ms / 1000), nanos: (ms % 1000) * 1e6 });

/** A one-activity workflow: started at 1000 ms, completed at 1100 ms, its caller seeing the result at 1130 ms. */
const history = [
  { eventId: 1, eventType: EventType.EVENT_TYPE_WORKFLOW_EXECUTION_STARTED, eventTime: at(1000) },
  { eventId: 2, eventType: EventType.EVENT_TYPE_WORKFLOW_TASK_SCHEDULED, eventTime: at(1000) },
  { eventId: 3, eventType: EventType.EVENT_TYPE_WORKFLOW_TASK_STARTED, eventTime: at(1005), workflowTaskStartedEventAttributes: { scheduledEventId: 2 } },
  { eventId: 4, eventType: EventType.EVENT_TYPE_WORKFLOW_TASK_COMPLETED, eventTime: at(1015), workflowTaskCompletedEventAttributes: { scheduledEventId: 2, startedEventId: 3 } },
  { eventId: 5, eventType: EventType.EVENT_TYPE_ACTIVITY_TASK_SCHEDULED, eventTime: at(1016) },
  { eventId: 6, eventType: EventType.EVENT_TYPE_ACTIVITY_TASK_STARTED, eventTime: at(1020), activityTaskStartedEventAttributes: { scheduledEventId: 5 } },
  { eventId: 7, eventType: EventType.EVENT_TYPE_ACTIVITY_TASK_COMPLETED, eventTime: at(1070), activityTaskCompletedEventAttributes: { scheduledEventId: 5, startedEventId: 6 } },
  { eventId: 8, eventType: EventType.EVENT_TYPE_WORKFLOW_TASK_SCHEDULED, eventTime: at(1072) },
  { eventId: 9, eventType: EventType.EVENT_TYPE_WORKFLOW_TASK_STARTED, eventTime: at(1080), workflowTaskStartedEventAttributes: { scheduledEventId: 8 } },
  { eventId: 10, eventType: EventType.EVENT_TYPE_WORKFLOW_TASK_COMPLETED, eventTime: at(1095), workflowTaskCompletedEventAttributes: { scheduledEventId: 8, startedEventId: 9 } },
  { eventId: 11, eventType: EventType.EVENT_TYPE_WORKFLOW_EXECUTION_COMPLETED, eventTime: at(1100) },
].map((event) => temporal.api.history.v1.HistoryEvent.fromObject(event));

describe(phasesOf.name, () => {
  it('splits a run into time queued and run per kind of task, the server between them, and what lies outside the workflow', () => {
    expect(phasesOf(history, 980, 1130)).toEqual({
      'request to workflow start': 20,
      'workflow tasks queued': 13,
      'workflow tasks run': 25,
      'activities queued': 4,
      'activities run': 50,
      'Temporal between tasks': 8,
      'workflow end to result seen': 30,
    });
  });

  it('prints the median of each phase, one column per system', () => {
    const one = phasesOf(history, 980, 1130);
    const slower = { ...one, 'activities run': 90 };
    const report = formatPhases({ bare: [one], tempest: [one, slower, slower] });
    expect(report.split('\n')[0]).toMatch(/^median ms per phase, 1 client\s+bare\s+tempest$/);
    expect(report).toMatch(/activities run\s+50\.0\s+90\.0\n/);
  });
});
