// A workflow definition's problems as StackStorm's API answers them (st2common/services/workflows.py:
// inspect, format_inspection_result, inspect_task_contents): Orquesta's or ActionChain's own inspection,
// then each task's action checked against the registry, when one is given. Shared by the API
// (POST /workflows/inspect) and pack registration (without the registry, as st2 registers).
import { inspect as inspectActionChain, type Problem as ChainProblem } from '@tempest/actionchain';
import { findRunnerType, notifyProblems, type ParameterSpecs } from '@tempest/domain';
import { inspect as inspectOrquesta, parseDefinition, type Problem as OrquestaProblem } from '@tempest/orquesta';
import { parseTemplate } from '@tempest/templating';
import { isMap, isNode, isScalar, isSeq, LineCounter, parse, parseDocument, visit, type Node as YamlNode } from 'yaml';
import { formatProblem, type ContentProblem } from './yaml-file';

export type WorkflowDialect = 'orquesta' | 'action-chain';

/** One problem, in st2's shape (`type`, `message`, `schema_path`, `spec_path`, and for expressions `language`, `expression`), with Tempest's task and line. */
export interface WorkflowInspectionError {
  type: 'content' | 'context' | 'expression' | 'semantic' | 'syntax';
  message: string;
  schema_path: string;
  spec_path: string;
  language?: 'yaql' | 'jinja';
  expression?: string;
  task?: string;
  /** 1-based line in the definition. */
  line?: number;
}

/** A registered action's parameters (its runner's with its own laid over), or undefined when no action has that ref. */
export type ActionParametersLookup = (ref: string) => Promise<ParameterSpecs | undefined>;

export interface WorkflowInspectionOptions {
  /** `orquesta` (or its alias `orchestra`) or `action-chain`; without it, told from the text (see workflowDialect). */
  runnerType?: string;
  /** Checks each task's action and input against the registry, as st2's inspect does; without it they are not checked. */
  actionParameters?: ActionParametersLookup;
}

/** The context the runner gives a workflow (conductors.ts): `st2`, and `random()` recorded in history. */
const ORQUESTA_OPTIONS = { contextNames: ['st2'], functions: ['random'], jinjaSyntax: (template: string) => void parseTemplate(template) };

/**
 * The dialect of a definition: the runner's when named (undefined for a runner
 * that is not a workflow's), else ActionChain for a mapping with `chain` and
 * neither `version` nor `tasks`, else Orquesta (st2's inspect knows no other).
 */
export function workflowDialect(text: string, runnerType?: string): WorkflowDialect | undefined {
  if (runnerType !== undefined) return runnerDialect(runnerType);
  let data: unknown;
  try {
    data = parse(text);
  } catch {
    return 'orquesta';
  }
  const isChain = typeof data === 'object' && data !== null && 'chain' in data && !('version' in data) && !('tasks' in data);
  return isChain ? 'action-chain' : 'orquesta';
}

/** The dialect a runner interprets (`orchestra` is Orquesta's alias); undefined for any other runner, Mistral's included. */
export function runnerDialect(runnerType: string): WorkflowDialect | undefined {
  const name = findRunnerType(runnerType)?.name;
  return name === 'orquesta' || name === 'action-chain' ? name : undefined;
}

/** Every problem of a workflow definition, sorted as st2 sorts them (type, then schema path); empty when it can run. */
export async function inspectWorkflow(text: string, options: WorkflowInspectionOptions = {}): Promise<WorkflowInspectionError[]> {
  const dialect = workflowDialect(text, options.runnerType);
  if (!dialect) throw new Error(`runner "${options.runnerType}" is not a workflow runner (orquesta, action-chain)`);
  const located = locator(text, dialect);
  const errors = firstYamlError(dialect === 'orquesta' ? inspectOrquesta(text, ORQUESTA_OPTIONS).map(fromOrquesta) : [...inspectActionChain(text, { checkTemplate: parseTemplate }).map(fromActionChain), ...chainNotifyErrors(text)]).map((e) => (e.expression !== undefined ? located(e) : e));
  if (options.actionParameters) {
    // Read from what parsed: none when the YAML does not.
    const tasks = dialect === 'orquesta' ? orquestaTasks(text) : chainTasks(text);
    // Input the schema refused (a list, say) is not checked against the parameters, as st2 skips it.
    const refused = new Set(errors.map((e) => e.spec_path));
    for (const task of tasks) errors.push(...(await taskContentErrors(refused.has(task.inputPath) ? { ...task, input: undefined } : task, options.actionParameters)).map(located));
  }
  return errors.map((e) => ({ ...e, schema_path: schemaPath(e.spec_path, dialect) })).sort((a, b) => compare(a.type, b.type) || compare(a.schema_path, b.schema_path));
}

/**
 * Whether an error is about what Tempest does not implement (a YAQL or st2
 * function, an operator) rather than a mistake StackStorm would find too: such a
 * workflow is valid StackStorm, and fails only if run here, saying why.
 */
