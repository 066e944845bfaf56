import { readFile } from 'node:fs/promises';
import type { WorkflowInspectionError, WorkflowRunnerType } from '@tempest/client';
import { UsageError } from '../parameters';
import { emit, type CommandContext } from './context';

const RUNNER_TYPES: readonly WorkflowRunnerType[] = ['orquesta', 'orchestra', 'action-chain'];

/** `FILE:LINE: task NAME: MESSAGE`, or as close as the problem allows (no line, or a path instead of a task). */
function formatProblem(file: string, problem: WorkflowInspectionError): string {
  const where = problem.line ? `${file}:${problem.line}` : file;
  const what = problem.task !== undefined ? `task ${problem.task}: ` : problem.spec_path ? `${problem.spec_path}: ` : '';
  return `${where}: ${what}${problem.message}`;
}

/** `tempest workflow inspect FILE`, StackStorm's `st2 workflow inspect --file`: exit code 1 when the definition has problems. */
export async function workflowCommand(context: CommandContext, [sub, file]: string[], options: { 'runner-type'?: string }): Promise<number> {
  if (sub !== 'inspect' || !file) throw new UsageError('tempest workflow inspect <file>');
  const runnerType = options['runner-type'];
  if (runnerType !== undefined && !(RUNNER_TYPES as readonly string[]).includes(runnerType)) throw new UsageError(`--runner-type: one of ${RUNNER_TYPES.join(', ')}`);
  const definition = await readFile(file, 'utf8').catch((error: NodeJS.ErrnoException) => {
    throw new UsageError(`${file}: ${error.message}`);
  });
  const problems = await context.client.inspectWorkflow(definition, runnerType as WorkflowRunnerType | undefined);
  // In the file's order, as an editor or a linter would list them; the API sorts as st2 does (type, schema path).
  const byLine = [...problems].sort((a, b) => (a.line ?? Infinity) - (b.line ?? Infinity));
  emit(context, problems, () => (problems.length === 0 ? `${file}: no problems found` : byLine.map((p) => formatProblem(file, p)).join('\n')));
  return problems.length === 0 ? 0 : 1;
}
