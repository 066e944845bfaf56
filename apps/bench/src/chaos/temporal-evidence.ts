import type { WorkflowHandle } from '@temporalio/client';

type HistoryEvent = NonNullable<Awaited<ReturnType<WorkflowHandle['fetchHistory']>>['events']>[number];

/**
 * Each activity of a workflow history in one line: its type, the attempts
 * that started and how it ended, e.g. `runAction: started 1, timed out
 * (activity Heartbeat timeout)`.
 */
export function activityStory(events: readonly HistoryEvent[]): string {
  const activities = new Map<string, { type: string; started: number[]; end?: string }>();
  const of = (id: unknown) => activities.get(String(id));
  for (const event of events) {
    const scheduled = event.activityTaskScheduledEventAttributes;
    if (scheduled) activities.set(String(event.eventId), { type: scheduled.activityType?.name ?? '?', started: [] });
    const started = event.activityTaskStartedEventAttributes;
    if (started) of(started.scheduledEventId)?.started.push(started.attempt ?? 1);
    const completed = event.activityTaskCompletedEventAttributes;
    if (completed) Object.assign(of(completed.scheduledEventId) ?? {}, { end: 'completed' });
    const failed = event.activityTaskFailedEventAttributes;
    if (failed) Object.assign(of(failed.scheduledEventId) ?? {}, { end: `failed (${failed.failure?.message?.slice(0, 80) ?? '?'})` });
    const timedOut = event.activityTaskTimedOutEventAttributes;
    if (timedOut) Object.assign(of(timedOut.scheduledEventId) ?? {}, { end: `timed out (${timedOut.failure?.message?.slice(0, 80) ?? '?'})` });
  }
  return [...activities.values()].map((a) => `${a.type}: attempt ${a.started.join(',') || 'never started'}, ${a.end ?? 'open'}`).join('; ');
}
