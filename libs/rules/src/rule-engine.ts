import { compileRule, eventKey, triggerKey, type CompiledRule } from './compile-rule';
import type { EvaluationScope } from './criteria';
import { RuleValidationError, type KeyValueLookup, type RuleDefinition, type TriggerEvent } from './rule-definition';
import { RulePlan } from './rule-plan';
import { KeyValueSession } from './rule-templates';

export interface MatchResult {
  matched: RuleDefinition[];
  /** Rules whose criteria could not be evaluated, with the reason (a failed enforcement in StackStorm). */
  errors: { rule: RuleDefinition; error: string }[];
}

/** The enabled rules of one trigger (type and parameters), in the order they were added. */
class TriggerRules {
  readonly standard = new Map<string, CompiledRule>();
  readonly backstop = new Map<string, CompiledRule>();
  private plans?: { standard: RulePlan; backstop: RulePlan };

  changed(): void {
    this.plans = undefined;
  }

  /** The rules of one kind, laid out for matching (made again after a change). */
  plan(kind: 'standard' | 'backstop'): RulePlan {
    this.plans ??= { standard: new RulePlan(this.standard.values()), backstop: new RulePlan(this.backstop.values()) };
    return this.plans[kind];
  }
}

const reasonOf = (error: unknown): string => (error instanceof Error ? error.message : String(error));

function isEmptyPayload(payload: unknown): boolean {
  return payload === null || payload === undefined || (typeof payload === 'object' && Object.keys(payload).length === 0);
}

/**
 * Rules compiled once and indexed by trigger, as StackStorm's rules engine
 * matches them (st2reactor/rules/matcher.py): standard rules first; backstop
 * rules only when no standard rule matched. Matching an event reads only the
 * rules of its trigger type and parameters, however many others there are.
 */
export class RuleEngine {
  private readonly rules = new Map<string, CompiledRule>();
  private readonly triggers = new Map<string, TriggerRules>();

  /** Compiles every rule once; throws RuleValidationError naming rule ref and field on a bad criterion. */
  constructor(rules: RuleDefinition[] = []) {
    this.replaceAll(rules);
  }

  /** How many rules the engine holds, disabled ones included. */
  get size(): number {
    return this.rules.size;
  }

  get(ref: string): RuleDefinition | undefined {
    return this.rules.get(ref)?.definition;
  }

  /** Whether any rule (enabled or not) listens to this trigger, e.g. a webhook url. */
  hasTrigger(type: string, parameters?: Record<string, unknown>): boolean {
    const key = triggerKey(type, parameters);
    for (const rule of this.rules.values()) if (rule.triggerKey === key) return true;
    return false;
  }

  /** Compiles and (re)indexes one rule; a rule that does not compile leaves the engine as it was. Disabled rules are kept but never match. */
  upsert(rule: RuleDefinition): void {
    const compiled = compileRule(rule);
    this.remove(rule.ref);
    this.add(compiled);
  }

  remove(ref: string): void {
    const existing = this.rules.get(ref);
    if (!existing) return;
    this.rules.delete(ref);
    const bucket = this.triggers.get(existing.triggerKey);
    if (!bucket) return;
    bucket.standard.delete(ref);
    bucket.backstop.delete(ref);
    bucket.changed();
    if (bucket.standard.size === 0 && bucket.backstop.size === 0) this.triggers.delete(existing.triggerKey);
  }

  /** Replaces every rule at once; if one does not compile, nothing changes. */
  replaceAll(rules: RuleDefinition[]): void {
    const compiled = rules.map((rule) => compileRule(rule));
    const seen = new Set<string>();
    for (const rule of compiled) {
      if (seen.has(rule.definition.ref)) throw new RuleValidationError(rule.definition.ref, [{ path: ['ref'], message: 'two rules have this ref' }]);
      seen.add(rule.definition.ref);
    }
    this.rules.clear();
    this.triggers.clear();
    compiled.forEach((rule) => this.add(rule));
  }

  private add(rule: CompiledRule): void {
    this.rules.set(rule.definition.ref, rule);
    if (!rule.definition.enabled) return;
    let bucket = this.triggers.get(rule.triggerKey);
    if (!bucket) this.triggers.set(rule.triggerKey, (bucket = new TriggerRules()));
    (rule.definition.type === 'backstop' ? bucket.backstop : bucket.standard).set(rule.definition.ref, rule);
    bucket.changed();
  }

  /**
   * The rules whose trigger type and parameters match the event and whose
   * criteria hold; backstop rules only when no standard rule matched.
   */
  async match(event: TriggerEvent, kv?: KeyValueLookup): Promise<MatchResult> {
    const result: MatchResult = { matched: [], errors: [] };
    const bucket = this.triggers.get(eventKey(event));
    if (!bucket) return result;
    let session: KeyValueSession | undefined;
    // One datastore session per event: rules reading the same key fetch it once.
    const scope: EvaluationScope = { payload: event.payload ?? {}, session: () => (session ??= new KeyValueSession(kv, undefined, ['system'])) };
    const emptyPayload = isEmptyPayload(event.payload);
    await this.evaluate(bucket.plan('standard'), scope, emptyPayload, result);
    if (result.matched.length === 0 && bucket.backstop.size > 0) await this.evaluate(bucket.plan('backstop'), scope, emptyPayload, result);
    return result;
  }

  private async evaluate(plan: RulePlan, scope: EvaluationScope, emptyPayload: boolean, result: MatchResult): Promise<void> {
    const { matched, errors } = await plan.evaluate(scope, emptyPayload);
    result.matched.push(...matched);
    for (const { rule, error } of errors) result.errors.push({ rule, error: reasonOf(error) });
  }
}
