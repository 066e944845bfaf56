import { compileRule, eventKey, triggerKey, type CompiledRule } from './compile-rule';
import { equalityHash, type EvaluationScope, type Outcome } from './criteria';
import { RuleValidationError, type KeyValueLookup, type RuleDefinition, type TriggerEvent } from './rule-definition';
import { KeyValueSession } from './rule-templates';

export interface MatchResult {
  matched: RuleDefinition[];
  /** Rules whose criteria could not be evaluated, with the reason (a failed enforcement in StackStorm). */
  errors: { rule: RuleDefinition; error: string }[];
}

/**
 * How the rules of one trigger are found for an event: rules whose first
 * criterion is an equals on a literal are looked up by the value the event
 * has there; the others are always evaluated.
 */
interface Plan {
  unguarded: Candidate[];
  guards: { read: (payload: unknown) => unknown; byValue: Map<string, Candidate[]> }[];
}

/** A rule with its position, so that rules found through several lookups keep their order. */
interface Candidate {
  rule: CompiledRule;
  position: number;
}

/** The enabled rules of one trigger (type and parameters), in the order they were added. */
class TriggerRules {
  readonly standard = new Map<string, CompiledRule>();
  readonly backstop = new Map<string, CompiledRule>();
  private plans?: { standard: Plan; backstop: Plan };

  changed(): void {
    this.plans = undefined;
  }

  /** The rules an event must be evaluated against, in order. */
  candidates(kind: 'standard' | 'backstop', payload: unknown): CompiledRule[] {
    this.plans ??= { standard: plan(this.standard), backstop: plan(this.backstop) };
    const { unguarded, guards } = this.plans[kind];
    if (guards.length === 0) return unguarded.map((candidate) => candidate.rule);
    const found = [...unguarded];
    for (const guard of guards) {
      const hash = equalityHash(guard.read(payload));
      const rules = hash === undefined ? undefined : guard.byValue.get(hash);
      if (rules) found.push(...rules);
    }
    return found.sort((a, b) => a.position - b.position).map((candidate) => candidate.rule);
  }
}

function plan(rules: Map<string, CompiledRule>): Plan {
  const result: Plan = { unguarded: [], guards: [] };
  const byKey = new Map<string, Plan['guards'][number]>();
  let position = 0;
  for (const rule of rules.values()) {
    const candidate = { rule, position: position++ };
    if (!rule.guard) {
      result.unguarded.push(candidate);
      continue;
    }
    let guard = byKey.get(rule.guard.key);
    if (!guard) byKey.set(rule.guard.key, (guard = { read: rule.guard.read, byValue: new Map() }));
    guard.byValue.set(rule.guard.hash, [...(guard.byValue.get(rule.guard.hash) ?? []), candidate]);
  }
  result.guards = [...byKey.values()];
  return result;
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
    // Compiled trigger by trigger, so that the closures one event runs sit together in memory:
    // with thousands of rules, cache misses are most of the cost of a match.
    const byTrigger = rules.map((rule) => ({ rule, key: typeof rule.trigger?.type === 'string' ? triggerKey(rule.trigger.type, rule.trigger.parameters) : '' }));
    byTrigger.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
    const compiled = byTrigger.map(({ rule }) => compileRule(rule));
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
    await this.evaluate(bucket.candidates('standard', scope.payload), event, scope, result);
    if (result.matched.length === 0 && bucket.backstop.size > 0) await this.evaluate(bucket.candidates('backstop', scope.payload), event, scope, result);
    return result;
  }

  private async evaluate(rules: CompiledRule[], event: TriggerEvent, scope: EvaluationScope, result: MatchResult): Promise<void> {
    const emptyPayload = isEmptyPayload(event.payload);
    // Synchronous rules answer at once; rules that wait on the datastore are awaited together, in order.
    const outcomes: (Outcome | { error: unknown })[] = new Array(rules.length);
    let waiting = false;
    for (let i = 0; i < rules.length; i++) {
      const rule = rules[i];
      if (!rule.hasCriteria || emptyPayload) {
        outcomes[i] = !rule.hasCriteria;
        continue;
      }
      try {
        outcomes[i] = rule.check(scope);
        waiting ||= outcomes[i] instanceof Promise;
      } catch (error) {
        outcomes[i] = { error };
      }
    }
    const settled = waiting ? await Promise.all(outcomes.map((outcome) => (outcome instanceof Promise ? outcome.catch((error: unknown) => ({ error })) : outcome))) : (outcomes as (boolean | { error: unknown })[]);
    for (let i = 0; i < rules.length; i++) {
      const outcome = settled[i];
      if (outcome === true) result.matched.push(rules[i].definition);
      else if (typeof outcome === 'object') result.errors.push({ rule: rules[i].definition, error: reasonOf(outcome.error) });
    }
  }
}