export function isUnsupportedHere(error: WorkflowInspectionError): boolean {
  return /^unsupported[: ]|^unknown (function|method) \w+\(\): neither/.test(error.message);
}

/**
 * A workflow action's definition problems, at `file` (as shown to people): st2's
 * inspection without the registry (a task may call a pack registered later).
 * What Tempest does not implement yet (a function, an operator) is left out: the
 * definition is valid StackStorm, and running it says what is missing. As st2,
 * registration only warns of them; every run of the action fails with them.
 */
export async function definitionProblems(text: string, runnerType: string, file: string): Promise<ContentProblem[]> {
  const errors = (await inspectWorkflow(text, { runnerType })).filter((e) => !isUnsupportedHere(e));
  return errors.map((e) => ({ file, ...(e.line ? { line: e.line } : {}), ...(e.spec_path ? { field: e.spec_path } : {}), message: e.message }));
}

/** Why a run of a workflow whose definition has problems fails: each problem, as registration warned of it. */
export function definitionFailure(problems: ContentProblem[]): string {
  return `the workflow definition fails inspection, so it cannot run:\n${problems.map(formatProblem).join('\n')}`;
}

/** One YAML mistake makes the parser report every line after it: the first says where to look. */
function firstYamlError(errors: WorkflowInspectionError[]): WorkflowInspectionError[] {
  const yaml = errors.filter((e) => e.spec_path === '' && /^YAML/.test(e.message));
  return yaml.length > 1 ? [yaml[0]] : errors;
}

const compare = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
const languageOf = (expression: string): 'yaql' | 'jinja' => (expression.trimStart().startsWith('<%') ? 'yaql' : 'jinja');
const ORQUESTA_TYPES = { syntax: 'syntax', semantics: 'semantic', expressions: 'expression', context: 'context' } as const;

function fromOrquesta(p: OrquestaProblem): WorkflowInspectionError {
  const type = ORQUESTA_TYPES[p.kind ?? 'syntax'];
  const expression = (type === 'expression' || type === 'context') && p.expression !== undefined ? { language: languageOf(p.expression), expression: p.expression } : {};
  return { type, ...expression, message: p.message, schema_path: '', spec_path: p.path, ...(p.task ? { task: p.task } : {}), ...(p.line ? { line: p.line } : {}) };
}

/** ActionChain's problems carry no category: told by what they say. */
function fromActionChain(p: ChainProblem): WorkflowInspectionError {
  const template = /^bad template ("(?:[^"\\]|\\.)*"): /.exec(p.message);
  const type = template ? 'expression' : /^(Unable to find node|templated task names)/.test(p.message) ? 'semantic' : 'syntax';
  const expression = template ? { language: 'jinja' as const, expression: JSON.parse(template[1]) as string } : {};
  return { type, ...expression, message: p.message, schema_path: '', spec_path: p.path, ...(p.task !== undefined ? { task: p.task } : {}), ...(p.line ? { line: p.line } : {}) };
}

/**
 * st2's schema path of a spec path: `tasks.t1.next[0].do` is
 * `properties.tasks.patternProperties.^\w+$.properties.next.items.properties.do`;
 * the names of a task's input (Orquesta) or params (ActionChain) are `patternProperties.^\w+$`.
 */
function schemaPath(specPath: string, dialect: WorkflowDialect): string {
  const keys = pathKeys(specPath);
  const out: string[] = [];
  keys.forEach((key, i) => {
    const previous = keys[i - 1];
    if (typeof key === 'number') out.push('items');
    else if (dialect === 'orquesta' && i === 1 && previous === 'tasks') out.push('patternProperties.^\\w+$');
    else if (typeof previous === 'string' && ((dialect === 'orquesta' && i === 3 && previous === 'input') || (dialect === 'action-chain' && i === 3 && (previous === 'params' || previous === 'parameters')))) out.push('patternProperties.^\\w+$');
    else out.push(`properties.${key}`);
  });
  return out.join('.');
}

/** `chain[1].on-success` as the keys and indexes of a YAML path. */
function pathKeys(path: string): (string | number)[] {
  return [...path.matchAll(/([^.[\]]+)|\[(\d+)\]/g)].map((match) => (match[2] !== undefined ? Number(match[2]) : match[1]));
}

