import { defineSearchAttributeKey, SearchAttributeType } from '@temporalio/common';
import { proxyActivities, workflowInfo } from '@temporalio/workflow';

/** What a timer's Temporal Schedule starts: the trigger (type and parameters) that fired. */
export interface TimerFiredInput {
  trigger: string;
  parameters: Record<string, unknown>;
}

/** One firing of a timer, as the worker records it. */
export interface TimerFire extends TimerFiredInput {
  /** The time the schedule fired for (ISO 8601): the same on every retry. */
  scheduledAt: string;
  workflowId: string;
  scheduleId?: string;
}

/** Activities a worker must provide for timers. */
export interface TimerActivities {
  /** Stores a pending trigger instance for the fire, once per scheduled time however often it runs. */
  recordTimerFire(fire: TimerFire): Promise<{ triggerInstanceId: string; created: boolean }>;
}

// Set by Temporal on every workflow a schedule starts.
const SCHEDULED_START_TIME = defineSearchAttributeKey('TemporalScheduledStartTime', SearchAttributeType.DATETIME);
const SCHEDULED_BY_ID = defineSearchAttributeKey('TemporalScheduledById', SearchAttributeType.KEYWORD);

const { recordTimerFire } = proxyActivities<TimerActivities>({
  startToCloseTimeout: '30 seconds',
  // Until Postgres is back: with the schedule's buffer-one overlap policy, a waiting fire holds back at most one more.
  retry: { initialInterval: '1 second', maximumInterval: '1 minute' },
});

/**
 * A timer fired: hand the trigger instance to the gateways' ingestion, which
 * matches it against every rule of that timer.
 */
export async function timerFired(input: TimerFiredInput): Promise<{ triggerInstanceId: string; created: boolean }> {
  const info = workflowInfo();
  const scheduledAt = info.typedSearchAttributes.get(SCHEDULED_START_TIME) ?? info.startTime;
  return recordTimerFire({
    trigger: input.trigger,
    parameters: input.parameters,
    scheduledAt: scheduledAt.toISOString(),
    workflowId: info.workflowId,
    scheduleId: info.typedSearchAttributes.get(SCHEDULED_BY_ID),
  });
}
