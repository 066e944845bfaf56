/** A rule as StackStorm writes it (rules/*.yaml), after validation. */
export interface RuleDefinition {
  ref: string; // `${pack}.${name}`
  pack: string;
  name: string;
  description?: string;
  enabled: boolean;
  /** 'standard' rules fire on match; 'backstop' rules fire only when no standard rule of the same trigger matched. */
  type: 'standard' | 'backstop';
  trigger: { type: string; parameters: Record<string, unknown> };
  criteria: Record<string, unknown>; // StackStorm criteria, plus Tempest's `or` / `not` groups
  action: { ref: string; parameters: Record<string, unknown> };
  context?: Record<string, unknown>;
}

/** A trigger instance as it reaches the rules engine. */
export interface TriggerEvent {
  type: string; // e.g. 'core.st2.webhook', 'examples.alert'
  parameters?: Record<string, unknown>; // the trigger's parameters, e.g. { url: 'alerts' } for webhooks
  payload: Record<string, unknown>;
}

export type KeyValueScope = 'system' | 'user';

/** Reads the datastore for st2kv.system.x / st2kv.user.x in templates (provided by the datastore helper). */
export interface KeyValueLookup {
  get(scope: KeyValueScope, key: string, options: { user?: string; decrypt: boolean }): Promise<string | undefined>;
}

/** One problem of a rule, at a path inside the rule (['criteria', 'trigger.x', 'type']). */
export interface RuleProblem {
  path: (string | number)[];
  message: string;
}

/** `criteria["trigger.x"].pattern`-style display of a path inside a rule. */
export function formatRulePath(path: readonly (string | number)[]): string {
  return path.map((part, i) => (typeof part === 'number' ? `[${part}]` : i === 0 ? part : /^[A-Za-z_][A-Za-z0-9_]*$/.test(part) ? `.${part}` : `[${JSON.stringify(part)}]`)).join('');
}

/** A rule that cannot be compiled; names the rule and the field of every problem. */
export class RuleValidationError extends Error {
  override readonly name = 'RuleValidationError';
  /** The first problem's field, e.g. `criteria["trigger.level"].type`. */
  readonly field: string;

  constructor(
    readonly ref: string,
    readonly problems: RuleProblem[],
  ) {
    super(`rule ${ref}: ${problems.map((problem) => `${formatRulePath(problem.path)}: ${problem.message}`).join('; ')}`);
    this.field = formatRulePath(problems[0]?.path ?? []);
  }
}

/** Action parameters that cannot be rendered for a matched rule; names the parameter. */
export class RuleRenderError extends Error {
  override readonly name = 'RuleRenderError';

  constructor(
    readonly ref: string,
    /** The parameter, with the path inside it for nested values: `hosts[0].name`. */
    readonly parameter: string,
    readonly reason: string,
  ) {
    super(`rule ${ref}: action parameter ${parameter}: ${reason}`);
  }
}
