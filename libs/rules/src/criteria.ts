import { isTemplate, TemplateError } from '@tempest/templating';
import { OPERATOR_NAMES, OPERATORS, type Operator, type ValueTest } from './operators';
import { compilePath, PathSyntaxError, type PathReader } from './payload-path';
import { pythonTypeName, PythonValueError } from './python-values';
import { formatRulePath, type RuleProblem } from './rule-definition';
import { compileTemplate, renderRuleTemplate, type KeyValueSession, type RuleTemplate } from './rule-templates';

/**
 * Criteria compile to checks: StackStorm's `{"trigger.path[#tag]": {type,
 * pattern[, condition]}}` entries, ANDed in file order (the first that fails
 * decides), plus Tempest's groups:
 *
 *   or[#tag]:  [ {criteria}, {criteria}, ... ]   any of the mappings holds
 *   not[#tag]: {criteria}                        the mapping does not hold
 *
 * A check answers synchronously unless a Jinja pattern reads the datastore.
 * A check that cannot be evaluated throws CriterionError (StackStorm records
 * a failed enforcement then).
 */

export type Outcome = boolean | Promise<boolean>;

/** What a check reads: the payload, the search item it is applied to, the datastore. */
export interface EvaluationScope {
  readonly payload: Record<string, unknown>;
  /** Inside a search: the list item (`item.x` keys). */
  readonly item?: unknown;
  readonly session: () => KeyValueSession;
}

export type Check = (scope: EvaluationScope) => Outcome;

/** A criterion that could not be evaluated on an event; the message names it. */
export class CriterionError extends Error {
  override readonly name = 'CriterionError';
}

const SEARCH_CONDITIONS = ['any', 'all', 'all2any', 'any2any'] as const;
type SearchCondition = (typeof SEARCH_CONDITIONS)[number];
const CRITERION_FIELDS = ['type', 'pattern', 'condition'];

