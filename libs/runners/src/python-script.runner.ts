import { dirname, join } from 'node:path';
import { findRepoRoot } from '@tempest/config';
import { findRunnerType } from '@tempest/domain';
import { PackDependencyError, packPython } from '@tempest/packs';
import { resolveEntryPoint } from './entry-point';
import { baseEnv, ownParameters } from './action-env';
import { runWrappedAction } from './wrapped-action';
import type { Runner } from './runner';

const RUNNER_PARAMETERS = findRunnerType('python-script')!.parameters;
/** tempest_python_action.py and the st2common modules StackStorm actions import. */
const SUPPORT_DIR = join(findRepoRoot(), 'libs/runners/python');

/**
 * StackStorm's python-script runner: the pack's Action subclass, unchanged,
 * run with python3. Its run() gets the action's own parameters; a returned
 * (ok, result) tuple decides the status as in StackStorm, any other value
 * succeeds, an exception fails with its traceback. `self.action_service` is
 * the datastore, over the keys API with the run's token. A pack with a
 * requirements.txt runs in its own virtualenv (packPython).
 */
export const pythonScript: Runner = async (context) => {
  const entry = await resolveEntryPoint(context, false);
  if ('error' in entry) return { status: 'failed', result: { error: entry.error } };
  let python: string | undefined;
  try {
    // The pack's own virtualenv when it has a requirements.txt (made on this worker if it is not there yet).
    python = await packPython(dirname(entry.actionsDir), context.pack);
  } catch (error) {
    if (error instanceof PackDependencyError) return { status: 'failed', result: { error: error.message } };
    throw error;
  }
  const p = context.parameters;
  const parameters = ownParameters(p, RUNNER_PARAMETERS);
  return runWrappedAction(
    python ?? 'python3',
    ['-u', join(SUPPORT_DIR, 'tempest_python_action.py'), entry.file],
    { parameters, config: context.config ?? {}, pack: context.pack, log_level: p.log_level ?? 'DEBUG' },
    {
      cwd: entry.actionsDir,
      env: {
        ...baseEnv(context.actionEnv, p.env),
        // The pack's actions/lib, as StackStorm puts it on the path, after our st2common.
        PYTHONPATH: [SUPPORT_DIR, join(entry.actionsDir, 'lib'), entry.actionsDir].join(':'),
        PYTHONDONTWRITEBYTECODE: '1',
      },
      timeoutSeconds: Number(p.timeout ?? 600),
    },
    context,
  );
};
