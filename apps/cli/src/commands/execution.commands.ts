import type { Execution, ExecutionFilter } from '@tempest/client';
import { isTerminal } from '@tempest/domain';
import { details, table } from '../format';
import { UsageError } from '../parameters';
import { emit, type CommandContext } from './context';


export function describeExecution(execution: Execution): string {
  return details([
    ['id', execution.id],
    ['action', execution.action.ref],
    ['status', execution.status],
    ['parameters', execution.parameters],
    ['started', execution.start_timestamp],
    ['ended', execution.end_timestamp],
    ['elapsed', execution.elapsed_seconds === undefined ? undefined : `${execution.elapsed_seconds.toFixed(2)}s`],
    ['result', execution.result],
    ['temporal', execution.web_url],
  ]);
}

const FOLLOWED_EVENTS = 'st2.execution__update,st2.execution.output__create';

/**
 * Prints the output as it is produced until the execution ends; returns its
 * final state. Live output comes from the event stream: subscribed first,
 * then what was written before is read once, so nothing falls in between;
 * if the stream is cut, it is opened again and the gap read the same way.
 */
export async function follow(context: CommandContext, id: string, write: (stream: string, data: string) => void): Promise<Execution> {
  let after = '0';
  const catchUp = async (): Promise<boolean> => {
    const page = await context.client.getOutput(id, after);
    for (const chunk of page.chunks) write(chunk.stream, chunk.data);
    after = page.chunks.at(-1)?.id ?? after;
    return isTerminal(page.status);
  };
  for (;;) {
    const subscription = new AbortController();
    try {
      const events = await context.client.openStream({ events: FOLLOWED_EVENTS, execution_ids: id }, subscription.signal);
      if (await catchUp()) break;
      for await (const { event, data } of events) {
        if (event === 'st2.execution.output__create') {
          const chunk = data as { id: string; output_type: string; data: string };
          if (BigInt(chunk.id) <= BigInt(after)) continue;
          write(chunk.output_type, chunk.data);
          after = chunk.id;
        } else if (isTerminal((data as Execution).status)) {
          break;
        }
      }
    } finally {
      subscription.abort();
    }
    // It ended, or the stream was cut: what is left is read, and the stream opened again unless it ended.
    if (await catchUp()) break;
  }
  return context.client.getExecution(id);
}

export async function executionCommand(context: CommandContext, [sub, ...args]: string[], options: { action?: string; status?: string; limit?: string; tasks?: string; reset?: string }): Promise<number> {
  const id = args[0];
  const needId = () => {
    if (!id) throw new UsageError(`tempest execution ${sub} <id>`);
    return id;
  };
  switch (sub) {
    case 'list': {
      const executions = await context.client.listExecutions({ action: options.action, status: options.status as ExecutionFilter['status'], limit: options.limit ? Number(options.limit) : 20 });
      emit(context, executions, () =>
        table(['id', 'action', 'status', 'user', 'started'], executions.map((e) => [e.id, e.action.ref, e.status, String(e.context.user ?? ''), e.start_timestamp])),
      );
      return 0;
    }
    case 'get': {
      const execution = await context.client.getExecution(needId());
      emit(context, execution, () => describeExecution(execution));
      return 0;
    }
    case 'cancel': {
      const execution = await context.client.cancelExecution(needId());
      emit(context, execution, () => `execution ${execution.id}: ${execution.status}`);
      return 0;
    }
    case 'pause':
    case 'resume': {
      const execution = await context.client.updateExecution(needId(), sub === 'pause' ? 'pausing' : 'resuming');
      emit(context, execution, () => `execution ${execution.id}: ${execution.status}`);
      return 0;
    }
    case 're-run': {
      // As st2 execution re-run --tasks/--reset: a failed workflow runs again from those tasks.
      const list = (value?: string) => (value ?? '').split(',').map((name) => name.trim()).filter(Boolean);
      if (options.reset && !options.tasks) throw new UsageError('tempest execution re-run <id> --tasks a,b [--reset a]');
      const execution = await context.client.rerun(needId(), {}, { tasks: list(options.tasks), reset: list(options.reset) });
      emit(context, execution, () => `execution ${execution.id} started (re-run of ${id})`);
      return 0;
    }
    case 'tail': {
      const execution = await follow(context, needId(), (stream, data) => (stream === 'stderr' ? process.stderr.write(data) : process.stdout.write(data)));
      if (context.json) context.print(JSON.stringify(execution, null, 2));
      return execution.status === 'succeeded' ? 0 : 1;
    }
    default:
      throw new UsageError('tempest execution list|get|cancel|pause|resume|re-run|tail');
  }
}
