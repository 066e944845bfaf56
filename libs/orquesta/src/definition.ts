// The Orquesta 1.0 definition model (orquesta/specs/native/v1/models.py): parsed from YAML with the
// position of every node, so each problem names its path (Orquesta's spec_path) and line.
import { isMap, isScalar, isSeq, LineCounter, parseDocument, type Node as YamlNode } from 'yaml';

export interface Problem {
  /** Orquesta's spec path, e.g. `tasks.task1.next[0].do`. */
  path: string;
  task?: string;
  /** 1-based line in the YAML text, where known. */
  line?: number;
  message: string;
  /** Orquesta's inspection category: syntax (schema), semantics (graph), expressions, context (variables). */
  kind?: 'syntax' | 'semantics' | 'expressions' | 'context';
  /** The expression a problem is about, as written (`<% ctx().x %>`). */
  expression?: string;
}

export interface TransitionDef {
  when?: string;
  /** `publish` as [name, expression] in order (inline `a=<% x %> b=1` parsed as Orquesta does). */
  publish: [string, unknown][];
  /** Next tasks; `continue` when the transition names none (as Orquesta). */
  do: string[];
}

export interface TaskDef {
  name: string;
  action?: string;
  input: Record<string, unknown>;
  next: TransitionDef[];
  join?: 'all' | number;
  with?: { items: string; concurrency?: unknown };
  retry?: { when?: string; count: unknown; delay?: unknown };
  delay?: unknown;
}

export interface InputDef {
  name: string;
  hasDefault: boolean;
  default?: unknown;
}

export interface WorkflowDef {
  version: string;
  description?: string;
  input: InputDef[];
  vars: [string, unknown][];
  output: [string, unknown][];
  /** Tasks in definition order. */
  tasks: Record<string, TaskDef>;
}

export const ENGINE_COMMANDS = ['continue', 'fail', 'noop', 'retry'];

const META_KEYS = ['name', 'version', 'description', 'tags'];
const WORKFLOW_KEYS = [...META_KEYS, 'input', 'vars', 'output', 'tasks'];
const TASK_KEYS = [...META_KEYS, 'delay', 'join', 'with', 'action', 'input', 'retry', 'next'];
const TRANSITION_KEYS = ['when', 'publish', 'do'];
const WITH_KEYS = ['items', 'concurrency'];
const RETRY_KEYS = ['when', 'count', 'delay'];

const INLINE_VALUE = String.raw`\[.*\]\s*|"[^"]*"\s*|'[^']*'\s*|[-]?\d*\.\d+|[-]?\d+|(?:[tT][rR][uU][eE])|(?:[fF][aA][lL][sS][eE])|null|\{\{.*?\}\}|<%.*?%>`;

/** Orquesta's parse_inline_params: `a=1 b="x" c=<% ctx().y %>` as [name, value] pairs. */
export function parseInlineParams(text: string): [string, unknown][] {
  const params: [string, unknown][] = [];
  for (const match of text.matchAll(new RegExp(String.raw`(\w+)=(${INLINE_VALUE})`, 'g'))) {
    let value: unknown = match[2].trim();
    let v = value as string;
    const quoted = /"[^"]*"\s*/.test(v) || /'[^']*'\s*/.test(v);
    v = v.replace(/^"/, '').replace(/"$/, '').replace(/^'/, '').replace(/'$/, '');
    const braces = v !== '' && v[0] === '{' && v[v.length - 1] === '}';
    const quotesInString = v !== '' && quoted && !braces;
    value = v;
    if (!quotesInString) {
      const bool = v.toLowerCase() === 'true' || v.toLowerCase() === 'false';
      try {
        value = JSON.parse(bool ? v.toLowerCase() : v);
      } catch {
        value = v;
      }
    }
    params.push([match[1], value]);
  }
  return params;
}

