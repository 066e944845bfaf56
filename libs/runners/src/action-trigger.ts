import type { Execution, NewTriggerInstance } from '@tempest/db';
import { ACTION_TRIGGER } from '@tempest/domain';

/**
 * StackStorm's core.st2.generic.actiontrigger for an execution that ended,
 * queued for the gateways' rules. Keyed by the execution, so it is stored
 * once however often the final status is written; in the execution's trace
 * (or one named after the execution), so what its rules start is seen with it.
 */
export function actionTriggerInstance(execution: Execution, id: string): NewTriggerInstance {
  const traceTag = executionTraceTag(execution);
  return {
    id,
    trigger: ACTION_TRIGGER,
    parameters: {},
    payload: {
      execution_id: execution.id,
      status: execution.status,
      start_timestamp: execution.created_at.toISOString(),
      action_name: execution.action_ref.slice(execution.pack.length + 1),
      action_ref: execution.action_ref,
      runner_ref: execution.runner_type,
      // As recorded: secret values masked.
      parameters: execution.parameters,
      result: execution.result ?? null,
    },
    occurrenceTime: execution.finished_at ?? new Date(),
    status: 'pending',
    traceTag,
    idempotencyKey: execution.id,
    source: 'actiontrigger',
    context: { execution_id: execution.id },
  };
}

/** The trace an execution's trigger instances join: its own (a rule's, its workflow's), else one named after it. */
export function executionTraceTag(execution: Execution): string {
  return typeof execution.context.trace_tag === 'string' ? execution.context.trace_tag : execution.id;
}
