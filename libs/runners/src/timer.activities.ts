import { randomUUID } from 'node:crypto';
import type { TriggerInstanceRepository } from '@tempest/db';
import type { TimerActivities } from '@tempest/workflows';

/**
 * A timer's fire becomes a pending trigger instance, which the gateways'
 * ingestion picks up (a NOTIFY wakes them) and matches against the timer's
 * rules. Keyed by the scheduled time, so a retried activity or a replayed
 * workflow stores it once.
 */
export function createTimerActivities(deps: { triggerInstances: TriggerInstanceRepository }): TimerActivities {
  return {
    async recordTimerFire(fire) {
      const { instance, created } = await deps.triggerInstances.create({
        id: randomUUID(),
        trigger: fire.trigger,
        parameters: fire.parameters,
        // StackStorm's timer payload; `schedule` is the `time` parameter no timer has, so null.
        payload: { executed_at: fire.scheduledAt, schedule: null },
        occurrenceTime: new Date(fire.scheduledAt),
        status: 'pending',
        // One trace per fire; its tag is the fire's workflow id, as Temporal Web shows it.
        traceTag: fire.workflowId,
        idempotencyKey: `timer:${fire.scheduledAt}`,
        source: 'timer',
        context: { workflow_id: fire.workflowId, ...(fire.scheduleId ? { schedule_id: fire.scheduleId } : {}) },
      });
      return { triggerInstanceId: instance.id, created };
    },
  };
}