export interface ParsedDefinition {
  /** What could be read (parts with problems left out); absent when the text is not a YAML mapping. Runnable only without problems. */
  definition?: WorkflowDef;
  problems: Problem[];
  /** Line of each spec path, for later problems (expressions, graph). */
  lines: Map<string, number>;
}

/** Parses and structurally checks a definition (Orquesta's schema: the `syntax` problems, and reserved names). */
export function parseDefinition(text: string): ParsedDefinition {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, uniqueKeys: true });
  const problems: Problem[] = [];
  const lines = new Map<string, number>();
  const lineOf = (node: YamlNode | null | undefined): number | undefined => (node?.range ? lineCounter.linePos(node.range[0]).line : undefined);
  for (const error of doc.errors) problems.push({ path: '', line: error.linePos?.[0]?.line, message: `YAML: ${error.message.split('\n')[0]}`, kind: 'syntax' });
  if (problems.length) return { problems, lines };
  const problem = (path: string, node: YamlNode | null | undefined, message: string, task?: string, kind: Problem['kind'] = 'syntax') =>
    problems.push({ path, ...(task ? { task } : {}), line: lineOf(node) ?? lines.get(path), message, kind });

  const root = doc.contents;
  if (!isMap(root)) {
    problem('', root, 'The workflow definition is not a mapping.');
    return { problems, lines };
  }
  const value = (node: unknown): unknown => (node && typeof node === 'object' && 'toJSON' in node ? (node as { toJSON(): unknown }).toJSON() : node);
  const entries = (map: YamlNode, path: string, allowed: string[], task?: string): Map<string, YamlNode | null> => {
    const out = new Map<string, YamlNode | null>();
    if (!isMap(map)) return out;
    for (const pair of map.items) {
      const key = String(isScalar(pair.key) ? pair.key.value : value(pair.key));
      const keyPath = path ? `${path}.${key}` : key;
      lines.set(keyPath, lineOf(pair.key as YamlNode) ?? 0);
      if (!allowed.includes(key)) problem(path, pair.key as YamlNode, `Additional properties are not allowed ('${key}' was unexpected).`, task);
      out.set(key, (pair.value as YamlNode | null) ?? null);
    }
    return out;
  };
  const nonEmptyString = (node: YamlNode | null | undefined, path: string, task?: string): string | undefined => {
    const v = value(node);
    if (typeof v === 'string' && v.length > 0) return v;
    problem(path, node, `${JSON.stringify(v ?? null)} is not a non-empty string.`, task);
    return undefined;
  };
  const stringOrPositiveInt = (node: YamlNode | null | undefined, path: string, task?: string): unknown => {
    const v = value(node);
    if ((typeof v === 'string' && v.length > 0) || (typeof v === 'number' && Number.isInteger(v) && v >= 0)) return v;
    problem(path, node, `${JSON.stringify(v ?? null)} is not a non-empty string nor a positive integer.`, task);
    return undefined;
  };
  // `itemPaths: false` reports a bad item at the list's path, as JSON schema's oneOf does for publish.
  const oneKeyList = (node: YamlNode | null | undefined, path: string, allowStrings: boolean, itemPaths = true): { name: string; value?: unknown; hasValue: boolean }[] => {
    const out: { name: string; value?: unknown; hasValue: boolean }[] = [];
    if (!isSeq(node) || node.items.length === 0) {
      problem(path, node, `The value of "${path}" must be a non-empty list of ${allowStrings ? 'names or ' : ''}one-key mappings.`);
      return out;
    }
    node.items.forEach((item, i) => {
      lines.set(`${path}[${i}]`, lineOf(item as YamlNode) ?? 0);
      const v = value(item);
      if (allowStrings && typeof v === 'string' && v) out.push({ name: v, hasValue: false });
      else if (v && typeof v === 'object' && !Array.isArray(v) && Object.keys(v).length === 1) {
        const [[name, val]] = Object.entries(v);
        out.push({ name, value: val, hasValue: true });
      } else problem(itemPaths ? `${path}[${i}]` : path, item as YamlNode, `${JSON.stringify(v)} is not ${allowStrings ? 'a name nor ' : ''}a one-key mapping.`);
    });
    const names = out.map((entry) => entry.name);
    names.forEach((name, i) => {
      if (names.indexOf(name) !== i) problem(path, node, `"${name}" is listed more than once.`);
    });
    return out;
  };

  const top = entries(root, '', WORKFLOW_KEYS);
  const versionValue = value(top.get('version'));
  if (!top.has('version')) problem('version', root, 'The workflow definition has no "version" (expected 1.0).');
  else if (String(versionValue) !== '1.0' && String(versionValue) !== '1') problem('version', top.get('version'), `The version ${JSON.stringify(versionValue)} is not supported (expected 1.0).`);
  const description = top.has('description') ? nonEmptyString(top.get('description'), 'description') : undefined;
  const input = top.has('input') ? oneKeyList(top.get('input'), 'input', true).map((e) => ({ name: e.name, hasDefault: e.hasValue, default: e.value })) : [];
  const vars = top.has('vars') ? oneKeyList(top.get('vars'), 'vars', false).map((e) => [e.name, e.value] as [string, unknown]) : [];
  const output = top.has('output') ? oneKeyList(top.get('output'), 'output', false).map((e) => [e.name, e.value] as [string, unknown]) : [];

  const tasks: Record<string, TaskDef> = {};
  const tasksNode = top.get('tasks');
  if (!top.has('tasks')) problem('', root, "'tasks' is a required property.");
  else if (!isMap(tasksNode) || tasksNode.items.length === 0) problem('tasks', tasksNode, 'The tasks must be a non-empty mapping of task names to tasks.');
  else {
    for (const pair of tasksNode.items) {
      const name = String(isScalar(pair.key) ? pair.key.value : value(pair.key));
      const path = `tasks.${name}`;
      lines.set(path, lineOf(pair.key as YamlNode) ?? 0);
      if (!/^\w+$/.test(name)) problem(path, pair.key as YamlNode, `The task name "${name}" is not made of letters, digits and underscores only.`, name);
      if (ENGINE_COMMANDS.includes(name)) problem(path, pair.key as YamlNode, `The task name "${name}" is reserved with special function.`, name, 'semantics');
      const taskNode = pair.value as YamlNode | null;
      if (taskNode !== null && !isMap(taskNode)) {
        problem(path, taskNode, `The task "${name}" is not a mapping.`, name);
        continue;
      }
      const fields = taskNode ? entries(taskNode, path, TASK_KEYS, name) : new Map<string, YamlNode | null>();
      const task: TaskDef = { name, input: {}, next: [] };
      if (fields.has('action')) {
        const action = nonEmptyString(fields.get('action'), `${path}.action`, name);
        if (action !== undefined) {
          const inline = parseInlineParams(action);
          if (inline.length && action.includes(' ')) {
            task.action = action.slice(0, action.indexOf(' '));
            task.input = Object.fromEntries(inline);
          } else task.action = action;
        }
      }
      if (fields.has('input')) {
        const v = value(fields.get('input'));
        if (typeof v === 'string' && v) task.input = Object.fromEntries(parseInlineParams(v));
        else if (v && typeof v === 'object' && !Array.isArray(v) && Object.keys(v).length) task.input = v as Record<string, unknown>;
        else problem(`${path}.input`, fields.get('input'), 'The input must be a non-empty mapping or an inline string.', name);
      }
      if (fields.has('join')) {
        const v = value(fields.get('join'));
        if (v === 'all' || (typeof v === 'number' && Number.isInteger(v) && v >= 0)) task.join = v as 'all' | number;
        else problem(`${path}.join`, fields.get('join'), `${JSON.stringify(v)} is not "all" nor a positive integer.`, name);
      }
      if (fields.has('delay')) task.delay = stringOrPositiveInt(fields.get('delay'), `${path}.delay`, name);
      if (fields.has('with')) {
        const node = fields.get('with');
        const v = value(node);
        if (typeof v === 'string') task.with = { items: v };
        else if (isMap(node)) {
          const w = entries(node, `${path}.with`, WITH_KEYS, name);
          const items = w.has('items') ? nonEmptyString(w.get('items'), `${path}.with.items`, name) : undefined;
          if (!w.has('items')) problem(`${path}.with`, node, "'items' is a required property.", name);
          if (items !== undefined) task.with = { items, ...(w.has('concurrency') ? { concurrency: stringOrPositiveInt(w.get('concurrency'), `${path}.with.concurrency`, name) } : {}) };
        } else problem(`${path}.with`, node, 'The with must be an items expression or a mapping.', name);
        if (task.with && !/^\s*(?:\{\{.*?\}\}|<%.*?%>)\s*$|^\s*((\w+,\s?|\s+)+)?(\w+)\s+in\s+(\{\{.*?\}\}|<%.*?%>)\s*$/s.test(task.with.items)) {
          problem(`${path}.with.items`, fields.get('with'), `"${task.with.items}" does not match "x in <% expression %>" or "x, y in <% zip(...) %>".`, name);
        }
        if (!task.action && task.with) problem(path, pair.key as YamlNode, 'The action property is required for with items task.', name, 'semantics');
      }
      if (fields.has('retry')) {
        const node = fields.get('retry');
        const r = entries(node as YamlNode, `${path}.retry`, RETRY_KEYS, name);
        if (!isMap(node)) problem(`${path}.retry`, node, 'The retry must be a mapping.', name);
        else if (!r.has('count')) problem(`${path}.retry`, node, "'count' is a required property.", name);
        else {
          task.retry = { count: stringOrPositiveInt(r.get('count'), `${path}.retry.count`, name) };
          if (r.has('when')) task.retry.when = nonEmptyString(r.get('when'), `${path}.retry.when`, name);
          if (r.has('delay')) task.retry.delay = stringOrPositiveInt(r.get('delay'), `${path}.retry.delay`, name);
        }
      }
      if (fields.has('next')) {
        const node = fields.get('next');
        if (!isSeq(node)) problem(`${path}.next`, node, 'The next must be a list of transitions.', name);
        else
          node.items.forEach((item, i) => {
            const tpath = `${path}.next[${i}]`;
            lines.set(tpath, lineOf(item as YamlNode) ?? 0);
            if (!isMap(item)) {
              problem(tpath, item as YamlNode, 'A transition must be a mapping of when, publish and do.', name);
              return;
            }
            const t = entries(item, tpath, TRANSITION_KEYS, name);
            const transition: TransitionDef = { publish: [], do: ['continue'] };
            if (t.has('when')) transition.when = nonEmptyString(t.get('when'), `${tpath}.when`, name);
            if (t.has('publish')) {
              const p = value(t.get('publish'));
              if (typeof p === 'string' && p) transition.publish = parseInlineParams(p);
              else if (isSeq(t.get('publish'))) transition.publish = oneKeyList(t.get('publish'), `${tpath}.publish`, false, false).map((e) => [e.name, e.value]);
              else problem(`${tpath}.publish`, t.get('publish'), 'The publish must be an inline string or a list of one-key mappings.', name);
            }
            if (t.has('do')) {
              const d = value(t.get('do'));
              if (typeof d === 'string' && d) transition.do = d.split(',').map((s) => s.trim());
              else if (Array.isArray(d) && d.length && d.every((x) => typeof x === 'string' && x) && new Set(d).size === d.length) transition.do = d as string[];
              else problem(`${tpath}.do`, t.get('do'), 'The do must be a task name, a comma list or a list of unique task names.', name);
            }
            task.next.push(transition);
          });
      }
      tasks[name] = task;
    }
  }
  const definition: WorkflowDef = { version: '1.0', ...(description ? { description } : {}), input, vars, output, tasks };
  return { definition, problems, lines };
}
