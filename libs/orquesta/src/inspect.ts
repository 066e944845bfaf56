// `inspect(yaml)`: every problem of a definition, as Orquesta's WorkflowSpec.inspect() finds them
// (orquesta/specs/native/v1/models.py, specs/base.py): syntax (schema), semantics (reserved names,
// start tasks, undefined and unreachable tasks), expressions (YAQL syntax, and what this
// implementation refuses), context (ctx() variables referenced before assignment, along the flow).
import { parse, unsupported, YaqlSyntaxError } from '@tempest/yaql';
import { ENGINE_COMMANDS, parseDefinition, type Problem, type TaskDef, type WorkflowDef } from './definition';
import { jinjaExpressions, ORQUESTA_FUNCTIONS, stripYaql, yaqlExpressions } from './expressions';
import { ST2_REFUSED_FUNCTIONS } from './st2-functions';
import { isJoinTask, isSplitTask, inCycle, nextTasks, startTasks, WorkflowGraph } from './graph';

export interface InspectOptions {
  /** Further functions the caller provides (e.g. `random` when the conductor has a random source). */
  functions?: string[];
  /** Variables the caller puts in the context before the input (st2 gives `st2` and `parent`), so ctx() may read them. */
  contextNames?: string[];
  /** Checks a Jinja template's syntax, throwing on an error (e.g. `parseTemplate` of @tempest/templating); without it Jinja is not checked. */
  jinjaSyntax?: (template: string) => void;
}

