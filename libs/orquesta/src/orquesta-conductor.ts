// Orquesta's workflow conductor (orquesta/conducting.py, machines.py) as a pure state machine:
// the state is Orquesta's own (contexts, routes, task sequence, staging), kept as JSON, and every
// step returns the actions to start. Pause, resume and cancel requests are not part of it (the driver
// holds them); rerun is (request_workflow_rerun): a completed run's state starts again from chosen tasks.
import type { Conductor, Step, TaskRequest, TaskResult, WorkflowError } from '@tempest/domain';
import { ENGINE_COMMANDS, parseDefinition, type WorkflowDef } from './definition';
import { evaluateStatement, ExpressionError, type ExpressionOptions, type ExpressionScope } from './expressions';
import { WorkflowGraph, type Transition } from './graph';
import { inspect, type InspectOptions } from './inspect';

type Status = string;
const ACTIVE = ['requested', 'scheduled', 'delayed', 'running', 'resuming', 'pausing', 'canceling'];
const ABENDED = ['failed', 'timeout', 'abandoned'];
const COMPLETED = ['succeeded', 'failed', 'timeout', 'abandoned', 'canceled'];

interface TaskEntry {
  id: string;
  route: number;
  ctxs: { in: number[]; out?: Record<string, number> };
  prev: Record<string, number>;
  next: Record<string, boolean>;
  status?: Status;
  retry?: { when?: string; count: number; delay?: number; tally: number };
  term?: boolean;
}

interface StagedTask {
  id: string;
  route: number;
  ctxs: { in: number[] };
  prev: Record<string, number>;
  ready: boolean;
  retry?: TaskEntry['retry'];
  items?: { status: Status }[];
  completed?: boolean;
  run_on_fail?: boolean;
}

/** The conductor's state: JSON, replayable, inspectable. */
export interface OrquestaState {
  status: Status;
  contexts: Record<string, unknown>[];
  routes: string[][];
  sequence: TaskEntry[];
  tasks: Record<string, number>;
  staged: StagedTask[];
  errors: WorkflowError[];
  output: Record<string, unknown> | null;
  /** Requests started and not yet answered, by request id. */
  pending: Record<string, { task: string; route: number; item?: number }>;
  /** How many times each task has been started, for request ids. */
  runs: Record<string, number>;
  /** With-items results so far, by `task__r<route>`: st2's `{ status, result }` per item. */
  itemResults: Record<string, ({ status: string; result: unknown } | null)[]>;
  /** The last result of each task, by `task__r<route>`, for st2's task() function. */
  results: Record<string, { status: string; result: unknown }>;
  done?: boolean;
}

/** One task to run again (every route it ran on), as st2's workflow service asks Orquesta. */
export interface TaskRerunRequest {
  task: string;
  /** With items: run every item again, not only those that failed. */
  resetItems?: boolean;
}

/** The named tasks the run never started: they cannot run again (st2: "one or more tasks is not found"). */
export function tasksNotRun(state: OrquestaState, tasks: string[]): string[] {
  return tasks.filter((name) => !Object.values(state.tasks).some((idx) => state.sequence[idx].id === name));
}

export interface OrquestaConductorOptions extends ExpressionOptions, InspectOptions {
  /** Parent context merged under the input (st2's `st2` entry: user, action_execution_id...). */
  context?: Record<string, unknown>;
}

const entryKey = (task: string, route: number) => `${task}__r${route}`;
const transitionKey = (t: Transition) => `${t.to}__t${t.key}`;
const clone = <T>(v: T): T => (v === undefined ? v : JSON.parse(JSON.stringify(v)));
const errorText = (error: unknown): string => {
  if (error instanceof ExpressionError) return error.logMessage;
  if (error instanceof OrquestaError) return `${error.kind}: ${error.message}`;
  return `${error instanceof Error ? error.name : 'Exception'}: ${error instanceof Error ? error.message : String(error)}`;
};

class OrquestaError extends Error {
  constructor(
    readonly kind: string,
    message: string,
  ) {
    super(message);
  }
}

/** Runs one Orquesta definition; construct once per definition (the graph is derived, not stored). */
export class OrquestaConductor implements Conductor<OrquestaState> {
  readonly def: WorkflowDef;
  readonly graph: WorkflowGraph;

