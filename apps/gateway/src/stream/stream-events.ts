import type { ExecutionOutputChunk } from '@tempest/db';
import type { ExecutionResponseDto } from '../executions/execution.dto';
import type { StreamEvent } from './stream-filter';

/**
 * An execution's change as StackStorm streams it: `st2.execution__<change>`
 * with the execution as the API shows it, then `st2.liveaction__<change>` with
 * StackStorm's liveaction fields (Tempest keeps one record for both).
 */
export function executionEvents(change: 'create' | 'update', execution: ExecutionResponseDto): StreamEvent[] {
  const liveaction = {
    id: execution.id,
    action: execution.action.ref,
    status: execution.status,
    parameters: execution.parameters,
    context: execution.context,
    result: execution.result,
    notify: execution.notify,
    start_timestamp: execution.start_timestamp,
    end_timestamp: execution.end_timestamp,
  };
  return [
    { name: `st2.execution__${change}`, data: execution, actionRef: execution.action.ref, executionId: execution.id, status: execution.status },
    { name: `st2.liveaction__${change}`, data: liveaction, actionRef: execution.action.ref, status: execution.status },
  ];
}

/** One chunk of output as StackStorm's ActionExecutionOutputAPI: `st2.execution.output__create`. */
export function outputEvent(chunk: ExecutionOutputChunk & { action_ref: string; runner_type: string }): StreamEvent {
  return {
    name: 'st2.execution.output__create',
    data: {
      id: String(chunk.id),
      execution_id: chunk.execution_id,
      action_ref: chunk.action_ref,
      runner_ref: chunk.runner_type,
      timestamp: chunk.created_at.toISOString(),
      output_type: chunk.stream,
      data: chunk.data,
    },
    actionRef: chunk.action_ref,
    executionId: chunk.execution_id,
  };
}
