import { isTemplate } from '@tempest/templating';
import { compileCriteria, equalityGuard, type CriterionCheck, type EqualityGuard } from './criteria';
import { RuleValidationError, type RuleDefinition, type RuleProblem, type TriggerEvent } from './rule-definition';
import { compileTemplate } from './rule-templates';

/** A rule checked once and ready to test events. */
export interface CompiledRule {
  readonly definition: RuleDefinition;
  /** The trigger the rule listens to, as the engine indexes it (see triggerKey). */
  readonly triggerKey: string;
  /** Its criteria entries, ANDed in order; none matches every event. */
  readonly criteria: readonly CriterionCheck[];
  /** Its first criterion when that is an equals on a literal, so the engine can look the rule up by value. */
  readonly guard?: EqualityGuard;
}

const WEBHOOK_TRIGGER = 'core.st2.webhook';

function isMapping(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** JSON with sorted keys, so equal parameters give equal keys. */
function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (isMapping(value)) {
    return `{${Object.keys(value)
      .filter((key) => value[key] !== undefined)
      .sort()
      .map((key) => `${JSON.stringify(key)}:${canonicalJson(value[key])}`)
      .join(',')}}`;
  }
  return JSON.stringify(value ?? null);
}

/**
 * The key under which rules and events meet: the trigger type and its
 * parameters, equal as values (StackStorm makes one trigger per distinct
 * type and parameters). A webhook's url is compared without its leading and
 * trailing slashes, as StackStorm registers hooks.
 */
export function triggerKey(type: string, parameters: Record<string, unknown> | undefined): string {
  let params = parameters ?? {};
  if (type === WEBHOOK_TRIGGER && typeof params['url'] === 'string') params = { ...params, url: params['url'].replace(/^\/+|\/+$/g, '') };
  return `${type}\u0000${Object.keys(params).length === 0 ? '{}' : canonicalJson(params)}`;
}

/** The trigger key of an event. */
export function eventKey(event: TriggerEvent): string {
  return triggerKey(event.type, event.parameters);
}

/** Template syntax errors in action parameters, nested values included. */
function parameterProblems(value: unknown, path: (string | number)[]): RuleProblem[] {
  if (isTemplate(value)) {
    try {
      compileTemplate(value);
      return [];
    } catch (error) {
      return [{ path, message: (error as Error).message }];
    }
  }
  if (Array.isArray(value)) return value.flatMap((item, i) => parameterProblems(item, [...path, i]));
  if (isMapping(value)) return Object.entries(value).flatMap(([key, item]) => parameterProblems(item, [...path, key]));
  return [];
}

/** Every problem of a rule definition (shape, criteria, parameter templates); empty when it compiles. */
export function validateRule(rule: RuleDefinition): RuleProblem[] {
  return compile(rule).problems;
}

function compile(rule: RuleDefinition): { compiled?: CompiledRule; problems: RuleProblem[] } {
  const problems: RuleProblem[] = [];
  const at = (path: (string | number)[], message: string) => problems.push({ path, message });
  if (typeof rule.pack !== 'string' || typeof rule.name !== 'string' || rule.ref !== `${rule.pack}.${rule.name}`) at(['ref'], `expected "<pack>.<name>", "${rule.pack}.${rule.name}"`);
  if (rule.type !== 'standard' && rule.type !== 'backstop') at(['type'], 'expected standard or backstop');
  if (typeof rule.enabled !== 'boolean') at(['enabled'], 'expected true or false');
  if (!isMapping(rule.trigger) || typeof rule.trigger.type !== 'string' || rule.trigger.type === '') at(['trigger', 'type'], 'required: the trigger type ref, e.g. core.st2.webhook');
  else if (rule.trigger.parameters !== undefined && !isMapping(rule.trigger.parameters)) at(['trigger', 'parameters'], 'expected a mapping');
  if (!isMapping(rule.action) || typeof rule.action.ref !== 'string' || !/^[^.\s]+\.\S+$/.test(rule.action.ref)) at(['action', 'ref'], 'required: the action ref, <pack>.<name>');
  else if (rule.action.parameters !== undefined && !isMapping(rule.action.parameters)) at(['action', 'parameters'], 'expected a mapping');
  else problems.push(...parameterProblems(rule.action.parameters ?? {}, ['action', 'parameters']));
  const criteria = compileCriteria(rule.criteria);
  problems.push(...criteria.problems);
  if (problems.length > 0) return { problems };
  return {
    problems,
    compiled: {
      definition: rule,
      triggerKey: triggerKey(rule.trigger.type, rule.trigger.parameters),
      criteria: criteria.entries,
      guard: criteria.entries.length > 0 ? equalityGuard(rule.criteria) : undefined,
    },
  };
}

/** Compiles a rule once; throws RuleValidationError naming the rule and every bad field. */
export function compileRule(rule: RuleDefinition): CompiledRule {
  const { compiled, problems } = compile(rule);
  if (!compiled) throw new RuleValidationError(typeof rule.ref === 'string' ? rule.ref : String(rule.name), problems);
  return compiled;
}