  constructor(
    definition: string | WorkflowDef,
    private readonly options: OrquestaConductorOptions = {},
  ) {
    if (typeof definition === 'string') {
      // As st2 does (inspect with raise_exception), a definition with any problem does not run.
      const problems = inspect(definition, {
        jinjaSyntax: options.jinjaSyntax,
        contextNames: [...Object.keys(options.context ?? {}), ...(options.contextNames ?? [])],
        functions: [...(options.functions ?? []), ...(options.random ? ['random'] : [])],
      });
      const parsed = parseDefinition(definition);
      if (!parsed.definition || problems.length) throw new Error(`invalid Orquesta definition: ${problems.map((p) => `${p.path}${p.line ? ` (line ${p.line})` : ''}: ${p.message}`).join('; ')}`);
      this.def = parsed.definition;
    } else this.def = definition;
    this.graph = new WorkflowGraph(this.def);
  }

  start(input: Record<string, unknown>): { state: OrquestaState; step: Step } {
    const state: OrquestaState = { status: 'running', contexts: [], routes: [], sequence: [], tasks: {}, staged: [], errors: [], output: null, pending: {}, runs: {}, itemResults: {}, results: {} };
    const known = new Set(this.def.input.map((i) => i.name));
    for (const name of Object.keys(input)) if (!known.has(name)) this.logError(state, new OrquestaError('WorkflowInputError', `The input "${name}" is not defined in the workflow.`));
    for (const i of this.def.input) if (!i.hasDefault && !Object.hasOwn(input, i.name)) this.logError(state, new OrquestaError('WorkflowInputError', `The input "${i.name}" is required.`));
    let ctx: Record<string, unknown> = clone(this.options.context ?? {});
    for (const i of this.def.input) {
      try {
        ctx[i.name] = this.evaluate(Object.hasOwn(input, i.name) ? input[i.name] : (i.default ?? null), { vars: ctx });
      } catch (error) {
        this.logError(state, error);
      }
    }
    for (const [name, value] of this.def.vars) {
      try {
        ctx = { ...ctx, [name]: this.evaluate(value, { vars: ctx }) };
      } catch (error) {
        this.logError(state, error);
      }
    }
    if (state.errors.length) {
      state.status = 'failed';
      return { state, step: this.advance(state) };
    }
    state.contexts.push(ctx);
    state.routes.push([]);
    for (const root of this.graph.roots) state.staged.push({ id: root, route: 0, ctxs: { in: [0] }, prev: {}, ready: true });
    return { state, step: this.advance(state) };
  }

  complete(previous: OrquestaState, result: TaskResult): { state: OrquestaState; step: Step } {
    const state = clone(previous);
    const request = state.pending[result.id];
    if (!request) throw new Error(`no task request "${result.id}" is running in this workflow`);
    delete state.pending[result.id];
    if (request.item !== undefined) {
      const key = entryKey(request.task, request.route);
      (state.itemResults[key] ??= [])[request.item] = { status: result.status, result: result.result };
    }
    this.updateTaskState(state, request.task, request.route, { status: result.status, result: result.result, item: request.item });
    return { state, step: this.advance(state) };
  }

