import { constants } from 'node:fs';
import { access } from 'node:fs/promises';
import { dirname, join, resolve, sep } from 'node:path';
import { findRunnerType } from '@tempest/domain';
import { baseEnv } from './local-shell-cmd.runner';
import { runProcess } from './process-runner';
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
  const actionsDir = resolve(context.packsDir, context.pack, 'actions');
  const script = resolve(actionsDir, context.entryPoint ?? '');
  if (!context.entryPoint || !script.startsWith(actionsDir + sep)) {
    return { status: 'failed', result: { error: `entry_point "${context.entryPoint ?? ''}" must name a file inside the pack's actions folder` } };
  }
  try {
    await access(script, constants.X_OK);
  } catch {
    return { status: 'failed', result: { error: `cannot run ${join(context.pack, 'actions', context.entryPoint)} on this worker: missing or not executable (chmod +x)` } };
  }
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
  return { status, result };
};
