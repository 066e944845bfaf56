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

/** Prints the output as it is produced until the execution ends; returns its final state. */
export async function follow(context: CommandContext, id: string, write: (stream: string, data: string) => void): Promise<Execution> {
  let after: string | undefined;
  for (;;) {
    const page = await context.client.getOutput(id, after, 10);
    for (const chunk of page.chunks) write(chunk.stream, chunk.data);
    after = page.chunks.at(-1)?.id ?? after;
    if (isTerminal(page.status) && page.chunks.length === 0) return context.client.getExecution(id);
  }
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
