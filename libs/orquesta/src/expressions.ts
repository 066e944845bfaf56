// Orquesta's expression facade (orquesta/expressions/base.py, yql.py, jinja.py): a statement is
// any YAML value; strings holding `<% %>` are YAQL, `{{ }}`/`{% %}` Jinja. A string that is exactly
// one expression gives the expression's own value; otherwise each expression is replaced by
// Python's str() of its value. Evaluation is pure: the datastore comes in as a synchronous lookup.
import { evaluate, evaluateRaw, parse, pyStr, YaqlError, YaqlEvaluationError, type YaqlFunction } from '@tempest/yaql';
import { ST2_FUNCTIONS, ST2_REFUSED_FUNCTIONS, St2FunctionError } from './st2-functions';

/** Reads a datastore key (`st2kv('system.x')`); the driver pre-fetches the keys a run needs. */
export type DatastoreLookup = (key: string, options: { decrypt: boolean }) => string | undefined;

/**
 * Renders a Jinja template against a context whose entries include Orquesta's functions (ctx,
 * result, ...): a template that is exactly one `{{ }}` gives its value, anything else a string.
 * `renderTemplate` of @tempest/templating has this shape; it cannot be imported here (it is not a
 * pure lib: nunjucks, and a wall-clock budget), so the caller injects it.
 */
export type JinjaRender = (template: string, context: Record<string, unknown>) => unknown;

export interface ExpressionOptions {
  lookup?: DatastoreLookup;
  /** StackStorm's decrypt_kv: the plain value of what st2kv() gave without decrypting (a secret's ciphertext). */
  decrypt?: (value: unknown) => unknown;
  jinja?: JinjaRender;
  /**
   * A uniform [0, 1) source for YAQL's random() (refused without it). Inside a Temporal workflow,
   * Math.random is seeded by the run, so replays see the same numbers.
   */
  random?: () => number;
}

/** The state task_status() reads: Orquesta's `__state` (sequence, pointers `task__r<route>`, routes). */
export interface FlowView {
  tasks: Record<string, number>;
  sequence: { id: string; route: number; status?: string }[];
  routes: string[][];
  /** Completed tasks' status and result by `task__r<route>` (st2's task execution records). */
  results?: Record<string, { status: string; result: unknown }>;
}

/** What an expression sees: the context's variables, plus the current task, item and flow state. */
export interface ExpressionScope {
  vars: Record<string, unknown>;
  currentTask?: { id: string; route: number; result?: unknown; hasResult?: boolean };
  currentItem?: unknown;
  hasItem?: boolean;
  state?: FlowView;
}

/** An expression that failed as Orquesta reports it: `type` is Orquesta's exception class. */
export class ExpressionError extends Error {
  constructor(
    readonly type: 'YaqlEvaluationException' | 'JinjaEvaluationException',
    message: string,
  ) {
    super(message);
  }
  /** `ExceptionName: message`, the form Orquesta logs. */
  get logMessage(): string {
    return `${this.type}: ${this.message}`;
  }
}

/** An error raised inside one of Orquesta's functions, with the Python class Orquesta would name. */
class FunctionError extends Error {
  constructor(
    readonly kind: string,
    message: string,
  ) {
    super(message);
  }
}

const YAQL_PATTERN = /<%.*?%>/gs;
const JINJA_PATTERN = /\{\{.*?\}\}/gs;
const JINJA_BLOCK_PATTERN = /\{%.*?%\}/gs;
const MAX_REEVALUATION = 20;

export const hasYaql = (text: string): boolean => new RegExp(YAQL_PATTERN.source, 's').test(text);
export const hasJinja = (text: string): boolean => new RegExp(JINJA_PATTERN.source, 's').test(text) || new RegExp(JINJA_BLOCK_PATTERN.source, 's').test(text);
export const yaqlExpressions = (text: string): string[] => text.match(new RegExp(YAQL_PATTERN.source, 'gs')) ?? [];
export const jinjaExpressions = (text: string): string[] => text.match(new RegExp(JINJA_PATTERN.source, 'gs')) ?? [];
/** `<% x %>` without its delimiters, as Python's `strip('<%>').strip()`. */
export const stripYaql = (expr: string): string => expr.replace(/^[<%>]+|[<%>]+$/g, '').trim();
export const stripJinja = (expr: string): string => expr.replace(/^[{}]+|[{}]+$/g, '').trim();

/** Functions an expression may call: Orquesta's, and those StackStorm adds that are computed here. */
export const ORQUESTA_FUNCTIONS: readonly string[] = ['ctx', 'json', 'zip', 'item', 'task_status', 'succeeded', 'failed', 'completed', 'result', 'st2kv', 'decrypt_kv', 'task', ...Object.keys(ST2_FUNCTIONS)];