function isMapping(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

const isPromise = (value: unknown): value is Promise<unknown> => value instanceof Promise;

/** All checks in order; the first false (or failure) decides. */
function allOf(checks: readonly Check[], scope: EvaluationScope, from = 0): Outcome {
  for (let i = from; i < checks.length; i++) {
    const outcome = checks[i](scope);
    if (isPromise(outcome)) return outcome.then((ok) => ok && allOf(checks, scope, i + 1));
    if (!outcome) return false;
  }
  return true;
}

/** Any check; a failure counts only if no check holds. */
function anyOf(checks: readonly Check[], scope: EvaluationScope, from = 0, failure?: unknown): Outcome {
  for (let i = from; i < checks.length; i++) {
    let outcome: Outcome;
    try {
      outcome = checks[i](scope);
    } catch (error) {
      failure ??= error;
      continue;
    }
    if (isPromise(outcome)) {
      return outcome.then(
        (ok) => ok || anyOf(checks, scope, i + 1, failure),
        (error: unknown) => anyOf(checks, scope, i + 1, failure ?? error),
      );
    }
    if (outcome) return true;
  }
  if (failure !== undefined) throw failure;
  return false;
}

// Checks are made by small top-level functions, so that each closure holds only what it uses:
// with thousands of rules, memory touched per event is most of the cost of a match.

function negation(check: Check): Check {
  return (scope) => {
    const outcome = check(scope);
    return isPromise(outcome) ? outcome.then((ok) => !ok) : !outcome;
  };
}

function allOfCheck(checks: readonly Check[]): Check {
  return checks.length === 1 ? checks[0] : (scope) => allOf(checks, scope);
}

function anyOfCheck(checks: readonly Check[]): Check {
  return (scope) => anyOf(checks, scope);
}

/** A Python error of an operator as the error of the criterion, named by `where`. */
function criterionFailure(error: unknown, where: string): unknown {
  return error instanceof PythonValueError ? new CriterionError(`${where}: ${error.message}`) : error;
}

/** The check of a literal pattern, what most events run. */
function literalCheck(test: ValueTest, read: PathReader, inItem: boolean, where: string): Check {
  return (scope) => {
    try {
      return test(read(inItem ? scope.item : scope.payload) ?? null);
    } catch (error) {
      throw criterionFailure(error, where);
    }
  };
}

/** The check of a Jinja pattern: rendered for each event, then tested. */
function templateCheck(operator: Operator, template: RuleTemplate, read: PathReader, inItem: boolean, where: string): Check {
  const renderFailure = (error: unknown): never => {
    if (error instanceof TemplateError) throw new CriterionError(`${where}: pattern ${JSON.stringify(template.source)} failed to render: ${error.message}`);
    throw error;
  };
  const evaluate = (rendered: unknown, scope: EvaluationScope): boolean => {
    let test: ValueTest;
    try {
      test = operator.test(rendered);
    } catch (error) {
      throw error instanceof PythonValueError ? new CriterionError(`${where}: pattern ${JSON.stringify(rendered)}: ${error.message}`) : error;
    }
    return literalCheck(test, read, inItem, where)(scope) as boolean;
  };
  return (scope) => {
    let rendered: unknown;
    try {
      // A pattern that is one {{ expression }} keeps its type, as StackStorm's to_complex rendering does.
      rendered = renderRuleTemplate(template, inItem ? { trigger: scope.payload, item: scope.item } : { trigger: scope.payload }, scope.session());
    } catch (error) {
      return renderFailure(error);
    }
    if (isPromise(rendered)) return rendered.then((value) => evaluate(value, scope), renderFailure);
    return evaluate(rendered, scope);
  };
}

/** The items a search walks: a dict is a list of one (StackStorm's single payload mode). */
function searchItems(value: unknown, where: string): unknown[] {
  if (Array.isArray(value)) return value;
  if (isMapping(value)) return [value];
  if (typeof value === 'string') return [...value];
  throw new CriterionError(`${where}: '${pythonTypeName(value)}' object is not iterable`);
}

/**
 * StackStorm's search: every child criterion is applied to every item (none
 * is skipped, as in StackStorm); a child that fails counts as false, and its
 * error is reported only if the search then fails.
 */
function search(reader: (scope: EvaluationScope) => unknown, condition: SearchCondition, children: readonly Check[], where: string): Check {
  const itemsMatch = condition === 'any' || condition === 'any2any' ? 'some' : 'every';
  const childrenMatch = condition === 'all2any' || condition === 'any2any' ? 'some' : 'every';
  return (scope) => {
    const items = searchItems(reader(scope), where);
    let failure: unknown;
    const safely = (outcome: () => Outcome): Outcome => {
      try {
        const result = outcome();
        return isPromise(result) ? result.catch((error: unknown) => ((failure ??= error), false)) : result;
      } catch (error) {
        failure ??= error;
        return false;
      }
    };
    const outcomes = items.map((item) => {
      const itemScope = { ...scope, item };
      return children.map((child) => safely(() => child(itemScope)));
    });
    const decide = (results: boolean[][]): boolean => {
      const matched = results[itemsMatch]((perItem) => perItem[childrenMatch](Boolean));
      if (!matched && failure !== undefined) throw failure;
      return matched;
    };
    if (outcomes.some((perItem) => perItem.some(isPromise))) return Promise.all(outcomes.map((perItem) => Promise.all(perItem))).then(decide);
    return decide(outcomes as boolean[][]);
  };
}

/** The value a key names, for the scope: in the payload, or in the search item. */
function readerOf(read: PathReader, inItem: boolean): (scope: EvaluationScope) => unknown {
  return (scope) => read(inItem ? scope.item : scope.payload) ?? null;
}

class CriteriaCompiler {
  readonly problems: RuleProblem[] = [];

  private problem(path: (string | number)[], message: string): undefined {
    this.problems.push({ path, message });
    return undefined;
  }

  /** Every entry of a criteria mapping, each as its own check (search needs them apart). */
  entries(criteria: unknown, path: (string | number)[], root: 'trigger' | 'item'): Check[] {
    if (criteria === undefined || criteria === null) return [];
    if (!isMapping(criteria)) return this.problem(path, 'expected a mapping of criteria keys to {type, pattern}') ?? [];
    const checks: Check[] = [];
    for (const [key, spec] of Object.entries(criteria)) {
      // "#" and what follows only make keys unique, so one value can have several checks.
      const base = key.split('#', 1)[0];
      const check = base === 'or' ? this.or(spec, [...path, key], root) : base === 'not' ? this.not(spec, [...path, key], root) : this.criterion(base, spec, [...path, key], root);
      if (check) checks.push(check);
    }
    return checks;
  }

  private or(spec: unknown, path: (string | number)[], root: 'trigger' | 'item'): Check | undefined {
    if (!Array.isArray(spec) || spec.length === 0) return this.problem(path, 'expected a list of criteria mappings, one of which must hold');
    const branches: Check[] = [];
    spec.forEach((branch: unknown, i) => {
      if (!isMapping(branch) || Object.keys(branch).length === 0) return void this.problem([...path, i], 'expected a non-empty mapping of criteria');
      branches.push(allOfCheck(this.entries(branch, [...path, i], root)));
    });
    return anyOfCheck(branches);
  }

  private not(spec: unknown, path: (string | number)[], root: 'trigger' | 'item'): Check | undefined {
    if (!isMapping(spec) || Object.keys(spec).length === 0) return this.problem(path, 'expected a non-empty mapping of criteria, which must not hold');
    return negation(allOfCheck(this.entries(spec, path, root)));
  }

  private criterion(key: string, spec: unknown, path: (string | number)[], root: 'trigger' | 'item'): Check | undefined {
    if (!isMapping(spec)) return this.problem(path, 'expected {type, pattern}');
    const problemsBefore = this.problems.length;
    for (const field of Object.keys(spec).filter((name) => !CRITERION_FIELDS.includes(name))) this.problem([...path, field], `unknown field (a criterion has ${CRITERION_FIELDS.join(', ')})`);
    let read: PathReader | undefined;
    try {
      read = compilePath(key, root);
    } catch (error) {
      if (!(error instanceof PathSyntaxError)) throw error;
      this.problem(path, error.message);
    }
    const type = spec['type'];
    if (typeof type !== 'string') return this.problem([...path, 'type'], `required: one of ${OPERATOR_NAMES.join(', ')}`);
    const name = type.toLowerCase();
    const operator = OPERATORS.get(name);
    if (name !== 'search' && spec['condition'] !== undefined) this.problem([...path, 'condition'], 'only the search operator takes a condition');
    if (!operator && name !== 'search') return this.problem([...path, 'type'], `unknown operator "${type}" (one of ${OPERATOR_NAMES.join(', ')})`);
    // With a bad key, the pattern is still checked, so that every problem is listed at once.
    const reader: PathReader = read ?? (() => undefined);
    const where = `${formatRulePath(path)} (${name})`;
    const check = operator ? this.operatorCheck(operator, spec['pattern'], reader, root === 'item', path, where) : this.searchCheck(spec, readerOf(reader, root === 'item'), path, where);
    return this.problems.length > problemsBefore ? undefined : check;
  }

  private searchCheck(spec: Record<string, unknown>, reader: (scope: EvaluationScope) => unknown, path: (string | number)[], where: string): Check | undefined {
    const condition = spec['condition'];
    if (!SEARCH_CONDITIONS.includes(condition as SearchCondition)) {
      return this.problem([...path, 'condition'], `search needs a condition: ${SEARCH_CONDITIONS.join(', ')}${condition === undefined ? '' : `, not ${JSON.stringify(condition)}`}`);
    }
    const pattern = spec['pattern'];
    if (!isMapping(pattern) || Object.keys(pattern).length === 0) return this.problem([...path, 'pattern'], 'search needs a pattern: a mapping of criteria on item.<field>, applied to each list item');
    const children = this.entries(pattern, [...path, 'pattern'], 'item');
    return search(reader, condition as SearchCondition, children, where);
  }

  private operatorCheck(operator: Operator, pattern: unknown, read: PathReader, inItem: boolean, path: (string | number)[], where: string): Check | undefined {
    if (!operator.needsPattern) return literalCheck(operator.test(null), read, inItem, where);
    if (pattern === undefined || pattern === null) return this.problem([...path, 'pattern'], `required for ${operator.name}`);
    if (!isTemplate(pattern)) {
      try {
        return literalCheck(operator.test(pattern), read, inItem, where);
      } catch (error) {
        if (!(error instanceof PythonValueError)) throw error;
        return this.problem([...path, 'pattern'], error.message);
      }
    }
    try {
      return templateCheck(operator, compileTemplate(pattern), read, inItem, where);
    } catch (error) {
      if (!(error instanceof TemplateError)) throw error;
      return this.problem([...path, 'pattern'], error.message);
    }
  }
}

/** One top-level entry of a rule's criteria, compiled. */
export interface CriterionCheck {
  readonly check: Check;
  /**
   * The same for entries that behave alike and fail with the same message (same
   * path, key, operator and pattern), so that rules sharing a criterion can share
   * one evaluation of it; undefined when the entry is not plain JSON.
   */
  readonly identity: string | undefined;
}

/** Whether JSON.stringify gives a value back exactly (no NaN, dates, undefined...). */
function isPlainJson(value: unknown): boolean {
  if (value === null || typeof value === 'string' || typeof value === 'boolean') return true;
  if (typeof value === 'number') return Number.isFinite(value) && !Object.is(value, -0);
  if (Array.isArray(value)) return value.every(isPlainJson);
  if (typeof value !== 'object') return false;
  const prototype = Object.getPrototypeOf(value);
  return (prototype === Object.prototype || prototype === null) && Object.values(value as object).every(isPlainJson);
}

/**
 * The entries of a criteria mapping, each a check to AND in order, with every
 * problem found in it (paths start at `path`); entries are only complete when
 * there is no problem.
 */
export function compileCriteria(criteria: unknown, path: (string | number)[] = ['criteria']): { entries: CriterionCheck[]; problems: RuleProblem[] } {
  const compiler = new CriteriaCompiler();
  const checks = compiler.entries(criteria, path, 'trigger');
  if (compiler.problems.length > 0 || !isMapping(criteria)) return { entries: [], problems: compiler.problems };
  const entries = Object.entries(criteria).map(([key, spec], i) => ({ check: checks[i], identity: isPlainJson(spec) ? JSON.stringify([path, key, spec]) : undefined }));
  return { entries, problems: [] };
}

/** A first criterion `key: {type: equals, pattern: <text, number or boolean>}`: rules can be looked up by its value. */
export interface EqualityGuard {
  /** The key without its #tag, shared by rules that test the same value. */
  readonly key: string;
  readonly read: (payload: unknown) => unknown;
  /** equalityHash of the pattern. */
  readonly hash: string;
}

/**
 * A value's identity under Python's == for text, numbers and booleans (1,
 * 1.0 and True are equal); undefined for anything else, which equals no such
 * pattern.
 */
export function equalityHash(value: unknown): string | undefined {
  if (typeof value === 'string') return `s${value}`;
  if (typeof value === 'number' || typeof value === 'boolean') return `n${Number(value)}`;
  return undefined;
}

/**
 * The guard of valid criteria whose first entry is an equals on a literal
 * scalar. Only the first entry qualifies: StackStorm stops at the first false
 * criterion, so a rule whose guard fails would not evaluate anything else.
 */
export function equalityGuard(criteria: Record<string, unknown>): EqualityGuard | undefined {
  const first = Object.entries(criteria)[0];
  if (!first) return undefined;
  const [key, spec] = first;
  const base = key.split('#', 1)[0];
  if (base === 'or' || base === 'not' || !isMapping(spec) || typeof spec['type'] !== 'string') return undefined;
  const type = spec['type'].toLowerCase();
  const hash = isTemplate(spec['pattern']) ? undefined : equalityHash(spec['pattern']);
  if ((type !== 'equals' && type !== 'eq') || hash === undefined) return undefined;
  return { key: base.trim(), read: compilePath(base, 'trigger'), hash };
}
