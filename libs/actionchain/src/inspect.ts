import { LineCounter, parseDocument, type Node as YamlNode } from 'yaml';
import { checkDefinition, isJinjaExpression, type Problem } from './definition';

export interface InspectOptions {
  /** Throws for a template with bad syntax (e.g. @tempest/templating's parseTemplate); without it templates are not checked. */
  readonly checkTemplate?: (template: string) => void;
  /** Whether an action is registered; without it refs are only checked for their form. */
  readonly actionExists?: (ref: string) => boolean;
}

/** `chain[1].on-success` as the keys and indexes of a YAML path. */
function pathKeys(path: string): (string | number)[] {
  return [...path.matchAll(/([^.[\]]+)|\[(\d+)\]/g)].map((match) => (match[2] !== undefined ? Number(match[2]) : match[1]));
}

/** The 1-based line of the node at `path`, or of its nearest parent that exists. */
function lineOf(document: ReturnType<typeof parseDocument>, counter: LineCounter, path: string): number | undefined {
  const keys = pathKeys(path);
  for (let length = keys.length; length >= 0; length--) {
    const node = (length === 0 ? document.contents : document.getIn(keys.slice(0, length), true)) as YamlNode | undefined;
    if (node && typeof node === 'object' && node.range) return counter.linePos(node.range[0]).line;
  }
  return undefined;
}

function templateProblems(value: unknown, path: string, task: string | undefined, check: (template: string) => void, problems: Problem[]): void {
  if (isJinjaExpression(value)) {
    try {
      check(value);
    } catch (error) {
      problems.push({ path, ...(task !== undefined ? { task } : {}), message: `bad template ${JSON.stringify(value)}: ${error instanceof Error ? error.message : String(error)}` });
    }
  } else if (Array.isArray(value)) {
    value.forEach((item, i) => templateProblems(item, `${path}[${i}]`, task, check, problems));
  } else if (typeof value === 'object' && value !== null) {
    for (const [key, item] of Object.entries(value)) templateProblems(item, `${path}.${key}`, task, check, problems);
  }
}

/**
 * Every problem of an action chain definition (YAML text), each with its path,
 * task and line: YAML syntax, StackStorm's schema, links to unknown tasks, what
 * Tempest refuses, and (with the options) template syntax and unknown actions.
 */
export function inspect(yamlText: string, options: InspectOptions = {}): Problem[] {
  const counter = new LineCounter();
  const document = parseDocument(yamlText, { lineCounter: counter, prettyErrors: false });
  if (document.errors.length > 0) {
    return document.errors.map((error) => ({ path: '', line: counter.linePos(error.pos[0]).line, message: `YAML syntax error: ${error.message.split('\n')[0]}` }));
  }
  const data: unknown = document.toJS();
  const problems = checkDefinition(data);
  const chain = typeof data === 'object' && data !== null && Array.isArray((data as Record<string, unknown>)['chain']) ? ((data as Record<string, unknown>)['chain'] as unknown[]) : [];
  chain.forEach((node, i) => {
    if (typeof node !== 'object' || node === null || Array.isArray(node)) return;
    const fields = node as Record<string, unknown>;
    const task = typeof fields['name'] === 'string' ? fields['name'] : undefined;
    if (options.checkTemplate) {
      for (const key of ['params', 'parameters', 'publish']) templateProblems(fields[key], `chain[${i}].${key}`, task, options.checkTemplate, problems);
    }
    if (options.actionExists && typeof fields['ref'] === 'string' && !options.actionExists(fields['ref'])) {
      problems.push({ path: `chain[${i}].ref`, ...(task !== undefined ? { task } : {}), message: `Action with ref ${fields['ref']} not registered.` });
    }
  });
  if (options.checkTemplate && typeof data === 'object' && data !== null) templateProblems((data as Record<string, unknown>)['vars'], 'vars', undefined, options.checkTemplate, problems);
  return problems.map((problem) => {
    const line = lineOf(document, counter, problem.path);
    return line === undefined ? problem : { ...problem, line };
  });
}
