// `inspect(yaml)`: every problem of a definition, each with its spec path, task and line, before
// anything runs (structure, graph, expression syntax, unsupported YAQL, undefined ctx() variables).
import { parse, unsupported, YaqlSyntaxError } from '@tempest/yaql';
import { ENGINE_COMMANDS, parseDefinition, type Problem, type WorkflowDef } from './definition';
import { jinjaExpressions, ORQUESTA_FUNCTIONS, stripJinja, stripYaql, yaqlExpressions } from './expressions';
import { startTasks, WorkflowGraph } from './graph';

const CTX_REFS = [/(?<=\bctx\(\)\.)([a-zA-Z0-9_-]+)\b(?!\()/g, /\bctx\(([a-zA-Z0-9_-]+)\)/g, /\bctx\('([a-zA-Z0-9_-]+)'\)/g, /\bctx\("([a-zA-Z0-9_-]+)"\)/g];

/** Every string in a statement with its spec path. */
function strings(value: unknown, path: string, out: [string, string][] = []): [string, string][] {
  if (typeof value === 'string') out.push([path, value]);
  else if (Array.isArray(value)) value.forEach((v, i) => strings(v, `${path}[${i}]`, out));
  else if (value && typeof value === 'object') for (const [k, v] of Object.entries(value)) strings(v, `${path}.${k}`, strings(k, path, out) && out);
  return out;
}

function expressionStatements(def: WorkflowDef): { path: string; task?: string; text: string }[] {
  const out: { path: string; task?: string; text: string }[] = [];
  const add = (value: unknown, path: string, task?: string) => strings(value, path).forEach(([p, text]) => out.push({ path: p, task, text }));
  def.input.forEach((i) => i.hasDefault && add(i.default, `input.${i.name}`));
  def.vars.forEach(([n, v]) => add(v, `vars.${n}`));
  def.output.forEach(([n, v]) => add(v, `output.${n}`));
  for (const task of Object.values(def.tasks)) {
    const p = `tasks.${task.name}`;
    if (task.action) add(task.action, `${p}.action`, task.name);
    add(task.input, `${p}.input`, task.name);
    if (task.delay !== undefined) add(task.delay, `${p}.delay`, task.name);
    if (task.with) add(task.with, `${p}.with`, task.name);
    if (task.retry) add(task.retry, `${p}.retry`, task.name);
    task.next.forEach((t, i) => {
      if (t.when) add(t.when, `${p}.next[${i}].when`, task.name);
      t.publish.forEach(([n, v]) => add(v, `${p}.next[${i}].publish.${n}`, task.name));
    });
  }
  return out;
}

/** Lists every problem of an Orquesta definition (empty when it can run). */
export function inspect(yaml: string): Problem[] {
  const { definition: parsed, problems, lines } = parseDefinition(yaml);
  if (!parsed) return problems;
  const def = parsed;
  const lineOf = (path: string): number | undefined => {
    // Input written inline in `action: ref a=<% x %>` has no YAML node of its own: the action's line.
    const inline = /^tasks\.(\w+)\.input/.exec(path);
    if (inline && !lines.has(`tasks.${inline[1]}.input`) && lines.has(`tasks.${inline[1]}.action`)) return lines.get(`tasks.${inline[1]}.action`);
    for (let p = path; p; p = p.replace(/(\.[^.[\]]*|\[\d+\])$/, '')) {
      if (lines.has(p)) return lines.get(p);
      if (!/(\.[^.[\]]*|\[\d+\])$/.test(p)) break;
    }
    return undefined;
  };
  const problem = (path: string, message: string, task?: string) => problems.push({ path, ...(task ? { task } : {}), ...(lineOf(path) ? { line: lineOf(path) } : {}), message });

  if (!startTasks(def).length) problem('tasks', 'Unable to identify any tasks to start the workflow. If the workflow has a loop, please add a task that serves as an entry point (or lead) into the loop.');
  for (const task of Object.values(def.tasks)) {
    task.next.forEach((t, i) => {
      for (const next of t.do) if (!ENGINE_COMMANDS.includes(next) && !def.tasks[next]) problem(`tasks.${task.name}.next[${i}].do`, `The task "${next}" is not defined.`, task.name);
    });
  }
  const graph = new WorkflowGraph(def);
  for (const name of Object.keys(def.tasks)) if (!graph.hasTask(name)) problem(`tasks.${name}`, `The task "${name}" is unreachable: no start task leads to it.`, name);

  const defined = new Set<string>([...def.input.map((i) => i.name), ...def.vars.map(([n]) => n), ...Object.values(def.tasks).flatMap((t) => t.next.flatMap((n) => n.publish.map(([p]) => p)))]);
  for (const { path, task, text } of expressionStatements(def)) {
    const yaql = yaqlExpressions(text);
    const jinja = jinjaExpressions(text);
    if (yaql.length && (jinja.length || /\{%.*?%\}/s.test(text))) problem(path, `Expression with multiple types is not supported: ${text}`, task);
    for (const expr of yaql) {
      try {
        for (const issue of unsupported(parse(stripYaql(expr)), ORQUESTA_FUNCTIONS)) problem(path, `${issue.message} in ${expr}`, task);
      } catch (error) {
        problem(path, `YAQL syntax error in ${expr}: ${error instanceof YaqlSyntaxError ? error.message : String(error)}`, task);
      }
    }
    for (const expr of [...yaql.map(stripYaql), ...jinja.map(stripJinja)]) {
      for (const pattern of CTX_REFS) {
        for (const m of expr.matchAll(pattern)) if (!defined.has(m[1])) problem(path, `The variable "${m[1]}" is referenced in ${JSON.stringify(expr)} but never defined (not an input, a var, nor published).`, task);
      }
    }
  }
  return problems;
}