const STATUS_UNSET = 'null';
const COMPLETED = ['succeeded', 'failed', 'timeout', 'abandoned', 'canceled'];

function currentTask(scope: ExpressionScope): NonNullable<ExpressionScope['currentTask']> {
  if (!scope.currentTask) throw new FunctionError('ExpressionEvaluationException', 'The current task is not set in the context.');
  return scope.currentTask;
}

/** The route a task ran in as seen from `route`: that route, or the nearest one it split from (workflow.py). */
function taskRoute(state: FlowView, taskId: string, route: number): number | undefined {
  if (state.tasks[`${taskId}__r${route}`] !== undefined) return route;
  if (route > 0) {
    const current = state.routes[route] ?? [];
    for (let prev = route - 1; prev >= 0; prev--) {
      if ((state.routes[prev] ?? []).every((step) => current.includes(step))) return taskRoute(state, taskId, prev);
    }
  }
  return undefined;
}

/** task_status(task, route): the status in this route, or in the route it split from. */
export function taskStatus(state: FlowView | undefined, taskId: string, route: number): string {
  const found = state && taskRoute(state, taskId, route);
  if (!state || found === undefined) return STATUS_UNSET;
  return state.sequence[state.tasks[`${taskId}__r${found}`]]?.status ?? STATUS_UNSET;
}

/**
 * st2's task(task_id, route) (orquesta_runner/orquesta_functions/runtime.py): the task execution's
 * record. Its ids and timestamps are the driver's, not known here: they are absent, so reading them
 * fails instead of giving a wrong value.
 */
function taskRecord(state: FlowView | undefined, taskId: string, route: number): Record<string, unknown> {
  const found = state && taskRoute(state, taskId, route);
  const record = found === undefined ? undefined : state?.results?.[`${taskId}__r${found}`];
  if (!state || found === undefined || !record) throw new FunctionError('ExpressionEvaluationException', `Unable to find task execution for "${taskId}".`);
  return { task_name: taskId, task_id: taskId, route: found, result: record.result, status: record.status };
}

function functions(scope: ExpressionScope, options: ExpressionOptions): Record<string, YaqlFunction> {
  const ctx = (key?: unknown) => {
    if (key !== undefined && key !== null && key !== '') {
      const name = String(key);
      if (!Object.hasOwn(scope.vars, name)) throw new FunctionError('VariableUndefinedError', `The variable "${name}" is undefined.`);
      if (name.startsWith('__')) throw new FunctionError('VariableInaccessibleError', `The variable "${name}" is for internal use and inaccessible.`);
      return scope.vars[name];
    }
    return Object.fromEntries(Object.entries(scope.vars).filter(([k]) => !k.startsWith('__')));
  };
  const status = () => {
    const task = currentTask(scope);
    return taskStatus(scope.state, task.id, task.route);
  };
  const st2: Record<string, YaqlFunction> = {};
  for (const [name, fn] of Object.entries(ST2_FUNCTIONS)) st2[name] = ({ args, kwargs }) => fn(args, kwargs);
  for (const [name, why] of Object.entries(ST2_REFUSED_FUNCTIONS)) {
    st2[name] = () => {
      throw new FunctionError('NotImplementedError', `StackStorm's function ${name}() is not supported here: ${why}`);
    };
  }
  const random = options.random;
  if (random) {
    // yaql's random(): random.random(); random(from, to): random.randint(from, to), both ends included.
    st2['random'] = ({ args }) => {
      if (args.length === 0) return random();
      const [from, to] = args;
      if (args.length !== 2 || !Number.isInteger(from) || !Number.isInteger(to) || (to as number) < (from as number)) throw new FunctionError('ValueError', 'random(from, to) takes two integers, from <= to');
      return (from as number) + Math.floor(random() * ((to as number) - (from as number) + 1));
    };
  }
  return {
    ...st2,
    ctx: ({ args }) => ctx(args[0]),
    json: ({ args }) => {
      const [s] = args;
      if (typeof s === 'object' && s !== null && !Array.isArray(s)) return s;
      if (typeof s !== 'string') throw new FunctionError('TypeError', 'Given object is not typeof string.');
      try {
        return JSON.parse(s);
      } catch (error) {
        throw new FunctionError('JSONDecodeError', (error as Error).message);
      }
    },
    zip: ({ args, kwargs }) => {
      const lists = args.map((arg) => (arg === null || arg === undefined ? [] : arg));
      if (lists.length === 1) return lists[0];
      for (const list of lists) if (!Array.isArray(list)) throw new FunctionError('TypeError', 'zip() arguments must be lists');
      const pad = kwargs['pad'] ?? null;
      const length = Math.max(0, ...lists.map((list) => (list as unknown[]).length));
      return Array.from({ length }, (_, i) => lists.map((list) => (i < (list as unknown[]).length ? (list as unknown[])[i] : pad)));
    },
    item: ({ args }) => {
      if (!scope.hasItem) throw new FunctionError('KeyError', '__current_item');
      const key = args[0];
      if (key === undefined || key === null || key === '') return scope.currentItem;
      const item = scope.currentItem;
      if (typeof item !== 'object' || item === null || Array.isArray(item)) throw new FunctionError('ExpressionEvaluationException', 'Item is not type of collections.abc.Mapping.');
      if (!Object.hasOwn(item, String(key))) throw new FunctionError('ExpressionEvaluationException', `Item does not have key "${String(key)}".`);
      return (item as Record<string, unknown>)[String(key)];
    },
    task_status: ({ args }) => {
      const route = args[1] ?? scope.currentTask?.route ?? 0;
      return taskStatus(scope.state, String(args[0]), Number(route));
    },
    succeeded: () => status() === 'succeeded',
    failed: () => status() === 'failed',
    completed: () => COMPLETED.includes(status()),
    result: () => currentTask(scope).result ?? null,
    task: ({ args, kwargs }) => {
      const taskId = args[0] ?? kwargs['task_id'] ?? currentTask(scope).id;
      const route = args[1] ?? kwargs['route'] ?? scope.currentTask?.route ?? 0;
      return taskRecord(scope.state, String(taskId), Number(route));
    },
    st2kv: ({ args, kwargs }) => {
      const [key] = args;
      if (typeof key !== 'string') throw new FunctionError('TypeError', 'Given key is not typeof string.');
      const decrypt = kwargs['decrypt'] ?? false;
      if (typeof decrypt !== 'boolean') throw new FunctionError('TypeError', 'Decrypt parameter is not typeof bool.');
      if (!options.lookup) throw new FunctionError('ExpressionEvaluationException', 'st2kv: no datastore lookup was given to the conductor.');
      const value = options.lookup(key, { decrypt });
      if (value !== undefined) return value;
      if (Object.hasOwn(kwargs, 'default')) return kwargs['default'];
      throw new FunctionError('ExpressionEvaluationException', `The key "${key}" does not exist in the StackStorm datastore.`);
    },
    decrypt_kv: ({ args }) => {
      if (!options.decrypt) throw new FunctionError('ExpressionEvaluationException', 'decrypt_kv: no datastore to decrypt with was given to the conductor.');
      return options.decrypt(args[0]);
    },
  };
}

