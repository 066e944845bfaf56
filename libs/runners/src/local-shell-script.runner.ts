import { dirname } from 'node:path';
import { findRunnerType } from '@tempest/domain';
import { resolveEntryPoint } from './entry-point';
import { baseEnv } from './action-env';
import { runProcess } from './process-runner';
import { withShellOutput } from './shell-output';
import type { Runner } from './runner';
import { scriptArguments } from './script-arguments';

const RUNNER_PARAMETERS = findRunnerType('local-shell-script')!.parameters;

/**
 * StackStorm's local-shell-script: the pack's script (actions/<entry_point>)
 * run on the worker with the action's parameters as arguments, no shell in
 * between; in the script's folder unless `cwd` says otherwise.
 */
export const localShellScript: Runner = async (context) => {
  const p = context.parameters;
  const entry = await resolveEntryPoint(context, true);
  if ('error' in entry) return { status: 'failed', result: { error: entry.error } };
  const script = entry.file;
  const args = scriptArguments(p, context.actionParameters, RUNNER_PARAMETERS, String(p.kwarg_op ?? '--'));
  const { status, result } = await runProcess(
    p.sudo ? 'sudo' : script,
    p.sudo ? ['-E', '-S', '-p', '', '--', script, ...args] : args,
    {
      cwd: typeof p.cwd === 'string' ? p.cwd : dirname(script),
      env: baseEnv(context.actionEnv, p.env),
      timeoutSeconds: Number(p.timeout ?? 60),
      stdin: p.sudo && typeof p.sudo_password === 'string' ? `${p.sudo_password}\n` : undefined,
    },
    context,
  );
  return { status, result: withShellOutput(result) };
};
