import { join } from 'node:path';
import { findRepoRoot } from '@tempest/config';
import { findRunnerType } from '@tempest/domain';
import { resolveEntryPoint } from './entry-point';
import { baseEnv, ownParameters } from './action-env';
import type { Runner } from './runner';
import { runWrappedAction } from './wrapped-action';

const RUNNER_PARAMETERS = findRunnerType('nodejs')!.parameters;
const WRAPPER = join(findRepoRoot(), 'libs/runners/node/tempest_node_action.js');

/**
 * Tempest's nodejs runner: the pack's JavaScript or TypeScript module, its
 * exported function called with (parameters, context) in a Node process of
 * its own. A returned value succeeds; a thrown error fails with its stack.
 * `context.datastore` is the datastore, over the keys API with the run's token.
 */
export const nodejs: Runner = async (context) => {
  const entry = await resolveEntryPoint(context, false);
  if ('error' in entry) return { status: 'failed', result: { error: entry.error } };
  const p = context.parameters;
  const parameters = ownParameters(p, RUNNER_PARAMETERS);
  return runWrappedAction(
    process.execPath,
    [WRAPPER, entry.file],
    { parameters, config: context.config ?? {}, context: { executionId: context.executionId, pack: context.pack, action: context.actionRef } },
    { cwd: entry.actionsDir, env: { ...baseEnv(context.actionEnv, undefined), NODE_PATH: join(findRepoRoot(), 'node_modules') }, timeoutSeconds: Number(p.timeout ?? 600) },
    context,
  );
};
