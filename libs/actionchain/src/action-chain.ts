// StackStorm's action-chain runner (contrib/runners/action_chain_runner) as a
// conductor: the chain's loop turned inside out, so a Temporal workflow can run
// each task's action as a child execution and feed its result back. Pure and
// deterministic; the state is plain JSON.
import type { Conductor, Step, TaskRequest, TaskResult, WorkflowError } from '@tempest/domain';
import { castParameter, type ActionInfo } from './cast';
import type { DatastoreLookup } from './datastore';
import { parseDefinition, type ActionChainDefinition, type ChainNode } from './definition';
import { renderValues, RenderValueError, type RenderFunction } from './render-values';

export interface ActionChainOptions {
  /** Renders one Jinja template (see RenderFunction): @tempest/templating's renderTemplate. */
  readonly render: RenderFunction;
  /** Datastore reads for `st2kv.system.x` / `st2kv.user.x` (see DatastoreLookup). Without it, such a read fails the chain. */
  readonly lookup?: DatastoreLookup;
  /** The chain execution's own context (`execution_id`, `user`, `pack`, ...): templates see it as `action_context.parent`. */
  readonly parentContext?: Record<string, unknown>;
  /** The pack's config, as `config_context`. */
  readonly config?: Record<string, unknown>;
  /** The runner parameter `display_published` (default true): the result carries `published`. */
  readonly displayPublished?: boolean;
  /**
   * The registered actions: a task whose action is not registered fails the chain, and each
   * task's parameters are cast to its action's types, as StackStorm does. Without it, neither.
   */
  readonly actions?: (ref: string) => ActionInfo | undefined;
}

/**
 * One entry of the chain's result `tasks`, as StackStorm's, in the order the requests
 * were scheduled (entry i answers the i-th TaskRequest). StackStorm's entries also carry
 * `execution_id`, `liveaction_id`, `created_at` and `updated_at`: facts only the driver
 * knows, for it to add.
 */
export interface ChainTaskEntry {
  id: string;
  name: string;
  workflow: null;
  state: TaskResult['status'];
  result: unknown;
}

/** The conductor's state between steps (JSON). */
export interface ActionChainState {
  /** The chain's variables: `vars`, then everything published. */
  vars: Record<string, unknown>;
  /** Each task's latest result by task name (`{{ c1.stdout }}`, `__results`). */
  results: Record<string, unknown>;
  published: Record<string, unknown>;
  tasks: ChainTaskEntry[];
  /** Times each task was scheduled, for request ids of a task run again in a cycle. */
  runs: Record<string, number>;
  /** The request the chain waits for, if any. */
  waiting: { id: string; task: string } | null;
  /** The chain's input parameters. */
  input: Record<string, unknown>;
  /** Set once the chain is over. */
  done: NonNullable<Step['done']> | null;
}

type ChainStatus = 'succeeded' | 'failed' | 'timeout' | 'canceled';

/** StackStorm's `_format_error`: "<msg>. <reason>" (its messages end with a dot, so two show). */
const formatError = (message: string, reason: string): string => `${message}. ${reason}`;

