import { constants } from 'node:fs';
import { access } from 'node:fs/promises';
import { join, resolve, sep } from 'node:path';
import type { RunnerContext } from './runner';

/**
 * The action's file, `<packsDir>/<pack>/actions/<entry_point>`, or the reason
 * it cannot run: outside the actions folder, missing, or (when it is run
 * directly) not executable.
 */
export async function resolveEntryPoint(context: RunnerContext, mustBeExecutable: boolean): Promise<{ file: string; actionsDir: string } | { error: string }> {
  const actionsDir = resolve(context.packsDir, context.pack, 'actions');
  const file = resolve(actionsDir, context.entryPoint ?? '');
  if (!context.entryPoint || !file.startsWith(actionsDir + sep)) {
    return { error: `entry_point "${context.entryPoint ?? ''}" must name a file inside the pack's actions folder` };
  }
  try {
    await access(file, mustBeExecutable ? constants.X_OK : constants.R_OK);
  } catch {
    const shown = join(context.pack, 'actions', context.entryPoint);
    return { error: mustBeExecutable ? `cannot run ${shown} on this worker: missing or not executable (chmod +x)` : `cannot read ${shown} on this worker` };
  }
  return { file, actionsDir };
}
