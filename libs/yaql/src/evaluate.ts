// Evaluates a parsed YAQL expression the way yaql 3.x does (yaql/language/expressions.py and
// the standard library), over data that stays as the caller passed it.
import type { Arg, Node } from './ast';
import { Budget, DEFAULT_LIMITS, type BudgetLimits } from './budget';
import { BUILTINS, UNSUPPORTED_FUNCTIONS } from './builtins';
import { YaqlBudgetError, YaqlError, YaqlEvaluationError, YaqlUnsupportedError } from './errors';
import { Invocation, type Engine, type Scope } from './invocation';
import { compare, contains, divide, indexSequence, minus, modulo, negate, noMatch, plus, times, unsupportedOperator } from './operators';
import { parse } from './parser';
import { variableName } from './variables';
import { materialize, toJs, trustAsPlain } from './output';
import { PyFloat, YIter, YScope, dictGet, dictLookup, fromJs, isDict, isIterable, isMissing, isSequence, iterate, pyEquals, truthy, type Value } from './values';

/** What a caller-supplied function (Orquesta's ctx(), result(), task_status()...) receives. */
export interface YaqlFunctionCall {
  /** Positional arguments as plain JSON-like values. */
  args: unknown[];
  /** `name => value` arguments. */
  kwargs: Record<string, unknown>;
  /** The evaluation's variables: `context.get('__vars')` reads what `vars.__vars` passed; `get('$')` is the data. */
  context: { get(name: string): unknown };
}

export type YaqlFunction = (call: YaqlFunctionCall) => unknown;

export interface EvaluateOptions {
  /** The data `$` is bound to. */
  data?: unknown;
  /** Further variables, read as `$name` and by functions through `context.get(name)`. */
  vars?: Record<string, unknown>;
  /** Functions the caller adds (called as `name(args)`, never as methods); they shadow yaql's of the same name. */
  functions?: Record<string, YaqlFunction>;
  limits?: Partial<BudgetLimits>;
}

class VariableScope implements Scope {
  constructor(
    private readonly parent: VariableScope | undefined,
    readonly vars: Map<string, Value>,
  ) {}

  get(name: string): Value {
    const key = variableName(name);
    if (this.vars.has(key)) return this.vars.get(key)!;
    return this.parent ? this.parent.get(key) : null;
  }

  child(vars = new Map<string, Value>()): VariableScope {
    return new VariableScope(this, vars);
  }
}

const unknownFunction = (name: string): YaqlEvaluationError =>
  new YaqlEvaluationError('NoFunctionRegisteredException', `Unknown function "${name}"`);
const unknownMethod = (name: string, receiver: Value): YaqlEvaluationError =>
  new YaqlEvaluationError('NoMethodRegisteredException', `Unknown method "${name}" for receiver ${receiver === null ? 'None' : typeof receiver === 'object' ? 'object' : String(receiver)}`);

class Evaluator implements Engine {
  readonly budget: Budget;

  constructor(
    private readonly functions: Record<string, (call: YaqlFunctionCall) => unknown>,
    limits: BudgetLimits,
  ) {
    this.budget = new Budget(limits);
  }

  evaluate(node: Node, scope: Scope): Value {
    this.budget.step();
    switch (node.type) {
      case 'constant':
        return node.float ? (Number.isInteger(node.value) ? new PyFloat(node.value as number) : (node.value as number)) : node.value;
      case 'keyword':
        return node.name;
      case 'variable':
        return scope.get(node.name);
      case 'paren':
        return this.evaluate(node.expr, scope);
      case 'list':
        return node.items.map((item) => {
          if (item.type === 'mapping' || item.type === 'skip') throw new YaqlUnsupportedError('a list item written as `key => value` or left empty', item.pos);
          return this.evaluate(item, scope);
        });
      case 'map':
        return this.call('dict', scope, undefined, node.items);
      case 'index':
        return this.index(node.target, node.args, scope);
      case 'unary': {
        if (node.op === 'not') return !truthy(this.evaluate(node.operand, scope));
        return negate(node.op, this.evaluate(node.operand, scope));
      }
      case 'binary':
        return this.binary(node.op, node.left, node.right, scope);
      case 'call':
        return this.call(node.name, scope, undefined, node.args);
    }
  }

  private index(targetNode: Node, args: Arg[], scope: Scope): Value {
    const target = this.evaluate(targetNode, scope);
    const values = args.map((arg) => {
      if (arg.type === 'mapping' || arg.type === 'skip') throw noMatch('#indexer');
      return this.evaluate(arg, scope);
    });
    if (isSequence(target) && values.length === 1) return fromJs(indexSequence(target, values[0]));
    if (isDict(target) && values.length === 1) return dictGet(target, values[0]);
    if (isDict(target) && values.length === 2) {
      const value = dictLookup(target, values[0]);
      return isMissing(value) ? values[1] : value;
    }
    throw noMatch('#indexer');
  }

  private binary(op: string, leftNode: Node, rightNode: Node, scope: Scope): Value {
    switch (op) {
      case 'and': {
        const left = this.evaluate(leftNode, scope);
        return truthy(left) ? this.evaluate(rightNode, scope) : left;
      }
      case 'or': {
        const left = this.evaluate(leftNode, scope);
        return truthy(left) ? left : this.evaluate(rightNode, scope);
      }
      case '.':
      case '?.':
        return this.member(op, this.evaluate(leftNode, scope), rightNode, scope);
      case '->': {
        const left = this.evaluate(leftNode, scope);
        if (!(left instanceof YScope)) throw noMatch('#operator_->');
        return this.evaluate(rightNode, scope.child(new Map(left.vars)));
      }
      case '=~':
      case '!~':
        throw unsupportedOperator(op);
    }
    const left = this.evaluate(leftNode, scope);
    const right = this.evaluate(rightNode, scope);
    switch (op) {
      case '+':
        return plus(left, right, this.budget);
      case '-':
        return minus(left, right);
      case '*':
        return times(left, right, this.budget);
      case '/':
        return divide(left, right);
      case 'mod':
        return modulo(left, right);
      case '=':
        return pyEquals(left, right);
      case '!=':
        return !pyEquals(left, right);
      case 'in':
        return contains(left, right);
      default:
        return compare(op, left, right);
    }
  }