/** An action chain conductor over a parsed definition (a YAML document's data); throws ActionChainDefinitionError for a broken one. */
export function createActionChainConductor(definition: unknown, options: ActionChainOptions): Conductor<ActionChainState> & { readonly definition: ActionChainDefinition } {
  const chain = parseDefinition(definition);
  const nodes = new Map(chain.chain.map((node) => [node.name, node] as const));
  const parentContext = options.parentContext ?? {};
  const displayPublished = options.displayPublished ?? true;

  const output = (state: ActionChainState, error?: string): Record<string, unknown> => ({
    tasks: state.tasks,
    ...(displayPublished ? { published: state.published } : {}),
    ...(error !== undefined ? { error } : {}),
  });

  const finish = (state: ActionChainState, status: ChainStatus, errors: WorkflowError[], error?: string): { state: ActionChainState; step: Step } => {
    // The contract has no 'timeout' chain status: a chain StackStorm reports as timed out fails, and says so in its error.
    const done: NonNullable<Step['done']> = { status: status === 'timeout' ? 'failed' : status, output: output(state, error), errors };
    const next = { ...state, waiting: null, done };
    return { state: next, step: { schedule: [], done } };
  };

  /** The context of a task's parameters (ActionChainRunner._resolve_params). */
  const paramsContext = (state: ActionChainState): Record<string, unknown> => ({
    ...state.input,
    ...state.results,
    ...state.vars,
    __results: state.results,
    action_context: { parent: parentContext },
    config_context: options.config ?? {},
  });

  const schedule = (state: ActionChainState, node: ChainNode): { state: ActionChainState; step: Step } => {
    const fail = (message: string): { state: ActionChainState; step: Step } => finish(state, 'failed', [{ type: 'error', message, task_id: node.name }], message);
    const action = options.actions?.(node.ref);
    if (options.actions && !action) {
      return fail(formatError(`Failed to run task "${node.name}". Action with reference "${node.ref}" doesn't exist.`, `Task :: ${node.name} - Action with ref ${node.ref} not registered.`));
    }
    let input: Record<string, unknown>;
    try {
      input = renderValues(node.parameters, paramsContext(state), options.render, options.lookup, { st2kv: ['system'], legacySystem: true });
    } catch (error) {
      const reason = error instanceof RenderValueError ? `Failed rendering value for action parameter "${error.key}" in task "${node.name}" (template string=${error.template}): ${error.reason}` : String(error);
      return fail(formatError(`Failed to run task "${node.name}". Parameter rendering failed.`, reason));
    }
    if (action) {
      try {
        input = Object.fromEntries(Object.entries(input).map(([name, value]) => [name, castParameter(name, value, action.parameters[name]?.type)]));
      } catch (error) {
        return fail(error instanceof Error ? error.message : String(error));
      }
    }
    const runs = (state.runs[node.name] ?? 0) + 1;
    const request: TaskRequest = { id: runs === 1 ? node.name : `${node.name}#${runs}`, task: node.name, action: node.ref, input, ...(node.notify ? { notify: node.notify } : {}) };
    return { state: { ...state, runs: { ...state.runs, [node.name]: runs }, waiting: { id: request.id, task: node.name } }, step: { schedule: [request] } };
  };

  /** The context of a task's `publish` (ActionChainRunner._render_publish_vars). */
  const publishContext = (state: ActionChainState, node: ChainNode, result: unknown): Record<string, unknown> => ({
    ...state.input,
    [node.name]: result,
    ...state.results,
    ...state.vars,
    __results: state.results,
  });

  return {
    definition: chain,

    start(input) {
      const initial: ActionChainState = { vars: {}, results: {}, published: {}, tasks: [], runs: {}, waiting: null, input: { ...input }, done: null };
      let vars: Record<string, unknown>;
      try {
        // ChainHolder.init_vars: vars see the chain's parameters and the datastore.
        vars = renderValues(chain.vars, { ...input }, options.render, options.lookup, { st2kv: ['system', 'user'], legacySystem: false });
      } catch (error) {
        const reason = error instanceof RenderValueError ? error.reason : String(error);
        const message = formatError('Failed initializing ``vars`` in chain.', reason);
        return finish(initial, 'failed', [{ type: 'error', message }], message);
      }
      return schedule({ ...initial, vars }, nodes.get(chain.default)!);
    },

    complete(state, result) {
      if (state.done) throw new Error(`the action chain is over; got a result for "${result.id}"`);
      if (!state.waiting || state.waiting.id !== result.id) throw new Error(`the action chain waits for "${state.waiting?.id ?? 'nothing'}", got a result for "${result.id}"`);
      const node = nodes.get(state.waiting.task)!;
      // undefined would vanish from the state on its way through JSON.
      const value = result.result === undefined ? null : result.result;
      const results = { ...state.results, [node.name]: value };
      const entry: ChainTaskEntry = { id: node.name, name: node.name, workflow: null, state: result.status, result: value };
      let next: ActionChainState = { ...state, results, tasks: [...state.tasks, entry], waiting: null };
      if (node.publish) {
        let published: Record<string, unknown>;
        try {
          published = renderValues(node.publish, publishContext(next, node, value), options.render, options.lookup, { st2kv: ['system'], legacySystem: true });
        } catch (error) {
          const message = error instanceof RenderValueError ? `Failed rendering value for publish parameter "${error.key}" in task "${node.name}" (template string=${error.template}): ${error.reason}` : String(error);
          return finish(next, 'failed', [{ type: 'error', message, task_id: node.name }], message);
        }
        next = { ...next, vars: { ...next.vars, ...published }, published: displayPublished ? { ...next.published, ...published } : next.published };
      }
      if (result.status === 'canceled') return finish(next, 'canceled', []);
      const status: ChainStatus = result.status === 'succeeded' ? 'succeeded' : result.status === 'timeout' ? 'timeout' : 'failed';
      const target = status === 'succeeded' ? node.onSuccess : node.onFailure;
      if (target !== undefined) return schedule(next, nodes.get(target)!);
      const errors: WorkflowError[] =
        status === 'succeeded' ? [] : [{ type: 'error', message: `Task "${node.name}" ended ${result.status} and has no "on-failure".`, task_id: node.name, result: value, st2_status: status }];
      return finish(next, status, errors);
    },
  };
}