// Orquesta's ctx() reference patterns (expressions/yql.py, jinja.py: _regex_var_extracts).
const CTX_REFERENCE = /\bctx\(['"]?[\][a-zA-Z0-9_'".()]*['"]?\)\.?[\][a-zA-Z0-9_'".()]*/g;
const CTX_VARIABLE = [/(?<=\bctx\(\)\.)([a-zA-Z0-9_-]+)\b(?!\()\.?/, /\bctx\(([a-zA-Z0-9_-]+)\)/, /\bctx\('([a-zA-Z0-9_-]+)'\)/, /\bctx\("([a-zA-Z0-9_-]+)"\)/];

/** Each `<% %>` and `{{ }}` of a statement (any YAML value), with the variables its ctx() calls name. */
function expressions(statement: unknown): { expression: string; variables: string[] }[] {
  if (typeof statement === 'string') {
    return [...yaqlExpressions(statement), ...jinjaExpressions(statement)].map((expression) => {
      const variables = new Set<string>();
      for (const reference of expression.replace(/^(<%|\{\{)|(%>|\}\})$/g, '').trim().match(CTX_REFERENCE) ?? []) {
        for (const pattern of CTX_VARIABLE) {
          const m = pattern.exec(reference.trim());
          if (m?.[1]) {
            variables.add(m[1]);
            break;
          }
        }
      }
      return { expression, variables: [...variables].sort() };
    });
  }
  if (Array.isArray(statement)) return statement.flatMap(expressions);
  if (statement && typeof statement === 'object') return Object.entries(statement).flatMap(([k, v]) => [...expressions(k), ...expressions(v)]);
  return [];
}

/** The statements of a task in Orquesta's evaluation order (delay, with, action, input), with their spec paths. */
function taskStatements(task: TaskDef): [string, unknown][] {
  const p = `tasks.${task.name}`;
  const out: [string, unknown][] = [];
  if (task.delay !== undefined) out.push([`${p}.delay`, task.delay]);
  if (task.with) {
    out.push([`${p}.with.items`, task.with.items]);
    if (task.with.concurrency !== undefined) out.push([`${p}.with.concurrency`, task.with.concurrency]);
  }
  if (task.action) out.push([`${p}.action`, task.action]);
  if (Object.keys(task.input).length) out.push([`${p}.input`, task.input]);
  return out;
}

/** WorkflowSpec.inspect_context: variables must be assigned (input, vars, publish) before use, along each branch. */
function contextProblems(def: WorkflowDef, given: string[], problem: (p: Omit<Problem, 'line'>) => void): void {
  const check = (path: string, statement: unknown, ctx: Set<string>, task?: string) => {
    for (const { expression, variables } of expressions(statement)) {
      for (const name of variables) {
        if (name.startsWith('__')) problem({ kind: 'context', path, task, expression, message: `Variable "${name}" that is prefixed with double underscores is considered a private variable and cannot be referenced.` });
        if (!ctx.has(name)) problem({ kind: 'context', path, task, expression, message: `Variable "${name}" is referenced before assignment.` });
      }
    }
  };
  const rolling = new Set<string>(given);
  def.input.forEach((input, i) => {
    if (input.hasDefault) check(`input[${i}]`, input.default, rolling);
    rolling.add(input.name);
  });
  def.vars.forEach(([name, value], i) => {
    check(`vars[${i}]`, value, rolling);
    rolling.add(name);
  });

  // TaskMappingSpec.inspect_context: breadth first from the start tasks; a join sees the union of its branches.
  const joinCtx = new Map<string, Set<string>>();
  const queued = new Map<string, string>();
  const traversed = new Set<string>();
  const queue: [string, Set<string> | null][] = startTasks(def).map((name) => [name, new Set(rolling)]);
  const all = new Set(rolling);
  while (queue.length) {
    const [name, given] = queue.shift()!;
    traversed.add(name);
    const task = def.tasks[name];
    if (!task) continue;
    const ctx = new Set(given && given.size ? given : (joinCtx.get(name) ?? []));
    for (const [path, statement] of taskStatements(task)) check(path, statement, ctx, name);
    for (const v of ctx) all.add(v);
    // Each transition's branch sees what that transition publishes, in order.
    task.next.forEach((t, i) => {
      const branch = new Set(ctx);
      if (t.when) check(`tasks.${name}.next[${i}].when`, t.when, branch, name);
      t.publish.forEach(([variable, value], j) => {
        check(`tasks.${name}.next[${i}].publish[${j}]`, value, branch, name);
        branch.add(variable);
      });
      for (const v of branch) all.add(v);
      for (const next of t.do) {
        if (traversed.has(next) || !def.tasks[next]) continue;
        if (!isJoinTask(def, next)) {
          const key = [...branch].sort().join('\u0000');
          if (queued.get(next) !== key) {
            queue.push([next, new Set(branch)]);
            queued.set(next, key);
          }
        } else {
          joinCtx.set(next, new Set([...(joinCtx.get(next) ?? []), ...branch]));
          queue.push([next, null]);
        }
      }
    });
  }
  const outputs = new Set(all);
  def.output.forEach(([name, value], i) => {
    check(`output[${i}]`, value, outputs);
    outputs.add(name);
  });
}

/** TaskMappingSpec.detect_unreachable_tasks: a join behind nested forks from multi-referenced tasks is ambiguous. */
function unreachableJoins(def: WorkflowDef): string[] {
  const staging = new Map<string, { join: boolean; splits: Set<string>; prev: Set<string> }>();
  const tracked = new Map<string, Set<string>>();
  const queue: [string | null, string, string[]][] = startTasks(def).map((name) => [null, name, []]);
  while (queue.length) {
    const [prev, name, given] = queue.shift()!;
    if (!def.tasks[name]) continue;
    const splits = [...given];
    if (isSplitTask(def, name) && !inCycle(def, name)) splits.push(name);
    const entry = staging.get(name) ?? { join: isJoinTask(def, name), splits: new Set<string>(), prev: new Set<string>() };
    staging.set(name, entry);
    splits.forEach((s) => entry.splits.add(s));
    if (prev) entry.prev.add(prev);
    for (const { to } of nextTasks(def, name)) {
      if (staging.has(to) && inCycle(def, to)) continue;
      const id = `${name}_${to}`;
      const existing = tracked.get(id);
      if (existing && existing.size) {
        if (!splits.every((s) => existing.has(s))) {
          queue.push([name, to, [...splits]]);
          splits.forEach((s) => existing.add(s));
        }
      } else {
        queue.push([name, to, [...splits]]);
        tracked.set(id, new Set(splits));
      }
    }
  }
  const out: string[] = [];
  const same = (a: Set<string>, b: Set<string>) => a.size === b.size && [...a].every((x) => b.has(x));
  for (const [name, meta] of staging) {
    if (!meta.join) continue;
    for (const prev of meta.prev) {
      if (!same(meta.splits, staging.get(prev)!.splits)) {
        out.push(name);
        break;
      }
    }
  }
  return out;
}

function allStatements(def: WorkflowDef): [string, unknown, string?][] {
  const out: [string, unknown, string?][] = [];
  def.input.forEach((i, n) => i.hasDefault && out.push([`input[${n}]`, i.default]));
  def.vars.forEach(([, v], n) => out.push([`vars[${n}]`, v]));
  def.output.forEach(([, v], n) => out.push([`output[${n}]`, v]));
  for (const task of Object.values(def.tasks)) {
    for (const [path, statement] of taskStatements(task)) out.push([path, statement, task.name]);
    if (task.retry) for (const key of ['when', 'count', 'delay'] as const) if (task.retry[key] !== undefined) out.push([`tasks.${task.name}.retry.${key}`, task.retry[key], task.name]);
    task.next.forEach((t, i) => {
      if (t.when) out.push([`tasks.${task.name}.next[${i}].when`, t.when, task.name]);
      t.publish.forEach(([, v], j) => out.push([`tasks.${task.name}.next[${i}].publish[${j}]`, v, task.name]));
    });
  }
  return out;
}

function strings(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  if (Array.isArray(value)) return value.flatMap(strings);
  if (value && typeof value === 'object') return Object.entries(value).flatMap(([k, v]) => [k, ...strings(v)]);
  return [];
}

/** Lists every problem of an Orquesta definition (empty when it can run). */
export function inspect(yaml: string, options: InspectOptions = {}): Problem[] {
  const { definition: def, problems, lines } = parseDefinition(yaml);
  if (!def) return problems;
  const lineOf = (path: string): number | undefined => {
    // Input written inline in `action: ref a=<% x %>` has no YAML node of its own: the action's line.
    const inline = /^tasks\.(\w+)\.input/.exec(path);
    if (inline && !lines.has(`tasks.${inline[1]}.input`) && lines.has(`tasks.${inline[1]}.action`)) return lines.get(`tasks.${inline[1]}.action`);
    for (let p = path; p; ) {
      if (lines.has(p)) return lines.get(p);
      const up = p.replace(/(\.[^.[\]]*|\[\d+\])$/, '');
      if (up === p) break;
      p = up;
    }
    return undefined;
  };
  const seen = new Set<string>();
  const problem = (p: Omit<Problem, 'line'>) => {
    const key = JSON.stringify([p.path, p.message, p.expression]);
    if (seen.has(key)) return;
    seen.add(key);
    const line = lineOf(p.path);
    problems.push({ ...(p.task ? { task: p.task } : {}), ...p, ...(line ? { line } : {}) });
  };

  // semantics
  if (Object.keys(def.tasks).length && !startTasks(def).length) {
    problem({ kind: 'semantics', path: 'tasks', message: 'Unable to identify any tasks to start the workflow. If the workflow has a loop, please add a task that serves as an entry point (or lead) into the loop.' });
  }
  for (const task of Object.values(def.tasks)) {
    task.next.forEach((t, i) => {
      for (const next of t.do) if (!ENGINE_COMMANDS.includes(next) && !def.tasks[next]) problem({ kind: 'semantics', path: `tasks.${task.name}.next[${i}].do`, task: task.name, message: `The task "${next}" is not defined.` });
    });
  }
  for (const name of unreachableJoins(def)) {
    problem({
      kind: 'semantics',
      path: `tasks.${name}`,
      task: name,
      message: `The join task "${name}" is unreachable. A join task is determined to be unreachable if there are nested forks from multi-referenced tasks that join on the said task. This is ambiguous to the workflow engine because it does not know at which level should the join occurs.`,
    });
  }
  if (startTasks(def).length) {
    const graph = new WorkflowGraph(def);
    for (const name of Object.keys(def.tasks)) if (!graph.hasTask(name)) problem({ kind: 'semantics', path: `tasks.${name}`, task: name, message: `The task "${name}" is unreachable: no start task leads to it.` });
  }

  // expressions
  for (const [path, statement, task] of allStatements(def)) {
    for (const text of strings(statement)) {
      const yaql = yaqlExpressions(text);
      const jinja = jinjaExpressions(text).length > 0 || /\{%.*?%\}/s.test(text);
      if (yaql.length && jinja) problem({ kind: 'expressions', path, task, expression: text, message: 'Expression with multiple types is not supported.' });
      for (const expression of yaql) {
        let ast;
        try {
          ast = parse(stripYaql(expression));
        } catch (error) {
          problem({ kind: 'expressions', path, task, expression, message: error instanceof YaqlSyntaxError ? error.message : String(error) });
          continue;
        }
        for (const issue of unsupported(ast, [...ORQUESTA_FUNCTIONS, ...(options.functions ?? [])])) {
          const refused = /^unknown function (\w+)\(\)$/.exec(issue.message)?.[1];
          const message =
            refused && ST2_REFUSED_FUNCTIONS[refused]
              ? `unsupported: StackStorm's function ${refused}() (${ST2_REFUSED_FUNCTIONS[refused]})`
              : issue.kind === 'unknown-function'
                ? `${issue.message}: neither Orquesta's, StackStorm's nor YAQL's, or not implemented here`
                : issue.message;
          problem({ kind: 'expressions', path, task, expression, message });
        }
      }
      if (jinja) {
        // StackStorm's functions called as Jinja functions (not filters, which the renderer provides).
        for (const m of text.matchAll(/(?<!\|\s*)\b(\w+)\s*\(/g)) {
          const why = Object.hasOwn(ST2_REFUSED_FUNCTIONS, m[1]) ? ST2_REFUSED_FUNCTIONS[m[1]] : undefined;
          if (why) problem({ kind: 'expressions', path, task, expression: text, message: `unsupported: StackStorm's function ${m[1]}() (${why})` });
        }
      }
      if (jinja && options.jinjaSyntax) {
        try {
          options.jinjaSyntax(text);
        } catch (error) {
          problem({ kind: 'expressions', path, task, expression: text, message: error instanceof Error ? error.message : String(error) });
        }
      }
    }
  }

  // context
  contextProblems(def, options.contextNames ?? [], problem);
  return problems;
}
