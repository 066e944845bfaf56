import { createActionChainConductor, datastoreKeys } from '@tempest/actionchain';
import type { KeyValueLookup } from '@tempest/datastore';
import { OrquestaConductor, type OrquestaConductorOptions, type WorkflowDef } from '@tempest/orquesta';
import { renderTemplate } from '@tempest/templating';
import type { ConductInput, ConductedTaskResult } from '@tempest/workflows';
import { parse as parseYaml } from 'yaml';
import { DefinitionCache } from './definition-cache';

export type DatastoreReader = KeyValueLookup;

/** The two conductors behind one face; `state` is opaque JSON to the driver. */
export interface AnyConductor {
  start(input: Record<string, unknown>): { state: unknown; step: unknown };
  complete(state: unknown, result: ConductedTaskResult): { state: unknown; step: unknown };
}

/** Keys Orquesta's `st2kv('key')` names literally: read before the first step. */
export function orquestaKeys(definition: string): string[] {
  return [...new Set([...definition.matchAll(/st2kv\(\s*(['"])([^'"]+)\1/g)].map((m) => m[2]))].sort();
}

/** Rounds of reading keys a step computed at run time (`st2kv('app.' + ctx(env))`) before its answer stands. */
const MAX_KEY_ROUNDS = 10;

type Lookup = (key: string, options: { decrypt: boolean }) => string | undefined;

/**
 * The datastore values a conductor step may read: its lookup is synchronous,
 * so a key it asks for that was not read yet is noted, answered as missing,
 * and read before the step runs again (conductStep). `system.x` is the system
 * scope, `user.x` and a bare `x` the user's own. Decrypted reads are refused:
 * the value would be recorded in Temporal history (the conductor's state, its
 * tasks' inputs) in clear.
 */
class DatastoreSnapshot {
  private readonly values = new Map<string, string | undefined>();
  private missing = new Set<string>();

  constructor(
    private readonly datastore: DatastoreReader,
    private readonly user: string,
  ) {}

  readonly lookup: Lookup = (key, { decrypt }) => {
    if (decrypt) throw new Error(`datastore key "${key}": decrypting in a workflow is not supported yet (the value would be recorded in Temporal history in clear)`);
    if (!this.values.has(key)) this.missing.add(key);
    return this.values.get(key);
  };

  async read(keys: Iterable<string>): Promise<void> {
    await Promise.all(
      [...keys].map(async (key) => {
        const scope = key.startsWith('system.') ? 'system' : 'user';
        this.values.set(key, await this.datastore.get(scope, key.replace(/^(system|user)\./, ''), { user: this.user, decrypt: false }));
      }),
    );
  }

  /** The keys asked for since the last call that were not read. */
  takeMissing(): string[] {
    const missing = [...this.missing];
    this.missing = new Set();
    return missing;
  }
}

const render = (template: string, context: Record<string, unknown>) => renderTemplate(template, context);

/** Orquesta definitions inspected once per worker, not once per step (the options they are checked against never vary). */
const orquestaDefinitions = new DefinitionCache<WorkflowDef>();

export interface ConductorEnv {
  user: string;
  config: Record<string, unknown>;
  datastore: DatastoreReader;
}

/**
 * One step of the execution's conductor (`run` starts it or completes a
 * task), with every datastore key it reads: the keys the definition names
 * are read first; a key the step computed is read, and the step run again
 * over the same state, so its answer is the one it gives with every value at
 * hand. A step is a pure function of its state, so running it again changes
 * nothing else.
 */
export async function conductStep<T>(input: ConductInput, env: ConductorEnv, run: (conductor: AnyConductor) => T): Promise<T> {
  const snapshot = new DatastoreSnapshot(env.datastore, env.user);
  const parsed = input.action.runnerType === 'action-chain' ? (parseYaml(input.definition) as Record<string, unknown>) : undefined;
  await snapshot.read(parsed ? datastoreKeys(parsed) : orquestaKeys(input.definition));
  for (let round = 1; ; round++) {
    const answer = run(conductorFor(input, env, snapshot.lookup, parsed));
    const missing = snapshot.takeMissing();
    if (missing.length === 0 || round === MAX_KEY_ROUNDS) return answer;
    await snapshot.read(missing);
  }
}

/** The conductor of the execution's runner type, over its definition. */
function conductorFor(input: ConductInput, env: ConductorEnv, lookup: Lookup, parsedChain: Record<string, unknown> | undefined): AnyConductor {
  const { action, executionId, definition } = input;
  if (action.runnerType === 'action-chain') {
    const conductor = createActionChainConductor(parsedChain as never, {
      render,
      lookup,
      parentContext: { execution_id: executionId, user: env.user, pack: action.pack },
      config: env.config,
      displayPublished: input.parameters.display_published !== false,
    });
    return { start: (i) => conductor.start(i), complete: (s, r) => conductor.complete(s as never, r) };
  }
  if (action.runnerType === 'orquesta') {
    const options: OrquestaConductorOptions = {
      context: { st2: { action_execution_id: executionId, user: env.user, pack: action.pack } },
      lookup,
      jinja: render,
      // Recorded with the step's answer in history, so replay never draws again.
      random: Math.random,
    };
    const conductor = new OrquestaConductor(orquestaDefinitions.get(definition, (text) => new OrquestaConductor(text, options).def), options);
    return { start: (i) => conductor.start(i), complete: (s, r) => conductor.complete(s as never, r) };
  }
  throw new Error(`runner "${action.runnerType}" is not a workflow runner`);
}
