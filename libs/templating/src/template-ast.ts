import * as nunjucks from 'nunjucks';

/** A node of nunjucks' template AST (the parser is undocumented, so only what we read is typed). */
export interface TemplateNode {
  readonly typename: string;
  readonly fields: readonly string[];
  readonly children?: TemplateNode[];
  readonly value?: unknown;
  readonly [field: string]: unknown;
}

// @types/nunjucks leaves the parser out; it is part of the package's public exports.
const parser = (nunjucks as unknown as { parser: { parse(src: string, extensions: unknown[], opts: object): TemplateNode } }).parser;

/** Lexer options; they must match the rendering environment's. */
export const LEXER_OPTIONS = { trimBlocks: true, lstripBlocks: true } as const;

/** Parses a template; throws nunjucks' syntax error as is. */
export function parseTemplate(template: string): TemplateNode {
  return parser.parse(template, [], LEXER_OPTIONS);
}

/**
 * The one expression of a template made of a single `{{ ... }}` (whitespace
 * around it allowed), or undefined when the template is anything else.
 */
export function singleExpression(root: TemplateNode): TemplateNode | undefined {
  let found: TemplateNode | undefined;
  for (const node of root.children ?? []) {
    if (node.typename !== 'Output') return undefined;
    for (const part of node.children ?? []) {
      if (part.typename === 'TemplateData') {
        if (String(part.value).trim() !== '') return undefined;
        continue;
      }
      if (found) return undefined;
      found = part;
    }
  }
  return found;
}

export interface TemplateReferences {
  /** Variables the template reads from its context, in order of first use. */
  readonly names: string[];
  /** Of those, the ones the template itself checks (`x is defined`, `x | default(...)`). */
  readonly guarded: ReadonlySet<string>;
}

// Tests and filters that accept an undefined operand, as under Jinja's StrictUndefined.
const GUARDING_TESTS = new Set(['defined', 'undefined', 'none', 'null']);
const GUARDING_FILTERS = new Set(['default', 'd']);
// Names the template runtime provides itself inside loops and macros.
const RUNTIME_NAMES = new Set(['loop', 'caller']);

function isNode(value: unknown): value is TemplateNode {
  return typeof value === 'object' && value !== null && typeof (value as TemplateNode).typename === 'string';
}

function symbolName(node: unknown): string | undefined {
  return isNode(node) && node.typename === 'Symbol' ? String(node.value) : undefined;
}

/**
 * The context variables a template reads, like Jinja's
 * `meta.find_undeclared_variables`: symbols that are not filter or test
 * names, dict keys or keyword names, and that the template does not declare
 * itself (set, for, macro, import). Scoping is approximated: a name declared
 * anywhere in the template is not a context variable.
 */
export function templateReferences(root: TemplateNode): TemplateReferences {
  const used: string[] = [];
  const declared = new Set<string>();
  const guarded = new Set<string>();

  const declare = (node: unknown): void => {
    if (Array.isArray(node)) return node.forEach(declare);
    if (!isNode(node)) return;
    const name = symbolName(node);
    if (name !== undefined) declared.add(name);
    else if (node.typename === 'Pair') declare(node.value); // `from x import a as b` declares b
    else if (node.typename === 'KeywordArgs') {
      // Macro defaults: the key is a parameter, the value an expression.
      for (const pair of node.children ?? []) {
        declare(pair['key']);
        visit(pair.value);
      }
    } else (node.children ?? []).forEach(declare);
  };

  const visit = (node: unknown): void => {
    if (Array.isArray(node)) return node.forEach(visit);
    if (!isNode(node)) return;
    switch (node.typename) {
      case 'Symbol':
        used.push(String(node.value));
        return;
      case 'Filter':
      case 'FilterAsync': {
        const args = (node['args'] as TemplateNode | undefined)?.children ?? [];
        const operand = symbolName(args[0]);
        if (operand !== undefined && GUARDING_FILTERS.has(String(symbolName(node['name'])))) guarded.add(operand);
        visit(args); // the filter's name is not a variable
        return;
      }
      case 'Is': {
        const right = node['right'];
        const test = symbolName(right) ?? (isNode(right) ? symbolName(right['name']) : undefined);
        const operand = symbolName(node['left']);
        if (operand !== undefined && test !== undefined && GUARDING_TESTS.has(test)) guarded.add(operand);
        visit(node['left']);
        if (isNode(right) && right.typename === 'FunCall') visit(right['args']);
        return;
      }
      case 'Pair':
        visit(node.value); // dict keys and keyword names are not variables
        return;
      case 'For':
      case 'AsyncEach':
      case 'AsyncAll':
        declare(node['name']);
        visit([node['arr'], node['body'], node['else_']]);
        return;
      case 'Set':
        declare(node['targets']);
        visit([node.value, node['body']]);
        return;
      case 'Macro':
      case 'Caller':
        declare(node['name']);
        declare(node['args']);
        visit(node['body']);
        return;
      case 'Import':
        declare(node['target']);
        visit(node['template']);
        return;
      case 'FromImport':
        declare(node['names']);
        visit(node['template']);
        return;
      default:
        for (const field of node.fields) visit(node[field]);
    }
  };

  visit(root);
  const names = [...new Set(used)].filter((name) => !declared.has(name) && !RUNTIME_NAMES.has(name));
  return { names, guarded };
}
