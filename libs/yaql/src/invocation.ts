// How a standard-library function sees its arguments: positional (the
// receiver first for a method call), by keyword (`name => value`), evaluated
// on demand or as a lambda (yaql's Lambda parameters: `$` bound to the item).
import type { Arg, Node } from './ast';
import type { Budget } from './budget';
import { YaqlEvaluationError } from './errors';
import type { Value } from './values';

export interface Scope {
  get(name: string): Value;
  child(vars?: Map<string, Value>): Scope;
}

export interface Engine {
  readonly budget: Budget;
  evaluate(node: Node, scope: Scope): Value;
}

export type Lambda = (...args: Value[]) => Value;

/** Parameters yaql declares as Lambda (evaluated by the function, per item), by their names here. */
const LAMBDA_PARAMS = new Set(['condition', 'selector', 'keySelector', 'valueSelector', 'predicate', 'listMerger', 'itemMerger']);

/** A mapping argument `key => value` as dict(), switch() and let() take them. */
export interface MappingArg {
  key: Node;
  value: Node;
}

export class Invocation {
  private readonly cache = new Map<number, Value>();
  private readonly positional: (Node | { value: Value })[];

  constructor(
    private readonly engine: Engine,
    readonly scope: Scope,
    readonly name: string,
    receiver: { value: Value } | undefined,
    args: readonly Arg[],
    readonly params: readonly string[],
    /** Whether `name => value` arguments are mappings (dict, switch, let) rather than keyword arguments. */
    readonly takesMappings: boolean,
    /** Whether the arguments `*` stands for are lambdas (coalesce, selectCase, switchCase). */
    lazyRest = false,
  ) {
    this.isMethod = receiver !== undefined;
    this.positional = receiver ? [receiver] : [];
    const keywords = new Map<string, Node>();
    for (const arg of args) {
      if (arg.type === 'mapping') {
        if (takesMappings) this.mappings.push(arg);
        else {
          if (arg.key.type !== 'keyword') throw this.noMatch();
          keywords.set(arg.key.name, arg.value);
        }
      } else if (arg.type === 'skip') throw this.noMatch();
      else this.positional.push(arg);
    }
    this.count = this.positional.length;
    for (const [key, node] of keywords) {
      const index = params.indexOf(key);
      if (index < 0 || this.positional[index] !== undefined) throw this.noMatch();
      while (this.positional.length < index) this.positional.push(undefined as never);
      this.positional[index] = node;
    }
    if (!params.includes('*') && this.positional.length > params.length) throw this.noMatch();
    // yaql evaluates every argument but lambdas before the call, so an argument that fails
    // fails the call even when the function would not use it (`[1].first(1/0)`).
    const rest = params.indexOf('*');
    this.positional.forEach((arg, i) => {
      const param = rest >= 0 && i >= rest ? '*' : params[i];
      const lazy = param === '*' ? lazyRest : LAMBDA_PARAMS.has(param);
      if (arg !== undefined && !lazy) this.value(i);
    });
  }

  readonly mappings: MappingArg[] = [];
  /** Called as `receiver.name(...)`. */
  readonly isMethod: boolean;
  /** Positional arguments given (keyword arguments not counted). */
  readonly count: number;

  noMatch(): YaqlEvaluationError {
    return new YaqlEvaluationError('NoMatchingFunctionException', `No function "${this.name}" matches supplied arguments`);
  }

  private indexOf(param: string | number): number {
    return typeof param === 'number' ? param : this.params.indexOf(param);
  }

  has(param: string | number): boolean {
    const index = this.indexOf(param);
    return index >= 0 && this.positional[index] !== undefined;
  }

  value(param: string | number): Value {
    const index = this.indexOf(param);
    const arg = this.positional[index];
    if (arg === undefined) throw this.noMatch();
    if ('value' in arg && !('type' in arg)) return arg.value;
    if (!this.cache.has(index)) this.cache.set(index, this.engine.evaluate(arg as Node, this.scope));
    return this.cache.get(index)!;
  }

  /** The value, or `fallback` when the argument is not given. */
  optional(param: string | number, fallback: Value): Value {
    return this.has(param) ? this.value(param) : fallback;
  }

  /** All positional values from `from` on (yaql's *args). */
  rest(from: number): Value[] {
    const values: Value[] = [];
    for (let i = from; i < this.positional.length; i += 1) values.push(this.value(i));
    return values;
  }

  lambda(param: string | number): Lambda | undefined {
    const arg = this.positional[this.indexOf(param)];
    if (arg === undefined) return undefined;
    if (!('type' in arg)) throw this.noMatch();
    return this.lambdaOf(arg);
  }

  /** Evaluates `node` with `$1..$n` (and `$`) bound to the arguments, in a child of the call's scope. */
  lambdaOf(node: Node): Lambda {
    return (...args: Value[]) => {
      const vars = new Map<string, Value>();
      args.forEach((arg, i) => vars.set(`$${i + 1}`, arg));
      return this.engine.evaluate(node, this.scope.child(vars));
    };
  }

  evaluate(node: Node, scope: Scope = this.scope): Value {
    return this.engine.evaluate(node, scope);
  }

  get budget(): Budget {
    return this.engine.budget;
  }
}

export interface Builtin {
  /** yaql's @specs.method (only `x.f()`), plain functions (only `f(x)`), or extension methods (both). */
  kind: 'function' | 'method' | 'both';
  /** Parameter names in order, as keyword arguments name them (the receiver first); '*' accepts more positional ones. */
  params: string[];
  mappings?: boolean;
  /** The overload a method call uses, when it differs from the function's (max(a, b) and collection.max()). */
  forMethod?: Builtin;
  /** The arguments `*` stands for are lambdas. */
  lazyRest?: boolean;
  /** Set on the yaql functions this evaluator refuses: what the refusal says. */
  refused?: string;
  impl(inv: Invocation): Value;
}