/** The text of an error inside an expression as Python prints `ClassName: message`. */
function describe(error: unknown): { kind: string; message: string } {
  if (error instanceof FunctionError || error instanceof St2FunctionError) return { kind: error.kind, message: error.message };
  if (error instanceof YaqlEvaluationError) return { kind: error.kind, message: error.message };
  if (error instanceof YaqlError) return { kind: error.name, message: error.message };
  if (error instanceof ExpressionError) return { kind: error.type, message: error.message };
  return { kind: error instanceof Error ? error.name : 'Exception', message: error instanceof Error ? error.message : String(error) };
}

function evaluateYaql(text: string, scope: ExpressionScope, options: ExpressionOptions, depth: number): unknown {
  if (depth > MAX_REEVALUATION) throw new ExpressionError('YaqlEvaluationException', `Unable to evaluate expression '${text}'. The result keeps producing expressions.`);
  const exprs = yaqlExpressions(text);
  const fns = functions(scope, options);
  let output: unknown = text;
  for (const expr of exprs) {
    const stripped = stripYaql(expr);
    try {
      const whole = exprs.length === 1 && text.length === expr.length;
      let result: unknown = whole ? evaluate(stripped, { functions: fns }) : evaluateRaw(stripped, { functions: fns });
      if (typeof result === 'string' && hasYaql(result)) result = evaluateYaql(result, scope, options, depth + 1);
      output = whole ? result : (output as string).replace(expr, () => (typeof result === 'string' ? result : pyStr(result as never, true)));
    } catch (error) {
      if (error instanceof ExpressionError) throw error;
      if (error instanceof YaqlEvaluationError && error.kind === 'KeyError') {
        throw new ExpressionError('YaqlEvaluationException', `Unable to resolve key '${String(error.key ?? error.message).replace(/^'|'$/g, '')}' in expression '${expr}' from context.`);
      }
      const { kind, message } = describe(error);
      throw new ExpressionError('YaqlEvaluationException', `Unable to evaluate expression '${expr}'. ${kind}: ${message.replace(/^'|'$/g, '')}`);
    }
  }
  return output;
}

