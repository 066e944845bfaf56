import { createActionChainConductor, datastoreKeys } from '@tempest/actionchain';
import type { KeyValueLookup } from '@tempest/datastore';
import { OrquestaConductor, type OrquestaConductorOptions, type TaskRerunRequest, type WorkflowDef } from '@tempest/orquesta';
import { DECRYPT_KV_HOOK, renderTemplate } from '@tempest/templating';
import type { ConductInput, ConductedTaskResult } from '@tempest/workflows';
import { parse as parseYaml } from 'yaml';
import { DefinitionCache } from './definition-cache';
import type { WorkflowSecrets } from './workflow-secrets';

export type DatastoreReader = KeyValueLookup;

/** The two conductors behind one face; `state` is opaque JSON to the driver. */
export interface AnyConductor {
  start(input: Record<string, unknown>): { state: unknown; step: unknown };
  complete(state: unknown, result: ConductedTaskResult): { state: unknown; step: unknown };
  /** Starts again from a completed run's final state, at the named tasks (Orquesta only, as st2's API). */
  rerun(state: unknown, tasks: TaskRerunRequest[], input: Record<string, unknown>): { state: unknown; step: unknown };
}

/** Keys Orquesta's `st2kv('key')` names literally: read before the first step. */
export function orquestaKeys(definition: string): string[] {
  return [...new Set([...definition.matchAll(/st2kv\(\s*(['"])([^'"]+)\1/g)].map((m) => m[2]))].sort();
}

/** The keys a definition names, read as it asks (YAQL `decrypt => true`, Jinja `decrypt=true`) and as st2kv() gives them. */
function definitionKeys(input: ConductInput, parsedChain: Record<string, unknown> | undefined): { key: string; decrypt: boolean }[] {
  if (parsedChain) return datastoreKeys(parsedChain).map((key) => ({ key, decrypt: false }));
  const decrypted = [...input.definition.matchAll(/st2kv\(\s*(['"])([^'"]+)\1\s*,\s*decrypt\s*(?:=>|=)\s*(?:true|True)\b/g)].map((m) => ({ key: m[2], decrypt: true }));
  return [...orquestaKeys(input.definition).map((key) => ({ key, decrypt: false })), ...decrypted];
}

/** Rounds of reading keys a step computed at run time (`st2kv('app.' + ctx(env))`) before its answer stands. */
const MAX_KEY_ROUNDS = 10;

type Lookup = (key: string, options: { decrypt: boolean }) => string | undefined;

/**
 * The datastore values a conductor step may read: its lookup is synchronous,
 * so a key it asks for that was not read yet is noted, answered as missing,
 * and read before the step runs again (conductStep). `system.x` is the system
 * scope, `user.x` and a bare `x` the user's own. A decrypted value is given
 * sealed (WorkflowSecrets): the conductor's state and its tasks' inputs are
 * recorded in Temporal history.
 */
class DatastoreSnapshot {
  /** By `<decrypt>:<key>`: what st2kv gives (a secret's ciphertext, or its sealed value when decrypted). */
  private readonly values = new Map<string, string | undefined>();
  /** A secret's ciphertext, as st2kv gave it without decrypting -> its key, for decrypt_kv. */
  private readonly keyOf = new Map<string, string>();
  private missing: { key: string; decrypt: boolean }[] = [];

  constructor(
    private readonly datastore: DatastoreReader,
    private readonly user: string,
    private readonly secrets: WorkflowSecrets,
  ) {}

  readonly lookup: Lookup = (key, { decrypt }) => {
    const id = `${decrypt}:${key}`;
    if (!this.values.has(id)) this.missing.push({ key, decrypt });
    return this.values.get(id);
  };

  /** StackStorm's decrypt_kv: the (sealed) plain value of a ciphertext st2kv gave. */
  readonly decrypt = (value: unknown): string => {
    const key = typeof value === 'string' ? this.keyOf.get(value) : undefined;
    if (key === undefined) throw new Error('decrypt_kv: expected a secret read with st2kv() (its encrypted value)');
    return this.lookup(key, { decrypt: true }) ?? '';
  };

  async read(keys: Iterable<{ key: string; decrypt: boolean }>): Promise<void> {
    await Promise.all(
      [...keys].map(async ({ key, decrypt }) => {
        const scope = key.startsWith('system.') ? 'system' : 'user';
        const value = await this.datastore.get(scope, key.replace(/^(system|user)\./, ''), { user: this.user, decrypt });
        if (value !== undefined && !decrypt) this.keyOf.set(value, key);
        this.values.set(`${decrypt}:${key}`, value !== undefined && decrypt ? this.secrets.seal(value) : value);
      }),
    );
  }

  /** The keys asked for since the last call that were not read. */
  takeMissing(): { key: string; decrypt: boolean }[] {
    const missing = this.missing;
    this.missing = [];
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
  /** Seals the secrets the step reads (decrypted datastore values). */
  secrets: WorkflowSecrets;
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
  const snapshot = new DatastoreSnapshot(env.datastore, env.user, env.secrets);
  const parsed = input.action.runnerType === 'action-chain' ? (parseYaml(input.definition) as Record<string, unknown>) : undefined;
  await snapshot.read(definitionKeys(input, parsed));
  for (let round = 1; ; round++) {
    let answer: { value: T } | { error: unknown };
    try {
      answer = { value: run(conductorFor(input, env, snapshot, parsed)) };
    } catch (error) {
      // A renderer may throw on a value not read yet (ActionChain's decrypt_kv of a missing key).
      answer = { error };
    }
    const missing = snapshot.takeMissing();
    if (missing.length === 0 || round === MAX_KEY_ROUNDS) {
      if ('error' in answer) throw answer.error;
      return answer.value;
    }
    await snapshot.read(missing);
  }
}

/** The conductor of the execution's runner type, over its definition. */
function conductorFor(input: ConductInput, env: ConductorEnv, snapshot: DatastoreSnapshot, parsedChain: Record<string, unknown> | undefined): AnyConductor {
  const { action, executionId, definition } = input;
  const { lookup, decrypt } = snapshot;
  if (action.runnerType === 'action-chain') {
    const conductor = createActionChainConductor(parsedChain as never, {
      render,
      lookup,
      parentContext: { execution_id: executionId, user: env.user, pack: action.pack },
      config: env.config,
      displayPublished: input.parameters.display_published !== false,
    });
    return {
      start: (i) => conductor.start(i),
      complete: (s, r) => conductor.complete(s as never, r),
      rerun: () => {
        throw new Error('re-running from tasks is only supported for Orquesta workflows');
      },
    };
  }
  if (action.runnerType === 'orquesta') {
    const options: OrquestaConductorOptions = {
      context: { st2: { action_execution_id: executionId, user: env.user, pack: action.pack } },
      lookup,
      decrypt,
      // The Jinja filter `decrypt_kv` as well as the function.
      jinja: (template, context) => render(template, { ...context, [DECRYPT_KV_HOOK]: decrypt }),
      // Recorded with the step's answer in history, so replay never draws again.
      random: Math.random,
    };
    const conductor = new OrquestaConductor(orquestaDefinitions.get(definition, (text) => new OrquestaConductor(text, options).def), options);
    return { start: (i) => conductor.start(i), complete: (s, r) => conductor.complete(s as never, r), rerun: (s, tasks, i) => conductor.rerun(s as never, tasks, i) };
  }
  throw new Error(`runner "${action.runnerType}" is not a workflow runner`);
}
