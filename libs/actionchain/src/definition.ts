// The ActionChain definition language as StackStorm's schema and runner define it
// (st2common/models/system/actionchain.py, ChainHolder in action_chain_runner.py).
// Everything the runner would only find out when it got there is checked up front.

/** One problem in a definition: where (`chain[1].on-success`), which task, and what. */
export interface Problem {
  path: string;
  task?: string;
  line?: number;
  message: string;
}

/** One task of the chain, normalised (`params` and `parameters` are one). */
export interface ChainNode {
  readonly name: string;
  readonly ref: string;
  readonly parameters: Readonly<Record<string, unknown>>;
  readonly onSuccess?: string;
  readonly onFailure?: string;
  readonly publish?: Readonly<Record<string, unknown>>;
  /** The task's notify, as written. */
  readonly notify?: Readonly<Record<string, unknown>>;
}

/** A checked chain: `default` is resolved as StackStorm resolves it. */
export interface ActionChainDefinition {
  readonly chain: readonly ChainNode[];
  readonly default: string;
  readonly vars: Readonly<Record<string, unknown>>;
}

/** A definition with problems; `problems` lists every one. */
export class ActionChainDefinitionError extends Error {
  override readonly name = 'ActionChainDefinitionError';
  constructor(readonly problems: readonly Problem[]) {
    super(problems.map((p) => `${p.path}: ${p.message}`).join('; '));
  }
}

const CHAIN_KEYS = ['chain', 'default', 'vars'];
// `description` is not in StackStorm's schema, but its schema only checks the first task (`items: [Node.schema]`)
// and StackStorm's own examples pack documents tasks with it.
const NODE_KEYS = ['name', 'ref', 'description', 'params', 'parameters', 'on-success', 'on-failure', 'publish', 'notify'];

type Mapping = Record<string, unknown>;
const isMapping = (value: unknown): value is Mapping => typeof value === 'object' && value !== null && !Array.isArray(value);
/** As StackStorm's is_jinja_expression. */
export const isJinjaExpression = (value: unknown): value is string => typeof value === 'string' && (value.includes('{{') || value.includes('{%'));
const typeName = (value: unknown): string => (value === null ? 'null' : Array.isArray(value) ? 'array' : typeof value === 'object' ? 'object' : typeof value);

/** Every problem of a definition (a YAML document already parsed), as StackStorm would report it or meet it at run time. */
export function checkDefinition(raw: unknown): Problem[] {
  const problems: Problem[] = [];
  if (!isMapping(raw)) return [{ path: '', message: `an action chain is a mapping with "chain", got ${typeName(raw)}` }];
  for (const key of Object.keys(raw).filter((k) => !CHAIN_KEYS.includes(k))) {
    problems.push({ path: key, message: `"${key}" is not a property of an action chain (expected ${CHAIN_KEYS.join(', ')})` });
  }
  if (raw['vars'] !== undefined && raw['vars'] !== null && !isMapping(raw['vars'])) problems.push({ path: 'vars', message: `expected a mapping, got ${typeName(raw['vars'])}` });
  const chain = raw['chain'];
  if (chain === undefined || chain === null) return [...problems, { path: 'chain', message: '"chain" is required' }];
  if (!Array.isArray(chain)) return [...problems, { path: 'chain', message: `expected a list of tasks, got ${typeName(chain)}` }];
  if (chain.length === 0) return [...problems, { path: 'chain', message: 'Failed to find default node: the chain has no tasks' }];

  const seen = new Map<string, number>();
  chain.forEach((node, i) => checkNode(node, i, problems, seen));
  const names = new Set(seen.keys());
  chain.forEach((node, i) => {
    if (!isMapping(node) || typeof node['name'] !== 'string') return;
    for (const link of ['on-success', 'on-failure']) {
      const target = node[link];
      if (typeof target !== 'string' || target === '') continue;
      if (isJinjaExpression(target)) {
        problems.push({ path: `chain[${i}].${link}`, task: node['name'], message: `templated task names are not supported: StackStorm does not render "${link}" and fails when it gets there` });
      } else if (!names.has(target)) {
        problems.push({ path: `chain[${i}].${link}`, task: node['name'], message: `Unable to find node with name "${target}" referenced in "${link}" in task "${node['name']}".` });
      }
    }
  });
  const fallback = raw['default'];
  if (fallback !== undefined && fallback !== null) {
    if (typeof fallback !== 'string') problems.push({ path: 'default', message: `expected a task name, got ${typeName(fallback)}` });
    else if (fallback !== '' && !names.has(fallback)) problems.push({ path: 'default', message: `Unable to find node with name "${fallback}" referenced in "default".` });
  }
  return problems;
}

