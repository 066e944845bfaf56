import type { CompiledRule } from './compile-rule';
import { equalityHash, type Check, type EvaluationScope, type Outcome } from './criteria';
import type { RuleDefinition } from './rule-definition';

/** What evaluating one rule on one event gave. */
export type RuleOutcome = boolean | { error: unknown };

/** A check that threw on this event: every rule sharing it fails with the same error. */
class Failure {
  constructor(readonly error: unknown) {}
}

type Memo = (Outcome | Failure | undefined)[];

const NO_RULES = new Int32Array(0);

function indices(values: number[]): Int32Array {
  return Int32Array.from(values);
}

/**
 * The enabled rules of one trigger and kind (standard or backstop), laid out
 * for matching. With thousands of rules over many triggers, the rules of an
 * event's trigger are cold in the CPU caches, and what a match costs is the
 * memory it touches far more than the tests it runs (the same events cost
 * 8 times less when they come trigger by trigger). So:
 * - criteria entries that rules of the trigger share (same key, operator and
 *   pattern) are one check, evaluated at most once per event;
 * - each rule is a run of indices into those checks, in flat typed arrays;
 * - the rules found through an equality guard are a typed array of indices.
 * An event touches its plan's arrays, the distinct checks, and the
 * definitions of the rules that matched, not one object per rule.
 */
export class RulePlan {
  private readonly definitions: RuleDefinition[] = [];
  private readonly checks: Check[] = [];
  /** Rule i ANDs the checks ids[starts[i]] .. ids[starts[i + 1] - 1], in order; none when they are equal. */
  private readonly starts: Int32Array;
  private readonly ids: Int32Array;
  /** Rules without a guard, always evaluated. */
  private readonly unguarded: Int32Array;
  /** Rules whose first entry is an equals on a literal, by the value it wants. */
  private readonly guards: { read: (payload: unknown) => unknown; byValue: Map<string, Int32Array> }[];

  /** `rules` in the order their matches are reported. */
  constructor(rules: Iterable<CompiledRule>) {
    const shared = new Map<string, number>();
    const ids: number[] = [];
    const starts = [0];
    const unguarded: number[] = [];
    const guards = new Map<string, { read: (payload: unknown) => unknown; byValue: Map<string, number[]> }>();
    for (const rule of rules) {
      const index = this.definitions.push(rule.definition) - 1;
      for (const { check, identity } of rule.criteria) {
        let id = identity === undefined ? undefined : shared.get(identity);
        if (id === undefined) {
          id = this.checks.push(check) - 1;
          if (identity !== undefined) shared.set(identity, id);
        }
        ids.push(id);
      }
      starts.push(ids.length);
      if (!rule.guard) {
        unguarded.push(index);
        continue;
      }
      let guard = guards.get(rule.guard.key);
      if (!guard) guards.set(rule.guard.key, (guard = { read: rule.guard.read, byValue: new Map() }));
      const sameValue = guard.byValue.get(rule.guard.hash);
      if (sameValue) sameValue.push(index);
      else guard.byValue.set(rule.guard.hash, [index]);
    }
    this.starts = indices(starts);
    this.ids = indices(ids);
    this.unguarded = indices(unguarded);
    this.guards = [...guards.values()].map(({ read, byValue }) => ({ read, byValue: new Map([...byValue].map(([hash, rules]) => [hash, indices(rules)])) }));
  }

  /** The rules an event must be evaluated against, in order. */
  private candidates(payload: unknown): Int32Array {
    let found: Int32Array | undefined = this.unguarded.length > 0 ? this.unguarded : undefined;
    let merged = false;
    for (const guard of this.guards) {
      const hash = equalityHash(guard.read(payload));
      const rules = hash === undefined ? undefined : guard.byValue.get(hash);
      if (!rules) continue;
      if (found) {
        const both = new Int32Array(found.length + rules.length);
        both.set(found);
        both.set(rules, found.length);
        found = both;
        merged = true;
      } else {
        found = rules;
      }
    }
    // Typed arrays sort numerically: rules found through several lookups keep their order.
    return merged ? found!.sort() : (found ?? NO_RULES);
  }

  /**
   * The rules that hold for the event and those that could not be evaluated,
   * in order. Synchronous rules answer at once; rules that wait on the
   * datastore are awaited together. StackStorm never matches criteria against
   * an empty payload.
   */
  async evaluate(scope: EvaluationScope, emptyPayload: boolean): Promise<{ matched: RuleDefinition[]; errors: { rule: RuleDefinition; error: unknown }[] }> {
    const candidates = this.candidates(scope.payload);
    // One event's outcome of each shared check; a fresh memo per event, since matches may interleave.
    const memo: Memo = new Array(this.checks.length);
    const outcomes: (Outcome | { error: unknown })[] = new Array(candidates.length);
    let waiting = false;
    for (let c = 0; c < candidates.length; c++) {
      const rule = candidates[c];
      const start = this.starts[rule];
      const end = this.starts[rule + 1];
      if (start === end || emptyPayload) {
        outcomes[c] = start === end;
        continue;
      }
      try {
        const outcome = this.allOf(start, end, memo, scope);
        waiting ||= outcome instanceof Promise;
        outcomes[c] = outcome;
      } catch (error) {
        outcomes[c] = { error };
      }
    }
    const settled: RuleOutcome[] = waiting ? await Promise.all(outcomes.map((outcome) => (outcome instanceof Promise ? outcome.catch((error: unknown) => ({ error })) : outcome))) : (outcomes as RuleOutcome[]);
    const result: { matched: RuleDefinition[]; errors: { rule: RuleDefinition; error: unknown }[] } = { matched: [], errors: [] };
    for (let c = 0; c < candidates.length; c++) {
      const outcome = settled[c];
      if (outcome === true) result.matched.push(this.definitions[candidates[c]]);
      else if (typeof outcome === 'object') result.errors.push({ rule: this.definitions[candidates[c]], error: outcome.error });
    }
    return result;
  }

  /** The checks ids[from] .. ids[end - 1] in order; the first false (or failure) decides. */
  private allOf(from: number, end: number, memo: Memo, scope: EvaluationScope): Outcome {
    for (let j = from; j < end; j++) {
      const outcome = this.outcome(this.ids[j], memo, scope);
      if (outcome instanceof Promise) return outcome.then((ok) => ok && this.allOf(j + 1, end, memo, scope));
      if (!outcome) return false;
    }
    return true;
  }

  private outcome(id: number, memo: Memo, scope: EvaluationScope): Outcome {
    let outcome = memo[id];
    if (outcome === undefined) {
      try {
        outcome = this.checks[id](scope);
      } catch (error) {
        outcome = new Failure(error);
      }
      memo[id] = outcome;
    }
    if (outcome instanceof Failure) throw outcome.error;
    return outcome;
  }
}