/** Adds the line of an error's spec path (or of its nearest parent in the text; Orquesta's inline input: its action's). */
function locator(text: string, dialect: WorkflowDialect): (e: WorkflowInspectionError) => WorkflowInspectionError {
  const counter = new LineCounter();
  const document = parseDocument(text, { lineCounter: counter, prettyErrors: false });
  // A mapping's entry is located by its key (`input:`), not by its value (the line after).
  const nodeAt = (keys: (string | number)[]): YamlNode | undefined => {
    if (keys.length === 0) return document.contents ?? undefined;
    const parent = keys.length === 1 ? document.contents : document.getIn(keys.slice(0, -1), true);
    if (isMap(parent)) return parent.items.find((pair) => isScalar(pair.key) && String(pair.key.value) === String(keys[keys.length - 1]))?.key as YamlNode | undefined;
    return document.getIn(keys, true) as YamlNode | undefined;
  };
  /** The line of the scalar under `keys` that holds `expression` (an input value, a folded block): where to look. */
  const expressionLine = (keys: (string | number)[], expression: string): number | undefined => {
    const root = keys.length === 0 ? document.contents : document.getIn(keys, true);
    let line: number | undefined;
    if (isNode(root)) {
      visit(root, {
        Scalar(_key, node) {
          if (typeof node.value !== 'string' || !node.value.includes(expression) || !node.range) return undefined;
          line = counter.linePos(node.range[0]).line;
          return visit.BREAK;
        },
      });
    }
    return line;
  };
  return (error) => {
    let keys = pathKeys(error.spec_path);
    if (dialect === 'orquesta' && keys[0] === 'tasks' && keys[2] === 'input' && !nodeAt(keys.slice(0, 3))) keys = [...keys.slice(0, 2), 'action'];
    const line = error.expression !== undefined ? expressionLine(keys, error.expression) : undefined;
    if (line !== undefined) return { ...error, line };
    for (let length = keys.length; length >= 0; length--) {
      const node = nodeAt(keys.slice(0, length));
      if (node && typeof node === 'object' && node.range) return { ...error, line: counter.linePos(node.range[0]).line };
    }
    return error;
  };
}

/** A task's action and input, with the spec paths st2 reports them at. */
interface TaskContent {
  task: string;
  action: unknown;
  actionPath: string;
  input: unknown;
  inputPath: string;
}

function orquestaTasks(text: string): TaskContent[] {
  const definition = parseDefinition(text).definition;
  return Object.values(definition?.tasks ?? {}).map((t) => ({ task: t.name, action: t.action, actionPath: `tasks.${t.name}.action`, input: t.input, inputPath: `tasks.${t.name}.input` }));
}

/**
 * A chain task's notify, checked as StackStorm's API schema checks one (libs/actionchain
 * only checks that it is a mapping: it imports no other library).
 */
function chainNotifyErrors(text: string): WorkflowInspectionError[] {
  const counter = new LineCounter();
  const document = parseDocument(text, { lineCounter: counter, prettyErrors: false });
  if (document.errors.length > 0) return [];
  const chain = document.get('chain', true);
  if (!isSeq(chain)) return [];
  return chain.items.flatMap((node, i) => {
    if (!isMap(node)) return [];
    const pair = node.items.find((p) => isScalar(p.key) && p.key.value === 'notify');
    const name = node.get('name');
    const line = pair && isNode(pair.key) && pair.key.range ? counter.linePos(pair.key.range[0]).line : undefined;
    return notifyProblems(`chain[${i}].notify`, pair && isNode(pair.value) ? pair.value.toJSON() : undefined).map((problem) => ({
      type: 'syntax' as const,
      message: problem.message,
      schema_path: '',
      spec_path: problem.path,
      ...(typeof name === 'string' ? { task: name } : {}),
      ...(line ? { line } : {}),
    }));
  });
}

function chainTasks(text: string): TaskContent[] {
  let data: unknown;
  try {
    data = parse(text);
  } catch {
    return [];
  }
  const chain = isRecord(data) && Array.isArray(data['chain']) ? (data['chain'] as unknown[]) : [];
  return chain.flatMap((node, i) => {
    if (!isRecord(node) || typeof node['name'] !== 'string') return [];
    const key = 'parameters' in node && !('params' in node) ? 'parameters' : 'params';
    return [{ task: node['name'], action: node['ref'], actionPath: `chain[${i}].ref`, input: node[key] ?? {}, inputPath: `chain[${i}].${key}` }];
  });
}

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

/** st2's inspect_task_contents: the ref's form, that the action is registered, and the input its parameters accept. */
async function taskContentErrors({ task, action, actionPath, input, inputPath }: TaskContent, actionParameters: ActionParametersLookup): Promise<WorkflowInspectionError[]> {
  // An empty action, or one an expression chooses, is known only at run time.
  if (typeof action !== 'string' || !action || /<%.*?%>|\{\{.*?\}\}|\{%/s.test(action)) return [];
  const at = (spec_path: string, message: string): WorkflowInspectionError => ({ type: 'content', message, schema_path: '', spec_path, task });
  if (!action.includes('.')) return [at(actionPath, `The action reference "${action}" is not formatted correctly.`)];
  const parameters = await actionParameters(action);
  if (!parameters) return [at(actionPath, `The action "${action}" is not registered in the database.`)];
  if (!isRecord(input)) return [];
  const given = new Set(Object.keys(input));
  const missing = Object.entries(parameters)
    .filter(([name, spec]) => spec.required && !('default' in spec) && !given.has(name))
    .map(([name]) => name)
    .sort();
  const unexpected = [...given].filter((name) => !Object.hasOwn(parameters, name)).sort();
  return [...missing.map((name) => at(inputPath, `Action "${action}" is missing required input "${name}".`)), ...unexpected.map((name) => at(`${inputPath}.${name}`, `Action "${action}" has unexpected input "${name}".`))];
}
