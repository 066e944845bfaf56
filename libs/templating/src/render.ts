import * as nunjucks from 'nunjucks';
import { shellQuote } from '@tempest/domain';
import { addStackstormFilters, NONE_MAGIC_VALUE } from './filters';
import { MAX_TEMPLATE_OUTPUT, RenderBudget } from './render-budget';
import { LEXER_OPTIONS, parseTemplate, singleExpression, templateReferences, type TemplateNode } from './template-ast';

/**
 * Context entry through which a caller provides StackStorm's `decrypt_kv`
 * filter: a function from the value `st2kv` gave the template to its plain text.
 */
export const DECRYPT_KV_HOOK = '__decrypt_kv__';

/** A template that cannot be parsed or rendered; the message says why, without nunjucks' noise. */
export class TemplateError extends Error {
  override readonly name = 'TemplateError';
}

// Jinja's literals in either case (nunjucks only knows true/false/none).
const JINJA_CONSTANTS: Record<string, unknown> = { True: true, False: false, None: null };
// Jinja's sandbox caps range() so a template cannot allocate without bound.
const MAX_RANGE = 100_000;

function createEnvironment(): nunjucks.Environment {
  // No loaders (an empty list, not the default FileSystemLoader): templates are strings,
  // so include, import and extends find nothing, on disk or anywhere else.
  const env = new nunjucks.Environment([], { ...LEXER_OPTIONS, autoescape: false, throwOnUndefined: true });
  addStackstormFilters(env);
  for (const [name, value] of Object.entries(JINJA_CONSTANTS)) env.addGlobal(name, value);
  const range = env.getGlobal('range') as (...args: number[]) => number[];
  env.addGlobal('range', (...args: number[]) => {
    const [start, stop, step = 1] = args.length === 1 ? [0, args[0]] : args;
    if (Math.abs((stop - start) / step) > MAX_RANGE) throw new Error(`range() is limited to ${MAX_RANGE} items`);
    return range(...args);
  });
  // Tests StackStorm adds or Jinja has under another name.
  const addTest = (env as unknown as { addTest(name: string, test: (...args: unknown[]) => boolean): void }).addTest.bind(env);
  addTest('none', (value) => value === null);
  addTest('in', (item, container) => (typeof container === 'string' ? container.includes(String(item)) : Array.isArray(container) ? container.includes(item) : typeof container === 'object' && container !== null && Object.hasOwn(container, String(item))));
  // Decrypting needs the datastore, which only the caller knows: it passes the function in the context.
  env.addFilter('decrypt_kv', function (this: { ctx: Record<string, unknown> }, value: unknown) {
    const decrypt = this.ctx[DECRYPT_KV_HOOK];
    if (typeof decrypt !== 'function') throw new Error('decrypt_kv: no datastore to decrypt with here');
    return (decrypt as (value: unknown) => unknown)(value);
  });
  // Every filter, nunjucks' own included, runs within the rendering's budget.
  const filters = (env as unknown as { filters: Record<string, (this: unknown, ...args: unknown[]) => unknown> }).filters;
  for (const [name, filter] of Object.entries(filters)) {
    filters[name] = function (this: unknown, input: unknown, ...args: unknown[]) {
      return rendering ? rendering.budget.call(name, input, args, () => filter.call(this, input, ...args)) : filter.call(this, input, ...args);
    };
  }
  return env;
}

const env = createEnvironment();

type Runtime = Record<string, unknown> & {
  memberLookup(obj: unknown, key: unknown): unknown;
  contextOrFrameLookup(context: { ctx: object }, frame: { lookup(name: string): unknown }, name: string): unknown;
  ensureDefined(value: unknown, lineno: number, colno: number): unknown;
  suppressValue(value: unknown, autoescape: boolean): unknown;
  fromIterator(value: unknown): unknown;
  callWrap(obj: unknown, name: string, context: unknown, args: unknown[]): unknown;
  inOperator(key: unknown, value: unknown): unknown;
};
type RootRender = (env: unknown, context: unknown, frame: unknown, runtime: Runtime, cb: (err: unknown, out: string) => void) => void;

// nunjucks compiles templates to JavaScript with no sandbox: `range.constructor("...")()`
// runs any code. Jinja's SandboxedEnvironment, which StackStorm uses, forbids such
// access; this runtime does the same for the paths to Function and to prototypes.
const FORBIDDEN_MEMBERS = new Set(['constructor', '__proto__', 'prototype', '__defineGetter__', '__defineSetter__', '__lookupGetter__', '__lookupSetter__']);
const baseRuntime = (nunjucks as unknown as { runtime: Runtime }).runtime;
// Output of the `safe` filter; a single expression should give the plain string.
const SafeString = baseRuntime['SafeString'] as new (...args: unknown[]) => object;

