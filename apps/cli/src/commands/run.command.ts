import { effectiveSpecs, type ParameterSpecs } from '@tempest/domain';
import { parseParameters, UsageError } from '../parameters';
import { isWorkflow, workflowReport } from '../workflow-result';
import type { CommandContext } from './context';
import { describeExecution, follow } from './execution.commands';

/**
 * `tempest run <ref> k=v ...`: starts the action, prints its output while it
 * runs and its result when it ends (a workflow: its result, tasks and errors);
 * exit code 1 unless it succeeded. With
 * --async, prints the execution id and returns at once.
 */
export async function runCommand(context: CommandContext, [ref, ...words]: string[], async: boolean): Promise<number> {
  if (!ref) throw new UsageError('tempest run <action ref> [name=value ...] [--async] [--json]');
  const [action, runners] = await Promise.all([context.client.getAction(ref), context.client.listRunnerTypes()]);
  // Cast against the parameters the server validates: the runner's, with the action's overrides.
  const runner = runners.find((r) => r.name === action.runner_type);
  const specs = effectiveSpecs((runner?.runner_parameters ?? {}) as ParameterSpecs, action.parameters as ParameterSpecs);
  const parameters = parseParameters(words, specs);
  const started = await context.client.run(ref, parameters);
  if (async) {
    context.print(context.json ? JSON.stringify(started, null, 2) : started.id);
    return 0;
  }
  // Human mode prints stdout as it comes; --json keeps stdout for the final document.
  const execution = await follow(context, started.id, (stream, data) => {
    if (!context.json) (stream === 'stderr' ? process.stderr : process.stdout).write(data);
  });
  if (context.json) context.print(JSON.stringify(execution, null, 2));
  else if (isWorkflow(execution)) {
    // A workflow streams nothing itself (its tasks do, as children): its result and tasks are what it has to say.
    const report = workflowReport(execution, await context.client.listChildren(execution.id));
    if (report.out) context.print(report.out);
    if (report.err) context.printError(report.err);
  } else if (execution.status !== 'succeeded') context.printError(describeExecution(execution));
  return execution.status === 'succeeded' ? 0 : 1;
}
