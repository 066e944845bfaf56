import { randomUUID } from 'node:crypto';
import { Context } from '@temporalio/activity';
import type { Execution, ExecutionRepository, TriggerInstanceRepository } from '@tempest/db';
import { INQUIRY_TRIGGER } from '@tempest/domain';
import type { InquiryActivities } from '@tempest/workflows';
import { scheduledAt } from './execution.activities';

/** How far up a workflow's parents the trace of an inquiry is looked for. */
const MAX_DEPTH = 20;

/** The worker's side of inquiryExecution (StackStorm's inquirer runner). */
export function createInquiryActivities(deps: { executions: ExecutionRepository; triggerInstances: TriggerInstanceRepository }): InquiryActivities {
  const { executions, triggerInstances } = deps;

  /** The trace the inquiry belongs to: its own, or that of the workflow it is a task of. */
  async function traceOf(execution: Execution): Promise<string> {
    let current: Execution | undefined = execution;
    for (let depth = 0; current && depth < MAX_DEPTH; depth++) {
      if (typeof current.context.trace_tag === 'string') return current.context.trace_tag;
      if (!current.parent_id) return current.id;
      current = await executions.getById(current.parent_id);
    }
    return execution.id;
  }

  return {
    async openInquiry({ executionId, runId, inquiry }) {
      await executions.transition(executionId, 'running', { runId, scheduledAt: scheduledAt(Context.current()) });
      await executions.transition(executionId, 'pending', { result: inquiry });
      const execution = await executions.getById(executionId);
      if (!execution) throw new Error(`execution ${executionId} is not recorded`);
      // Keyed by the execution: a retried activity queues it once.
      await triggerInstances.create({
        id: randomUUID(),
        trigger: INQUIRY_TRIGGER,
        parameters: {},
        payload: { id: executionId, route: inquiry.route },
        occurrenceTime: new Date(),
        status: 'pending',
        traceTag: await traceOf(execution),
        idempotencyKey: `inquiry:${executionId}`,
        source: 'inquiry',
        context: { execution_id: executionId },
      });
    },
  };
}
