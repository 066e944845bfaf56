import { createActionChainConductor, datastoreKeys } from '@tempest/actionchain';
import type { KeyValueLookup } from '@tempest/datastore';
import { OrquestaConductor } from '@tempest/orquesta';
import { renderTemplate } from '@tempest/templating';
import type { ConductInput, ConductedTaskResult } from '@tempest/workflows';
import { parse as parseYaml } from 'yaml';

export type DatastoreReader = KeyValueLookup;

/** The two conductors behind one face; `state` is opaque JSON to the driver. */
export interface AnyConductor {
  start(input: Record<string, unknown>): { state: unknown; step: unknown };
  complete(state: unknown, result: ConductedTaskResult): { state: unknown; step: unknown };
}

/** Keys Orquesta's `st2kv('key')` names literally (a computed key cannot be pre-fetched: it reads as missing). */
export function orquestaKeys(definition: string): string[] {
  return [...new Set([...definition.matchAll(/st2kv\(\s*(['"])([^'"]+)\1/g)].map((m) => m[2]))].sort();
}

/**
 * Reads every key the definition names, so the conductor's synchronous lookup
 * can answer. `system.x` is the system scope, `user.x` and a bare `x` the
 * user's own. Decrypted reads are refused: the value would be recorded in
 * Temporal history (the conductor's state, its tasks' inputs) in clear.
 */
async function prefetch(keys: string[], datastore: DatastoreReader, user: string): Promise<(key: string, options: { decrypt: boolean }) => string | undefined> {
  const values = new Map<string, string | undefined>();
  await Promise.all(
    keys.map(async (key) => {
      const scope = key.startsWith('system.') ? 'system' : 'user';
      values.set(key, await datastore.get(scope, key.replace(/^(system|user)\./, ''), { user, decrypt: false }));
    }),
  );
  return (key, { decrypt }) => {
    if (decrypt) throw new Error(`datastore key "${key}": decrypting in a workflow is not supported yet (the value would be recorded in Temporal history in clear)`);
    return values.get(key);
  };
}

const render = (template: string, context: Record<string, unknown>) => renderTemplate(template, context);

/** The conductor of the execution's runner type, over its definition, with the datastore keys it reads. */
export async function conductorFor(input: ConductInput, env: { user: string; config: Record<string, unknown>; datastore: DatastoreReader }): Promise<AnyConductor> {
  const { action, executionId, definition } = input;
  if (action.runnerType === 'action-chain') {
    const parsed = parseYaml(definition) as Record<string, unknown>;
    const lookup = await prefetch(datastoreKeys(parsed), env.datastore, env.user);
    const conductor = createActionChainConductor(parsed as never, {
      render,
      lookup,
      parentContext: { execution_id: executionId, user: env.user, pack: action.pack },
      config: env.config,
      displayPublished: input.parameters.display_published !== false,
    });
    return { start: (i) => conductor.start(i), complete: (s, r) => conductor.complete(s as never, r) };
  }
  if (action.runnerType === 'orquesta') {
    const lookup = await prefetch(orquestaKeys(definition), env.datastore, env.user);
    const conductor = new OrquestaConductor(definition, {
      context: { st2: { action_execution_id: executionId, user: env.user, pack: action.pack } },
      lookup,
      jinja: render,
      // Recorded with the step's answer in history, so replay never draws again.
      random: Math.random,
    });
    return { start: (i) => conductor.start(i), complete: (s, r) => conductor.complete(s as never, r) };
  }
  throw new Error(`runner "${action.runnerType}" is not a workflow runner`);
}
