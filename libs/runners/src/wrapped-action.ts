import type { ActionOutcome } from '@tempest/workflows';
import { runProcess } from './process-runner';
import type { RunnerContext } from './runner';

interface WrapperOutcome {
  ok: boolean;
  result?: unknown;
  error?: string;
  traceback?: string;
}

/**
 * Runs an action through a language wrapper that reads its request on stdin
 * and writes {ok, result | error, traceback} to file descriptor 3. The
 * result has StackStorm's python-script shape: exit_code, result, stdout,
 * stderr (and error, traceback when it failed).
 */
export async function runWrappedAction(
  command: string,
  args: string[],
  request: unknown,
  options: { cwd: string; env: Record<string, string>; timeoutSeconds: number },
  context: RunnerContext,
): Promise<ActionOutcome> {
  const run = await runProcess(command, args, { ...options, stdin: JSON.stringify(request), resultPipe: true }, context);
  const { stdout, stderr, return_code: exitCode } = run.result;
  if (run.status === 'timeout' || run.status === 'canceled') return { status: run.status, result: { exit_code: exitCode, result: null, stdout, stderr } };
  let outcome: WrapperOutcome;
  try {
    outcome = JSON.parse(run.resultPipe ?? '') as WrapperOutcome;
  } catch {
    return { status: 'failed', result: { exit_code: exitCode, result: null, stdout, stderr, error: 'the action ended without a result (see stderr)' } };
  }
  const result = { exit_code: exitCode, result: outcome.result ?? null, stdout, stderr, ...(outcome.error ? { error: outcome.error, traceback: outcome.traceback } : {}) };
  return { status: outcome.ok && exitCode === 0 ? 'succeeded' : 'failed', result };
}
