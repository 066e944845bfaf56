// Static check of a parsed expression: the constructs and functions this
// evaluator refuses, found before a workflow runs, so `workflow inspect` can
// say "unsupported YAQL" with the position instead of failing mid-run.
import type { Arg, Node } from './ast';
import { BUILTINS, UNSUPPORTED_FUNCTIONS } from './builtins';
import { parse } from './parser';

export interface YaqlIssue {
  /** `unsupported`: valid YAQL this evaluator refuses; `unknown-function`: no such function in yaql nor the caller's table. */
  kind: 'unsupported' | 'unknown-function';
  message: string;
  position: number;
}

function children(node: Node): Arg[] {
  switch (node.type) {
    case 'paren':
      return [node.expr];
    case 'list':
    case 'map':
      return node.items;
    case 'index':
      return [node.target, ...node.args];
    case 'unary':
      return [node.operand];
    case 'binary':
      return [node.left, node.right];
    case 'call':
      return node.args;
    default:
      return [];
  }
}

/**
 * Lists what `evaluate` would refuse in `node` (or an expression text, parsed first: a syntax error
 * throws). `functions` names the caller's functions (Orquesta's ctx, result...), called as functions.
 */
export function unsupported(node: Node | string, functions: Iterable<string> = []): YaqlIssue[] {
  const root = typeof node === 'string' ? parse(node) : node;
  const supplied = new Set(functions);
  const issues: YaqlIssue[] = [];
  const checkCall = (name: string, asMethod: boolean, position: number) => {
    if (!asMethod && supplied.has(name)) return;
    const builtin = Object.prototype.hasOwnProperty.call(BUILTINS, name) ? BUILTINS[name] : undefined;
    if (builtin?.refused) issues.push({ kind: 'unsupported', message: `unsupported YAQL: ${builtin.refused}`, position });
    else if (builtin && (asMethod ? builtin.kind !== 'function' : builtin.kind !== 'method')) return;
    else if (UNSUPPORTED_FUNCTIONS.has(name)) issues.push({ kind: 'unsupported', message: `unsupported YAQL: the function ${name}()`, position });
    else issues.push({ kind: 'unknown-function', message: asMethod ? `unknown method ${name}()` : `unknown function ${name}()`, position });
  };
  const visit = (arg: Arg, asMethod = false): void => {
    if (arg.type === 'skip') {
      issues.push({ kind: 'unsupported', message: 'unsupported YAQL: an empty argument', position: arg.pos });
      return;
    }
    if (arg.type === 'mapping') {
      visit(arg.key);
      visit(arg.value);
      return;
    }
    if (arg.type === 'binary' && (arg.op === '=~' || arg.op === '!~')) issues.push({ kind: 'unsupported', message: `unsupported YAQL: the ${arg.op} operator (regular expressions)`, position: arg.pos });
    if (arg.type === 'list') for (const item of arg.items) if (item.type === 'mapping') issues.push({ kind: 'unsupported', message: 'unsupported YAQL: a list item written as `key => value`', position: item.pos });
    if (arg.type === 'call') checkCall(arg.name, asMethod, arg.pos);
    if (arg.type === 'binary' && (arg.op === '.' || arg.op === '?.')) {
      visit(arg.left);
      visit(arg.right, true);
      return;
    }
    for (const child of children(arg)) visit(child);
  };
  visit(root);
  return issues;
}