  /**
   * Orquesta's request_workflow_rerun on the final state of a completed run:
   * the contexts published by what ran are kept, the named tasks (each route
   * they ran on) are staged again with the context they had (a with-items task
   * keeps its succeeded items unless reset), the tasks that ended a branch with
   * somewhere to go are continued, and the workflow runs again from there.
   * `input`: the new execution's, in place of the old run's input values.
   */
  rerun(previous: OrquestaState, requests: TaskRerunRequest[], input: Record<string, unknown> = {}): { state: OrquestaState; step: Step } {
    if (!COMPLETED.includes(previous.status)) throw new OrquestaError('WorkflowIsActiveAndNotRerunableError', 'The workflow is still active: only a completed run can run again.');
    const missing = tasksNotRun(previous, requests.map((r) => r.task));
    if (missing.length) throw new OrquestaError('InvalidTaskRerunRequest', `Unable to rerun workflow because one or more tasks is not found: ${missing.join(',')}`);
    // The definition is read again (a fixed workflow re-runs fixed): a task it lost cannot run.
    const gone = requests.filter((r) => !this.def.tasks[r.task]).map((r) => r.task);
    if (gone.length) throw new OrquestaError('InvalidTaskRerunRequest', `Unable to rerun workflow because one or more tasks is not in its definition any more: ${gone.join(',')}`);
    const state = clone(previous);
    // The new execution's st2 context (its id, user) replaces the old run's.
    state.contexts[0] = { ...state.contexts[0], ...clone(this.options.context ?? {}) };
    // The new execution's input, as given (its secrets sealed for it, where the old run's were sealed for that run).
    for (const i of this.def.input) if (Object.hasOwn(input, i.name)) state.contexts[0][i.name] = clone(input[i.name]);
    const reset = new Set(requests.filter((r) => r.resetItems).map((r) => r.task));
    const names = new Set(requests.map((r) => r.task));
    const candidates = Object.values(state.tasks)
      .filter((idx) => names.has(state.sequence[idx].id))
      .sort((a, b) => a - b);
    // _collapse_task_rerun_requests: a task that follows another one asked for runs again through it, not twice.
    const downstream = new Set(candidates.flatMap((idx) => this.taskSequence(state, idx)));
    const chosen = candidates.filter((idx) => !downstream.has(idx)).map((idx) => state.sequence[idx]);
    for (const entry of chosen.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : a.route - b.route))) this.requestTaskRerun(state, entry.id, entry.route, reset.has(entry.id));
    for (const entry of state.sequence) if (entry.term && Object.values(entry.next).some(Boolean)) delete entry.term;
    // reset_workflow_output; errors of no task were the old run's ending (its output rendered on what was missing).
    state.output = null;
    state.errors = state.errors.filter((e) => e.task_id !== undefined);
    state.pending = {};
    delete state.done;
    state.status = 'running';
    return { state, step: this.advance(state) };
  }

  /** _request_task_rerun: stages the task again with its inbound context (its failed items only, with items). */
  private requestTaskRerun(state: OrquestaState, task: string, route: number, resetItems: boolean): void {
    const idx = state.tasks[entryKey(task, route)];
    const entry = state.sequence[idx];
    const inCtx = clone(entry.ctxs.in);
    const prev = clone(entry.prev);
    delete entry.term;
    state.errors = state.errors.filter((e) => e.task_id !== task);
    let staged = this.staged(state, task, route);
    if (this.def.tasks[task]?.with) {
      if (!staged) {
        // All its items ended as they should: they all run again.
        staged = { id: task, route, ctxs: { in: inCtx }, prev, ready: true };
        state.staged.push(staged);
      }
      delete staged.completed;
      staged.ready = true;
      if (staged.items) staged.items = staged.items.map((item) => (resetItems || ABENDED.includes(item.status) ? { status: 'null' } : item));
    } else {
      this.addTaskState(state, task, route, inCtx, prev);
      if (staged) state.staged.splice(state.staged.indexOf(staged), 1);
      state.staged.push({ id: task, route, ctxs: { in: inCtx }, prev, ready: true });
    }
    for (const next of this.taskSequence(state, idx)) delete state.sequence[next].term;
  }

  /** get_task_sequence: the entries that ran after the entry at `idx`, through their `prev` links. */
  private taskSequence(state: OrquestaState, idx: number): number[] {
    const found: number[] = [];
    const queue = [idx];
    while (queue.length) {
      const from = queue.shift()!;
      state.sequence.forEach((entry, i) => {
        if (!found.includes(i) && Object.values(entry.prev).includes(from)) {
          found.push(i);
          queue.push(i);
        }
      });
    }
    return found;
  }

  // ---- stepping -----------------------------------------------------------------------------

  /** Starts what is ready (finishing action-less tasks at once) and says whether the run is over. */
  private advance(state: OrquestaState): Step {
    const schedule: TaskRequest[] = [];
    for (let guard = 0; guard < 10_000; guard++) {
      let instant = false;
      for (const task of this.getNextTasks(state)) {
        if (task.actions.length === 0 || task.actions.every((a) => !a.action)) {
          // No action (or no items): Orquesta's caller completes it at once, as st2 does.
          this.updateTaskState(state, task.id, task.route, { status: 'running' });
          this.updateTaskState(state, task.id, task.route, { status: 'succeeded', result: task.items ? [] : null });
          instant = true;
          continue;
        }
        // Every action execution of a task gets a new pass number; the items of one pass share it.
        if (task.newRun || !state.runs[task.id]) state.runs[task.id] = (state.runs[task.id] ?? 0) + 1;
        const run = state.runs[task.id];
        const base = run > 1 ? `${task.id}#${run}` : task.id;
        for (const action of task.actions) {
          const id = action.item === undefined ? base : `${base}[${action.item}]`;
          state.pending[id] = { task: task.id, route: task.route, ...(action.item !== undefined ? { item: action.item } : {}) };
          schedule.push({ id, task: task.id, action: String(action.action), input: action.input, ...(task.delay ? { delaySeconds: task.delay } : {}), ...(action.item !== undefined ? { item: action.item } : {}) });
          this.updateTaskState(state, task.id, task.route, { status: 'running', item: action.item });
        }
      }
      if (!instant) break;
    }
    const running = Object.keys(state.pending).length > 0;
    if (running || schedule.length) return { schedule };
    if (!COMPLETED.includes(state.status)) {
      // Nothing runs and nothing is ready: Orquesta would be stuck; say so rather than wait forever.
      this.logError(state, new OrquestaError('WorkflowError', 'The workflow has nothing left to run but did not complete.'));
      state.status = 'failed';
    }
    this.renderOutput(state);
    state.done = true;
    const status = state.status === 'succeeded' ? 'succeeded' : state.status === 'canceled' ? 'canceled' : 'failed';
    return { schedule, done: { status, output: state.output, errors: state.errors } };
  }

  private evaluate(statement: unknown, scope: ExpressionScope): unknown {
    return evaluateStatement(statement, scope, this.options);
  }

  private logEntry(state: OrquestaState, entry: WorkflowError): void {
    const text = JSON.stringify(entry);
    if (!state.errors.some((e) => JSON.stringify(e) === text)) state.errors.push(entry);
  }

  private logError(state: OrquestaState, error: unknown, taskId?: string, route?: number, transitionId?: string): void {
    this.logEntry(state, { type: 'error', message: errorText(error), ...(taskId !== undefined ? { task_id: taskId } : {}), ...(route !== undefined ? { route } : {}), ...(transitionId !== undefined ? { task_transition_id: transitionId } : {}) });
  }

  private entry(state: OrquestaState, task: string, route: number): TaskEntry | undefined {
    const idx = state.tasks[entryKey(task, route)];
    return idx === undefined ? undefined : state.sequence[idx];
  }

  private staged(state: OrquestaState, task: string, route: number): StagedTask | undefined {
    return state.staged.find((s) => s.id === task && s.route === route);
  }

  private removeStaged(state: OrquestaState, task: string, route: number): void {
    const s = this.staged(state, task, route);
    if (s && !(s.items ?? []).some((i) => ACTIVE.includes(i.status))) state.staged.splice(state.staged.indexOf(s), 1);
  }

  private readyStaged(state: OrquestaState): StagedTask[] {
    return state.staged.filter((s) => s.ready && !s.completed);
  }

  private hasActiveTasks(state: OrquestaState): boolean {
    return Object.values(state.tasks).some((idx) => ACTIVE.includes(state.sequence[idx].status ?? ''));
  }

  private context(state: OrquestaState, idxs: number[]): Record<string, unknown> {
    let ctx: Record<string, unknown> = {};
    for (const i of idxs) ctx = { ...ctx, ...state.contexts[i] };
    return ctx;
  }

  private scope(state: OrquestaState, vars: Record<string, unknown>, current?: ExpressionScope['currentTask']): ExpressionScope {
    return { vars, currentTask: current, state: { tasks: state.tasks, sequence: state.sequence, routes: state.routes, results: state.results } };
  }

  // ---- get_next_tasks -----------------------------------------------------------------------

  private getNextTasks(state: OrquestaState): { id: string; route: number; actions: { action: unknown; input: Record<string, unknown>; item?: number }[]; delay?: number; items?: boolean; newRun: boolean }[] {
    let staged = this.readyStaged(state).filter((s) => !ENGINE_COMMANDS.includes(s.id));
    if (state.status === 'failed') staged = staged.filter((s) => s.run_on_fail === true);
    else if (state.status !== 'running') return [];
    const out = [];
    let failed = false;
    for (const s of staged) {
      try {
        const task = this.renderTask(state, s);
        if (task.actions.length > 0 || task.items) out.push(task);
      } catch (error) {
        failed = true;
        this.logError(state, error, s.id, s.route);
      }
    }
    if (failed) {
      this.failWorkflow(state);
      return [];
    }
    return out.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : a.route - b.route));
  }

  private renderTask(state: OrquestaState, s: StagedTask) {
    const spec = this.def.tasks[s.id];
    const ctx = this.context(state, s.ctxs.in);
    const current = { id: s.id, route: s.route };
    const scope = this.scope(state, ctx, current);
    let delay: number | undefined;
    if (spec.delay !== undefined) {
      const value = typeof spec.delay === 'string' ? this.evaluate(spec.delay, scope) : spec.delay;
      if (typeof value !== 'number' || !Number.isInteger(value)) throw new OrquestaError('TypeError', 'The value of task delay is not type of integer.');
      delay = value;
    }
    if (s.retry) delay = s.retry.delay ?? 0;
    if (!spec.with) {
      const actions = [{ action: spec.action ? this.evaluate(spec.action, scope) : null, input: this.evaluate(spec.input, scope) as Record<string, unknown> }];
      return { id: s.id, route: s.route, actions, delay, newRun: true };
    }
    const itemsText = spec.with.items;
    const inAt = itemsText.indexOf(' in ');
    const itemsExpr = (inAt < 0 ? itemsText : itemsText.slice(inAt + 4)).trim();
    const items = this.evaluate(itemsExpr, scope);
    if (!Array.isArray(items)) throw new OrquestaError('TypeError', `The value of "${itemsExpr}" is not type of list.`);
    const keys = inAt < 0 ? null : itemsText.slice(0, inAt).replace(/ /g, '').split(',');
    const concurrencyValue = this.evaluate(spec.with.concurrency ?? null, scope);
    if (!s.items || s.items.length === 0) s.items = items.map(() => ({ status: 'null' }));
    const all = items.map((item, idx) => ({ item, idx }));
    const notRun = all.filter(({ idx }) => s.items![idx].status === 'null');
    const active = all.filter(({ idx }) => ACTIVE.includes(s.items![idx].status)).length;
    let chosen = notRun;
    if (concurrencyValue !== null && concurrencyValue !== undefined) {
      const concurrency = typeof concurrencyValue === 'number' && concurrencyValue > 0 ? concurrencyValue : 1;
      chosen = notRun.slice(0, Math.max(0, concurrency - active));
    }
    const actions = chosen.map(({ item, idx }) => {
      let value = item;
      if (keys && Array.isArray(item)) value = Object.fromEntries(keys.map((k, i) => [k, item[i]]).filter((_, i) => i < item.length));
      else if (keys && keys.length === 1) value = { [keys[0]]: item };
      const itemScope: ExpressionScope = { ...scope, currentItem: value, hasItem: true };
      return { action: this.evaluate(spec.action, itemScope), input: this.evaluate(spec.input, itemScope) as Record<string, unknown>, item: idx };
    });
    return { id: s.id, route: s.route, actions, delay, items: items.length === 0 ? true : undefined, newRun: active === 0 && notRun.length === items.length };
  }

  // ---- update_task_state --------------------------------------------------------------------

  private addTaskState(state: OrquestaState, task: string, route: number, inCtx: number[], prev: Record<string, number>): TaskEntry {
    const entry: TaskEntry = { id: task, route, ctxs: { in: inCtx.length ? inCtx : [0] }, prev, next: {} };
    const retry = this.graph.retries.get(task);
    if (retry) {
      const ctx = this.context(state, entry.ctxs.in);
      const num = (v: unknown, what: string) => {
        const value = typeof v === 'string' ? this.evaluate(v, { vars: ctx }) : v;
        if (typeof value !== 'number' || !Number.isInteger(value)) throw new OrquestaError('ValueError', `The retry ${what} for task "${task}" is not an integer.`);
        return value;
      };
      entry.retry = { ...(retry.when ? { when: retry.when } : {}), count: num(retry.count, 'count'), ...(retry.delay !== undefined ? { delay: num(retry.delay, 'delay') } : {}), tally: 0 };
    }
    state.sequence.push(entry);
    state.tasks[entryKey(task, route)] = state.sequence.length - 1;
    return entry;
  }

  private updateTaskState(state: OrquestaState, task: string, route: number, event: { status: Status; result?: unknown; item?: number; engine?: boolean }): void {
    const staged = this.staged(state, task, route);
    let entry = this.entry(state, task, route);
    const spec = this.def.tasks[task];
    if (!staged && !entry) throw new Error(`task "${task}" (route ${route}) is neither staged nor started`);
    if (!entry || ENGINE_COMMANDS.includes(task)) entry = this.addTaskState(state, task, staged!.route, staged!.ctxs.in, staged!.prev);
    if (COMPLETED.includes(entry.status ?? '') && ['requested', 'scheduled', 'delayed', 'running', 'pending'].includes(event.status)) {
      entry = this.addTaskState(state, task, staged!.route, staged!.ctxs.in, staged!.prev);
    }
    if (staged && !staged.items) this.removeStaged(state, task, route);
    if (staged && event.item !== undefined && staged.items) staged.items[event.item] = { status: event.status };
    if (event.status === 'failed') this.logEntry(state, { type: 'error', message: 'Execution failed. See result for details.', task_id: task, ...(event.result !== undefined && event.result !== null ? { result: event.result } : {}) });

    const old = entry.status ?? 'null';
    entry.status = this.nextTaskStatus(old, event, staged);
    if (entry.status === 'retrying') {
      entry.retry!.tally += 1;
      this.removeStaged(state, task, route);
      state.staged.push({ id: task, route, ctxs: { in: entry.ctxs.in }, prev: entry.prev, ready: true, retry: entry.retry });
    }
    if (!COMPLETED.includes(entry.status)) return;
    if (!(spec?.with && ABENDED.includes(entry.status))) this.removeStaged(state, task, route);
    else {
      const s = this.staged(state, task, route);
      if (s) s.completed = true;
    }
    // With items, result() is the list of the items' results (null for items that did not run), as st2 accumulates it.
    const items = spec?.with ? Array.from({ length: staged?.items?.length ?? 0 }, (_, i) => state.itemResults[entryKey(task, route)]?.[i] ?? null) : [];
    const result = spec?.with ? items.map((item) => item?.result ?? null) : event.result;
    if (!ENGINE_COMMANDS.includes(task)) state.results[entryKey(task, route)] = { status: entry.status, result: spec?.with ? { items } : (event.result ?? null) };
    const currentCtx = this.context(state, entry.ctxs.in);
    const scope = this.scope(state, currentCtx, { id: task, route, result: result ?? null });
    if (ACTIVE.concat(['running']).includes(state.status) && this.shouldRetry(entry, scope)) {
      this.updateTaskState(state, task, route, { status: 'retrying', engine: true });
      return;
    }
    if (old === entry.status) return;

    const engineQueue: [string, number][] = [];
    const stagedNext: StagedTask[] = [];
    let manualFail = false;
    const transitions = this.graph.next(task);
    if (!transitions.length) entry.term = true;
    for (const t of transitions) {
      const tid = transitionKey(t);
      try {
        entry.next[tid] = t.criteria.every((c) => this.truthy(this.evaluate(c, scope)));
      } catch (error) {
        this.logError(state, error, task, route, tid);
        this.failWorkflow(state);
        continue;
      }
      if (!entry.next[tid]) continue;
      // finalize_context: publish in order, each seeing the previous ones.
      const rolling = { ...currentCtx };
      const published: Record<string, unknown> = {};
      let publishFailed = false;
      for (const [name, value] of this.def.tasks[task]?.next[t.ref]?.publish ?? []) {
        try {
          const v = this.evaluate(value, { ...scope, vars: rolling });
          rolling[name] = v;
          published[name] = v;
        } catch (error) {
          this.logError(state, error, task, route, tid);
          publishFailed = true;
        }
      }
      if (publishFailed) {
        this.failWorkflow(state);
        continue;
      }
      const outIdxs = [...entry.ctxs.in];
      if (Object.keys(published).length) {
        state.contexts.push(published);
        outIdxs.push(state.contexts.length - 1);
        entry.ctxs.out = { [tid]: state.contexts.length - 1 };
      }
      const nextRoute = this.evaluateRoute(state, t, route);
      let next = this.staged(state, t.to, nextRoute);
      const backref = `${task}__t${t.key}`;
      const idx = state.tasks[entryKey(task, route)];
      if (next) {
        outIdxs.splice(outIdxs.indexOf(0), 1);
        next.ctxs.in.push(...outIdxs);
        next.prev[backref] = idx;
        delete next.items;
        delete next.completed;
      } else {
        next = { id: t.to, route: nextRoute, ctxs: { in: outIdxs }, prev: { [backref]: idx }, ready: false };
        state.staged.push(next);
      }
      next.ready = this.inboundCriteria(state, t.to, route) === 'satisfied';
      if (ENGINE_COMMANDS.includes(t.to)) {
        engineQueue.push([next.id, next.route]);
        manualFail ||= t.to === 'fail';
      } else if (next.ready) stagedNext.push(next);
    }
    if (manualFail) for (const s of stagedNext) s.run_on_fail = true;

    this.processTaskEvent(state, task, route, entry.status);
    for (const [cmd, cmdRoute] of engineQueue) {
      this.updateTaskState(state, cmd, cmdRoute, { status: cmd === 'fail' ? 'failed' : cmd === 'retry' ? 'retrying' : 'succeeded', engine: true });
    }
    if (COMPLETED.includes(state.status)) entry.term = true;
  }

  private truthy(v: unknown): boolean {
    if (Array.isArray(v)) return v.length > 0;
    if (v && typeof v === 'object') return Object.keys(v).length > 0;
    return Boolean(v);
  }

  private shouldRetry(entry: TaskEntry, scope: ExpressionScope): boolean {
    if (!entry.retry || entry.retry.tally >= entry.retry.count) return false;
    if (ABENDED.includes(entry.status ?? '') && !entry.retry.when) return true;
    return entry.retry.when ? this.truthy(this.evaluate(entry.retry.when, scope)) : false;
  }

  /** The task state machine for the statuses a driver reports (TASK_STATE_MACHINE_DATA). */
  private nextTaskStatus(old: Status, event: { status: Status; item?: number; engine?: boolean }, staged: StagedTask | undefined): Status {
    if (event.engine) {
      if (event.status === 'retrying') return COMPLETED.includes(old) ? 'retrying' : old;
      return old === 'null' ? event.status : old;
    }
    if (event.item !== undefined && staged?.items && COMPLETED.includes(event.status)) {
      const others = staged.items.filter((_, i) => i !== event.item).map((i) => i.status);
      const active = others.some((s) => ACTIVE.includes(s));
      if (event.status === 'canceled') return active ? 'canceling' : 'canceled';
      if (active) return old;
      if (others.includes('canceled')) return 'canceled';
      if (others.some((s) => ABENDED.includes(s)) || ABENDED.includes(event.status)) return 'failed';
      return others.some((s) => !COMPLETED.includes(s)) ? 'running' : 'succeeded';
    }
    if (event.status === 'running') return ['null', 'retrying', 'running'].includes(old) ? 'running' : old;
    if (old !== 'running') return old;
    if (event.status === 'timeout' || event.status === 'abandoned') return 'failed';
    return event.status;
  }

  private evaluateRoute(state: OrquestaState, t: Transition, prevRoute: number): number {
    if (!this.graph.isSplit(t.to) || this.graph.inCycle(t.to)) return prevRoute;
    const old = state.routes[prevRoute];
    const id = `${t.from}__t${t.key}`;
    if (old.includes(id)) return prevRoute;
    state.routes.push([...old, id]);
    return state.routes.length - 1;
  }

  private inboundCriteria(state: OrquestaState, task: string, route: number): 'satisfied' | 'wip' | 'not_satisfied' {
    const inbound = this.graph.prev(task);
    const evaluation = new Map<string, boolean | null>();
    for (const t of inbound) if (!evaluation.has(t.from)) evaluation.set(t.from, null);
    const barrier = this.graph.barriers.get(task) ?? 1;
    const requirement = barrier === '*' ? evaluation.size : barrier;
    for (const t of inbound) {
      const prev = this.entry(state, t.from, route);
      if (!prev) continue;
      const satisfied = prev.next[transitionKey(t)] === true;
      if (!evaluation.get(t.from)) evaluation.set(t.from, satisfied);
    }
    const values = [...evaluation.values()];
    if (values.filter((v) => v === true).length >= requirement) return 'satisfied';
    if (values.includes(null) && (this.hasActiveTasks(state) || this.readyStaged(state).length > 0)) return 'wip';
    return 'not_satisfied';
  }

  private hasNext(state: OrquestaState, task: string, route: number, evalJoin: boolean): boolean {
    const entry = this.entry(state, task, route);
    if (!entry || !COMPLETED.includes(entry.status ?? '')) return false;
    for (const t of this.graph.next(task)) {
      if (t.to === 'continue' || !entry.next[transitionKey(t)]) continue;
      if (this.graph.barriers.has(t.to)) {
        if (!evalJoin) return true;
        if (this.inboundCriteria(state, t.to, route) === 'not_satisfied') continue;
      }
      return true;
    }
    return false;
  }

  /** WorkflowStateMachine.process_task_event for the statuses this conductor sees. */
  private processTaskEvent(state: OrquestaState, task: string, route: number, status: Status): void {
    if (!COMPLETED.includes(status)) return;
    const hasNext = this.hasNext(state, task, route, true);
    const remediated = ABENDED.includes(status) && (hasNext || this.hasNext(state, task, route, false));
    const active = this.hasActiveTasks(state);
    const wf = state.status;
    const completedish = (): Status => {
      const canceled = Object.values(state.tasks).some((i) => ['canceling', 'canceled'].includes(state.sequence[i].status ?? ''));
      if (canceled) return active ? 'canceling' : 'canceled';
      if (this.readyStaged(state).length || hasNext) return 'running';
      return active ? 'running' : 'succeeded';
    };
    if (wf === 'running') {
      if (status === 'canceled') state.status = active ? 'canceling' : 'canceled';
      else if (ABENDED.includes(status) && !remediated) state.status = 'failed';
      else state.status = completedish();
    } else if (wf === 'canceling') {
      if (!active) state.status = 'canceled';
    }
    if (COMPLETED.includes(state.status)) {
      const barriers = state.staged.filter((s) => this.graph.barriers.has(s.id) && !s.ready && this.inboundCriteria(state, s.id, s.route) === 'not_satisfied');
      if (barriers.length) {
        state.status = 'failed';
        for (const b of barriers) this.logError(state, new OrquestaError('UnreachableJoinError', `The join task|route "${b.id}|${b.route}" is partially satisfied but unreachable.`), b.id, b.route);
      }
    }
  }

  /** request_workflow_status(FAILED): every status but canceled (final) and failed moves to failed. */
  private failWorkflow(state: OrquestaState): void {
    if (state.status !== 'canceled') state.status = 'failed';
  }

  // ---- output -------------------------------------------------------------------------------

  private terminalContext(state: OrquestaState): Record<string, unknown> {
    const terms = state.sequence.filter((t) => t.term);
    if (!terms.length) return {};
    let ctx = this.context(state, terms[0].ctxs.in);
    for (const t of terms.slice(1)) ctx = { ...ctx, ...this.context(state, t.ctxs.in.filter((i) => i !== 0)) };
    return ctx;
  }

  private renderOutput(state: OrquestaState): void {
    if (state.output || !this.def.output.length) return;
    const rolling = this.terminalContext(state);
    const outputs: Record<string, unknown> = {};
    let failed = false;
    for (const [name, value] of this.def.output) {
      try {
        const v = this.evaluate(value, this.scope(state, rolling));
        rolling[name] = v;
        outputs[name] = v;
      } catch (error) {
        this.logError(state, error);
        failed = true;
      }
    }
    if (Object.keys(outputs).length) state.output = outputs;
    if (failed && !['timeout', 'abandoned', 'canceled'].includes(state.status)) state.status = 'failed';
  }
}