function jinjaContext(scope: ExpressionScope, options: ExpressionOptions): Record<string, unknown> {
  const context: Record<string, unknown> = {};
  for (const [name, fn] of Object.entries(functions(scope, options))) {
    context[name] = (...args: unknown[]) => {
      // nunjucks passes keyword arguments as a trailing object marked `__keywords`.
      const last = args[args.length - 1] as Record<string, unknown> | undefined;
      const kw = last && typeof last === 'object' && (last as { __keywords?: boolean }).__keywords ? (args.pop() as Record<string, unknown>) : {};
      const { __keywords: _, ...kwargs } = kw;
      return fn({ args, kwargs, context: { get: () => undefined } });
    };
  }
  return context;
}

const JINJA_RAW_BLOCK = /\{% raw %\}.*?\{% endraw %\}/gs;

/** orquesta/expressions/jinja.py `_evaluate_and_expand`: blocks render the whole text; inline `{{ }}` each give a value. */
function expandJinja(text: string, scope: ExpressionScope, options: ExpressionOptions, render: JinjaRender, depth: number): unknown {
  if (depth > MAX_REEVALUATION) throw new ExpressionError('JinjaEvaluationException', `Unable to evaluate expression '${text}'. The result keeps producing expressions.`);
  const exprs = jinjaExpressions(text);
  const blocks = text.match(new RegExp(JINJA_BLOCK_PATTERN.source, 'gs')) ?? [];
  const context = jinjaContext(scope, options);
  let current = text;
  try {
    if (blocks.length) {
      current = text;
      const output = render(text, context);
      return expandJinja(typeof output === 'string' ? output : pyStr(output as never, true), scope, options, render, depth + 1);
    }
    let output: unknown = text;
    for (const expr of exprs) {
      current = expr;
      let result = render(`{{ ${stripJinja(expr)} }}`, context);
      if (typeof result === 'string') result = expandJinja(result, scope, options, render, depth + 1);
      if (exprs.length > 1 || (output as string).length > expr.length) output = (output as string).replace(expr, () => (typeof result === 'string' ? result : pyStr(result as never, true)));
      else output = result;
    }
    return output;
  } catch (error) {
    if (error instanceof ExpressionError) throw error;
    const { kind, message } = describe(error);
    throw new ExpressionError('JinjaEvaluationException', `Unable to evaluate expression '${current}'. ${kind}: ${message}`);
  }
}

function evaluateJinja(text: string, scope: ExpressionScope, options: ExpressionOptions): unknown {
  const render = options.jinja;
  if (!render) throw new ExpressionError('JinjaEvaluationException', `Unable to evaluate expression '${text}'. No Jinja renderer was given to the conductor.`);
  // Raw blocks are set aside, the rest evaluated, then the raw blocks rendered as they are.
  const raw = text.match(JINJA_RAW_BLOCK) ?? [];
  let body = text;
  raw.forEach((block, i) => (body = body.replace(block, `{${i}}`)));
  let output = expandJinja(body, scope, options, render, 0);
  if (typeof output === 'string') {
    const unresolved = jinjaExpressions(output).map(stripJinja);
    if (unresolved.length) throw new ExpressionError('JinjaEvaluationException', `There are unresolved variables: ${unresolved.join(', ')}`);
    if (raw.length) {
      raw.forEach((block, i) => (output = (output as string).replace(`{${i}}`, block)));
      output = render(output as string, jinjaContext(scope, options));
    }
  }
  return output;
}

function evaluateString(text: string, scope: ExpressionScope, options: ExpressionOptions): unknown {
  // As expressions.base.evaluate: the first evaluator (yaql, then jinja, in Orquesta's entry-point order) that finds expressions takes the text.
  if (hasYaql(text)) return evaluateYaql(text, scope, options, 0);
  if (hasJinja(text)) return evaluateJinja(text, scope, options);
  return text;
}

/** Evaluates a statement (string, list or mapping, recursively; keys too) as orquesta's expressions.base.evaluate. */
export function evaluateStatement(statement: unknown, scope: ExpressionScope, options: ExpressionOptions = {}): unknown {
  if (typeof statement === 'string') return evaluateString(statement, scope, options);
  if (Array.isArray(statement)) return statement.map((item) => evaluateStatement(item, scope, options));
  if (typeof statement === 'object' && statement !== null) {
    const out: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(statement)) {
      const name = evaluateStatement(key, scope, options);
      Object.defineProperty(out, typeof name === 'string' ? name : pyStr(name as never, true), { value: evaluateStatement(value, scope, options), enumerable: true, writable: true, configurable: true });
    }
    return out;
  }
  return statement;
}

/** Syntax check of every `<% %>` in a text; returns yaql's message per bad expression. */
export function yaqlSyntaxErrors(text: string): { expression: string; message: string }[] {
  const errors: { expression: string; message: string }[] = [];
  for (const expr of yaqlExpressions(text)) {
    try {
      parse(stripYaql(expr));
    } catch (error) {
      errors.push({ expression: expr, message: error instanceof Error ? error.message : String(error) });
    }
  }
  return errors;
}