  /** `receiver.key` (a dict's key), `receiver.method(args)`, and `?.`, which gives null on a null receiver. */
  private member(op: string, receiver: Value, right: Node, scope: Scope): Value {
    if (op === '?.' && receiver === null) return null;
    if (right.type === 'keyword') return this.property(receiver, right.name);
    if (right.type === 'call') return this.call(right.name, scope, { value: receiver }, right.args);
    throw noMatch('#operator_.');
  }

  /** `dict.key`, and `collection.key`: the key of each item, lazily (queries.collection_attribution). */
  private property(receiver: Value, name: string): Value {
    if (isDict(receiver)) return dictGet(receiver, name);
    if (isIterable(receiver)) {
      const budget = this.budget;
      const property = (item: Value) => this.property(item, name);
      return new YIter(
        (function* () {
          for (const item of iterate(receiver)) {
            budget.step();
            yield property(item);
          }
        })(),
      );
    }
    throw unknownFunction(`#property#${name}`);
  }

  private call(name: string, scope: Scope, receiver: { value: Value } | undefined, args: Arg[]): Value {
    const own = Object.prototype.hasOwnProperty.call(this.functions, name) ? this.functions[name] : undefined;
    if (own && !receiver) return this.callSupplied(name, own, scope, args);
    const entry = Object.prototype.hasOwnProperty.call(BUILTINS, name) ? BUILTINS[name] : undefined;
    const builtin = receiver && entry?.forMethod ? entry.forMethod : entry;
    if (builtin?.refused) throw new YaqlUnsupportedError(builtin.refused);
    if (builtin && (receiver ? builtin.kind !== 'function' : builtin.kind !== 'method')) {
      return builtin.impl(new Invocation(this, scope, name, receiver, args, builtin.params, builtin.mappings ?? false, builtin.lazyRest ?? false));
    }
    if (UNSUPPORTED_FUNCTIONS.has(name)) throw new YaqlUnsupportedError(`the function ${name}()`);
    throw receiver ? unknownMethod(name, receiver.value) : unknownFunction(name);
  }

  private callSupplied(name: string, fn: YaqlFunction, scope: Scope, args: Arg[]): Value {
    const positional: unknown[] = [];
    const kwargs: Record<string, unknown> = {};
    for (const arg of args) {
      if (arg.type === 'skip') throw noMatch(name);
      if (arg.type === 'mapping') {
        if (arg.key.type !== 'keyword') throw noMatch(name);
        Object.defineProperty(kwargs, arg.key.name, { value: toJs(this.evaluate(arg.value, scope), this.budget), enumerable: true, writable: true, configurable: true });
      } else positional.push(toJs(this.evaluate(arg, scope), this.budget));
    }
    const context = { get: (variable: string) => toJs(scope.get(variable), this.budget) };
    return fromJs(fn({ args: positional, kwargs, context }));
  }
}

function run(node: Node, options: EvaluateOptions): { value: Value; budget: Budget } {
  const evaluator = new Evaluator(options.functions ?? {}, { ...DEFAULT_LIMITS, ...options.limits });
  const vars = new Map<string, Value>();
  for (const [name, value] of Object.entries(options.vars ?? {})) {
    trustAsPlain(value);
    vars.set(variableName(name), fromJs(value));
  }
  if ('data' in options) {
    trustAsPlain(options.data);
    vars.set('$1', fromJs(options.data));
  }
  const value = materialize(evaluator.evaluate(node, new VariableScope(undefined, vars)), evaluator.budget);
  return { value, budget: evaluator.budget };
}

function withExpression<T>(expr: string, body: () => T): T {
  try {
    return body();
  } catch (caught) {
    // Deeply nested data (flatten(), str(), =) can still exhaust the stack: a budget error too.
    const error = caught instanceof RangeError && /call stack/i.test(caught.message) ? new YaqlBudgetError('expression or data nests too deeply to evaluate') : caught;
    if (error instanceof YaqlError) error.expression = expr;
    throw error;
  }
}

/**
 * Parses and evaluates one YAQL expression (without Orquesta's `<% %>`). The result is plain
 * JSON-like data (floats as numbers, dicts as objects, iterators as arrays). Throws YaqlSyntaxError,
 * YaqlUnsupportedError, YaqlEvaluationError or YaqlBudgetError, each carrying the expression;
 * errors thrown by the caller's functions pass through unchanged.
 */
export function evaluate(expr: string, options: EvaluateOptions = {}): unknown {
  return withExpression(expr, () => {
    const { value, budget } = run(parse(expr), options);
    return toJs(value, budget);
  });
}

/** `evaluate` for an expression parsed once with `parse` (errors carry no expression text). */
export function evaluateNode(node: Node, options: EvaluateOptions = {}): unknown {
  return withExpression('', () => {
    const { value, budget } = run(node, options);
    return toJs(value, budget);
  });
}

/**
 * The same as `evaluate`, but the result keeps Python's types (PyFloat for 2.0, YDict for dicts
 * with non-string keys), so `pyRepr(result, true)` prints it as Orquesta (Python's str) does.
 */
export function evaluateRaw(expr: string, options: EvaluateOptions = {}): Value {
  return withExpression(expr, () => run(parse(expr), options).value);
}