/** How the template being rendered (rendering is synchronous: one at a time) writes its output. */
interface Rendering {
  readonly budget: RenderBudget;
  /** For a single-expression template: its one output, kept as a value. */
  readonly capture?: { values: unknown[] };
  /** Every output is one shell word (see RenderOptions.shell). */
  readonly shell: boolean;
}
let rendering: Rendering | undefined;

/**
 * One shell word holding an output. `{{`, `{%` and `{#` are split across two
 * quoted parts ('a{''{b' is the word a{{b), so a rendered command never
 * reads as a template: a later rendering cannot evaluate what a payload wrote.
 */
function shellWord(value: unknown): string {
  // Lists and mappings as JSON; values that say how to be text (SafeString, a datastore entry) as that text.
  const data = typeof value === 'object' && value !== null && !(value instanceof SafeString) && typeof (value as Record<symbol, unknown>)[Symbol.toPrimitive] !== 'function';
  const text = value === null || value === undefined ? '' : data ? JSON.stringify(value) : String(value);
  return shellQuote(text).replace(/\{(?=[{%#])/g, "{''");
}

const hardenedRuntime: Runtime = {
  ...baseRuntime,
  memberLookup(obj, key) {
    const name = typeof key === 'number' ? key : String(key);
    if (typeof name === 'string' && FORBIDDEN_MEMBERS.has(name)) throw new Error(`access to "${name}" is not allowed in templates`);
    const member = baseRuntime.memberLookup(obj, name);
    // A method of a value ("x".repeat(n), list.concat(list)) runs within the budget too.
    if (typeof member !== 'function' || !rendering) return member;
    const budget = rendering.budget;
    return (...args: unknown[]) => budget.call(String(name), obj, args, () => (member as (...args: unknown[]) => unknown)(...args));
  },
  fromIterator(value) {
    const items = baseRuntime.fromIterator(value);
    if (rendering && items !== null && items !== undefined) {
      rendering.budget.spend(typeof items === 'string' || Array.isArray(items) ? items.length : typeof items === 'object' ? Object.keys(items).length : 0);
    }
    return items;
  },
  callWrap(obj, name, context, args) {
    if (!rendering) return baseRuntime.callWrap(obj, name, context, args);
    rendering.budget.spend(1);
    return rendering.budget.check(baseRuntime.callWrap(obj, name, context, args));
  },
  inOperator(key, value) {
    rendering?.budget.check(key);
    rendering?.budget.check(value);
    return baseRuntime.inOperator(key, value);
  },
  contextOrFrameLookup(context, frame, name) {
    // The context object inherits Object.prototype; `constructor` must not resolve to Object.
    if (name in Object.prototype && !Object.hasOwn(context.ctx, name) && frame.lookup(name) === undefined) return undefined;
    return baseRuntime.contextOrFrameLookup(context, frame, name);
  },
  ensureDefined(value, lineno, colno) {
    return rendering?.capture ? value : baseRuntime.ensureDefined(value, lineno, colno);
  },
  suppressValue(value, autoescape) {
    if (!rendering) return baseRuntime.suppressValue(value, autoescape);
    rendering.budget.check(value);
    if (rendering.capture) {
      rendering.capture.values.push(value);
      return '';
    }
    const text = rendering.shell ? shellWord(value) : String(baseRuntime.suppressValue(value, autoescape));
    rendering.budget.emit(text);
    return text;
  },
};

// Compiling is the costly part (nunjucks generates and evaluates JavaScript); keep recent templates.
const CACHE_SIZE = 500;
const compiled = new Map<string, nunjucks.Template>();

function compile(template: string): nunjucks.Template {
  const cached = compiled.get(template);
  if (cached) return cached;
  const tmpl = new nunjucks.Template(template, env, undefined, true) as nunjucks.Template & { rootRenderFunc: RootRender };
  const root = tmpl.rootRenderFunc;
  tmpl.rootRenderFunc = (e, context, frame, _runtime, cb) => root(e, context, frame, hardenedRuntime, cb);
  if (compiled.size >= CACHE_SIZE) compiled.delete(compiled.keys().next().value!);
  compiled.set(template, tmpl);
  return tmpl;
}

/** nunjucks' message without "(unknown path)" and wrapper lines, with its position if it gave one. */
function reasonOf(error: unknown): string {
  const raw = error instanceof Error ? error.message : String(error);
  const position = /\[Line (\d+), Column (\d+)\]/.exec(raw);
  const lines = raw
    .replace(/\(unknown path\)|\[Line \d+, Column \d+\]|Template render error:/g, '')
    .split('\n')
    .map((line) => line.trim())
    .filter(Boolean);
  const reason = (lines[lines.length - 1] ?? raw).replace(/^(?:[A-Z]\w*)?Error: /, '');
  // The parser's own errors carry the (1-based) position as properties instead.
  const { lineno, colno } = error as { lineno?: unknown; colno?: unknown };
  const where = position ? [position[1], position[2]] : typeof lineno === 'number' ? [lineno, colno] : null;
  return where ? `${reason} (line ${where[0]}, column ${where[1]})` : reason;
}

// getGlobal throws for unknown names, so ask the table itself.
const envGlobals = (env as unknown as { globals: Record<string, unknown> }).globals;
const isGlobal = (name: string): boolean => Object.hasOwn(envGlobals, name);

/**
 * Throws for context variables the template reads but nobody provided. A name
 * the template checks somewhere (`is defined`, `| default`) is left to run
 * time, so `{% if x is defined %}{{ x }}{% endif %}` works as under Jinja.
 */
function checkDefined(ast: TemplateNode, context: Record<string, unknown>): void {
  const { names, guarded } = templateReferences(ast);
  const missing = names.filter((name) => !guarded.has(name) && (!Object.hasOwn(context, name) || context[name] === undefined) && !isGlobal(name));
  if (missing.length === 1) throw new TemplateError(`undefined variable "${missing[0]}"`);
  if (missing.length > 1) throw new TemplateError(`undefined variables ${missing.map((name) => `"${name}"`).join(', ')}`);
}

/** Whether a value is a string with Jinja markers, as StackStorm's `is_jinja_expression`. */
export function isTemplate(value: unknown): value is string {
  return typeof value === 'string' && (value.includes('{{') || value.includes('{%'));
}

/** nunjucks' `r/.../` literals (Jinja has none) would run JavaScript's backtracking regexes: refused. */
function refuseRegexLiterals(node: unknown): void {
  if (Array.isArray(node)) return node.forEach(refuseRegexLiterals);
  if (typeof node !== 'object' || node === null || typeof (node as TemplateNode).typename !== 'string') return;
  const { typename, value, fields } = node as TemplateNode;
  if (typename === 'Literal' && value instanceof RegExp) throw new TemplateError('syntax error: regular expression literals (r/.../) are not supported; use the regex_* filters');
  for (const field of fields) refuseRegexLiterals((node as TemplateNode)[field]);
}

/** Parses a template, throwing a TemplateError for a syntax error. */
export function parse(template: string): TemplateNode {
  let ast: TemplateNode;
  try {
    ast = parseTemplate(template);
  } catch (error) {
    throw new TemplateError(`syntax error: ${reasonOf(error)}`);
  }
  refuseRegexLiterals(ast);
  return ast;
}

export interface RenderOptions {
  /**
   * The template is a shell command line: every `{{ }}` output, after its
   * filters ran and whatever it reads, is one shell word (quoted as
   * shlex.quote does), so no value can become shell syntax; the template's
   * own text stays as written. The result is always text.
   */
  readonly shell?: boolean;
}

/**
 * Renders a StackStorm (Jinja) template against a context. A template that is
 * exactly one `{{ expression }}` gives the expression's own value (number,
 * boolean, object, list, null); anything else gives a string. Non-strings and
 * strings without `{{`/`{%` come back unchanged. A result equal to use_none's
 * marker is null. Rendering has a budget (render-budget.ts). Throws
 * TemplateError, for a template over budget too.
 */
export function renderTemplate(template: unknown, context: Record<string, unknown>, options: RenderOptions = {}): unknown {
  if (!isTemplate(template)) return template;
  const ast = parse(template);
  checkDefined(ast, context);
  let tmpl: nunjucks.Template;
  try {
    tmpl = compile(template);
  } catch (error) {
    throw new TemplateError(`syntax error: ${reasonOf(error)}`);
  }
  const shell = options.shell === true;
  const native = !shell && singleExpression(ast) !== undefined;
  const slot = { values: [] as unknown[] };
  const budget = new RenderBudget();
  let text: string;
  const outer = rendering;
  rendering = { budget, capture: native ? slot : undefined, shell };
  try {
    text = tmpl.render(context);
    if (text.length > MAX_TEMPLATE_OUTPUT) throw new Error(budget.outputExceeded());
  } catch (error) {
    // JavaScript's own ceiling (a string doubled until V8 refuses it) is the same limit, said plainly.
    const reason = reasonOf(error);
    if (/^Invalid (string|array) length/.test(reason)) throw new TemplateError(budget.outputExceeded());
    throw new TemplateError(reason);
  } finally {
    rendering = outer;
  }
  if (native) {
    if (slot.values.length !== 1) throw new TemplateError(`expected one value from ${JSON.stringify(template)}, got ${slot.values.length}`);
    const value = slot.values[0] instanceof SafeString ? String(slot.values[0]) : slot.values[0];
    if (value === undefined) throw new TemplateError(`${template.trim()} is undefined`);
    return value === NONE_MAGIC_VALUE ? null : value;
  }
  return text === NONE_MAGIC_VALUE ? null : text;
}