function checkNode(node: unknown, index: number, problems: Problem[], seen: Map<string, number>): void {
  const path = `chain[${index}]`;
  if (!isMapping(node)) {
    problems.push({ path, message: `a task is a mapping with "name" and "ref", got ${typeName(node)}` });
    return;
  }
  const name = typeof node['name'] === 'string' ? node['name'] : undefined;
  const add = (where: string, message: string): void => {
    problems.push({ path: where, ...(name !== undefined ? { task: name } : {}), message });
  };
  for (const key of Object.keys(node).filter((k) => !NODE_KEYS.includes(k))) add(`${path}.${key}`, `"${key}" is not a property of a task (expected ${NODE_KEYS.join(', ')})`);
  for (const key of ['name', 'ref']) {
    if (node[key] === undefined || node[key] === null) add(`${path}.${key}`, `"${key}" is required`);
    else if (typeof node[key] !== 'string') add(`${path}.${key}`, `expected a string, got ${typeName(node[key])}`);
  }
  if (typeof node['ref'] === 'string' && !/^[^.\s]+\.[^\s]+$/.test(node['ref'])) add(`${path}.ref`, `"${node['ref']}" is not an action reference (pack.name)`);
  if (name !== undefined) {
    const first = seen.get(name);
    if (first !== undefined) add(`${path}.name`, `duplicate task name "${name}" (also chain[${first}]): StackStorm would only ever run the first`);
    else seen.set(name, index);
  }
  for (const key of ['params', 'parameters', 'publish']) {
    if (node[key] !== undefined && node[key] !== null && !isMapping(node[key])) add(`${path}.${key}`, `expected a mapping, got ${typeName(node[key])}`);
  }
  if (isMapping(node['params']) && isMapping(node['parameters']) && Object.keys(node['params']).length > 0 && Object.keys(node['parameters']).length > 0) {
    add(path, 'Either "params" or "parameters" attribute needs to be provided, but not both');
  }
  for (const key of ['on-success', 'on-failure']) {
    if (node[key] !== undefined && node[key] !== null && typeof node[key] !== 'string') add(`${path}.${key}`, `expected a task name, got ${typeName(node[key])}`);
  }
  // Its fields are checked when the task's execution is recorded (libs/domain notifyViolations): this library imports no other.
  if (node['notify'] !== undefined && node['notify'] !== null && !isMapping(node['notify'])) add(`${path}.notify`, `expected a mapping of on-complete, on-success, on-failure, got ${typeName(node['notify'])}`);
}

/** The first task: `default`, else the first one no task links to, else the first one (ChainHolder._get_default). */
function defaultNode(raw: Mapping, chain: readonly ChainNode[]): string {
  if (typeof raw['default'] === 'string' && raw['default'] !== '') return raw['default'];
  const referenced = new Set(chain.flatMap((node) => [node.onSuccess, node.onFailure]));
  return (chain.find((node) => !referenced.has(node.name)) ?? chain[0]).name;
}

const text = (value: unknown): string | undefined => (typeof value === 'string' && value !== '' ? value : undefined);
const mapping = (value: unknown): Mapping => (isMapping(value) ? value : {});

/** The checked definition, or an ActionChainDefinitionError listing every problem. */
export function parseDefinition(raw: unknown): ActionChainDefinition {
  const problems = checkDefinition(raw);
  if (problems.length > 0) throw new ActionChainDefinitionError(problems);
  const definition = raw as Mapping;
  const chain = (definition['chain'] as Mapping[]).map((node): ChainNode => {
    const params = mapping(node['params']);
    const parameters = mapping(node['parameters']);
    return {
      name: node['name'] as string,
      ref: node['ref'] as string,
      // As Node.get_parameters: "parameters", else the older "params".
      parameters: Object.keys(parameters).length > 0 ? parameters : params,
      onSuccess: text(node['on-success']),
      onFailure: text(node['on-failure']),
      publish: isMapping(node['publish']) && Object.keys(node['publish']).length > 0 ? node['publish'] : undefined,
      notify: isMapping(node['notify']) && Object.keys(node['notify']).length > 0 ? node['notify'] : undefined,
    };
  });
  return { chain, default: defaultNode(definition, chain), vars: mapping(definition['vars']) };
}
