import { temporal } from '@temporalio/proto';
import { childIdsOf, childWindowsOf, stepsOf, workOf, workPerTask } from './workflow-costs';

const { EventType } = temporal.api.enums.v1;
const at = (ms: number) => ({ seconds: Math.floor(ms / 1000), nanos: (ms % 1000) * 1e6 });

/** A one-task conducted workflow: definition loaded, child row written, child started and ended, workflow finished. */
const parent = [
  { eventType: EventType.EVENT_TYPE_WORKFLOW_EXECUTION_STARTED, eventTime: at(1000) },
  { eventType: EventType.EVENT_TYPE_WORKFLOW_TASK_COMPLETED, eventTime: at(1010) },
  { eventType: EventType.EVENT_TYPE_ACTIVITY_TASK_SCHEDULED, eventTime: at(1010), activityTaskScheduledEventAttributes: { activityType: { name: 'loadDefinition' } } },
  { eventType: EventType.EVENT_TYPE_ACTIVITY_TASK_COMPLETED, eventTime: at(1030) },
  { eventType: EventType.EVENT_TYPE_WORKFLOW_TASK_COMPLETED, eventTime: at(1050) },
  { eventType: EventType.EVENT_TYPE_MARKER_RECORDED, eventTime: at(1050), markerRecordedEventAttributes: { markerName: 'core_local_activity' } },
  { eventType: EventType.EVENT_TYPE_ACTIVITY_TASK_SCHEDULED, eventTime: at(1050), activityTaskScheduledEventAttributes: { activityType: { name: 'createChildExecution' } } },
  { eventType: EventType.EVENT_TYPE_ACTIVITY_TASK_COMPLETED, eventTime: at(1070) },
  { eventType: EventType.EVENT_TYPE_WORKFLOW_TASK_COMPLETED, eventTime: at(1080) },
  { eventType: EventType.EVENT_TYPE_START_CHILD_WORKFLOW_EXECUTION_INITIATED, eventTime: at(1080), startChildWorkflowExecutionInitiatedEventAttributes: { workflowId: 'child-1' } },
  { eventType: EventType.EVENT_TYPE_CHILD_WORKFLOW_EXECUTION_STARTED, eventTime: at(1090) },
  { eventType: EventType.EVENT_TYPE_WORKFLOW_TASK_COMPLETED, eventTime: at(1095) },
  { eventType: EventType.EVENT_TYPE_CHILD_WORKFLOW_EXECUTION_COMPLETED, eventTime: at(1190), childWorkflowExecutionCompletedEventAttributes: { workflowExecution: { workflowId: 'child-1' } } },
  { eventType: EventType.EVENT_TYPE_WORKFLOW_TASK_COMPLETED, eventTime: at(1200) },
  { eventType: EventType.EVENT_TYPE_MARKER_RECORDED, eventTime: at(1200), markerRecordedEventAttributes: { markerName: 'core_local_activity' } },
  { eventType: EventType.EVENT_TYPE_ACTIVITY_TASK_SCHEDULED, eventTime: at(1200), activityTaskScheduledEventAttributes: { activityType: { name: 'finishExecution' } } },
  { eventType: EventType.EVENT_TYPE_ACTIVITY_TASK_COMPLETED, eventTime: at(1220) },
  { eventType: EventType.EVENT_TYPE_WORKFLOW_TASK_COMPLETED, eventTime: at(1225) },
  { eventType: EventType.EVENT_TYPE_WORKFLOW_EXECUTION_COMPLETED, eventTime: at(1225) },
].map((event, i) => temporal.api.history.v1.HistoryEvent.fromObject({ eventId: i + 1, ...event }));

describe(workOf.name, () => {
  it('counts workflow tasks, activities, local activities and child workflows', () => {
    expect(workOf(parent)).toEqual({ workflowTasks: 6, activities: 3, localActivities: 2, childWorkflows: 1 });
  });

  it('divides a workflow and its children by its tasks', () => {
    const child = { workflowTasks: 2, activities: 1, localActivities: 0, childWorkflows: 0 };
    const sut = workPerTask(workOf(parent), [child, child], 2);
    expect(sut.children).toEqual({ workflowTasks: 2, activities: 1, localActivities: 0, childWorkflows: 0 });
    expect(sut.total).toEqual({ workflowTasks: 5, activities: 2.5, localActivities: 1, childWorkflows: 0.5 });
  });
});

describe(stepsOf.name, () => {
  it('charges each gap of a sequential workflow to the round trip that ends it', () => {
    expect(stepsOf(parent)).toEqual({
      'conductor step': 10,
      'child row activity': 60,
      'start child command': 10,
      'child started': 10,
      'child runs': 100,
      'workflow end': 35,
    });
  });
});

describe(childWindowsOf.name, () => {
  it('gives each child its start command and its end as the parent recorded them', () => {
    expect(childIdsOf(parent)).toEqual(['child-1']);
    expect(childWindowsOf(parent).get('child-1')).toEqual({ initiated: 1080, ended: 1190 });
  });
});
