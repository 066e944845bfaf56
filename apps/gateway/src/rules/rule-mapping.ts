import type { Rule } from '@tempest/db';
import { SYSTEM_USER } from '@tempest/domain';
import type { RuleDefinition } from '@tempest/rules';

/** The rule as the rules engine takes it; `context.user` is who its executions run as. */
export function toRuleDefinition(row: Rule): RuleDefinition {
  return {
    ref: row.ref,
    pack: row.pack,
    name: row.name,
    description: row.description,
    enabled: row.enabled,
    type: row.type,
    trigger: { type: row.trigger_type, parameters: row.trigger_parameters },
    criteria: row.criteria,
    action: { ref: row.action_ref, parameters: row.action_parameters },
    context: { ...row.context, user: typeof row.context.user === 'string' ? row.context.user : row.created_by },
  };
}

export function ruleUser(rule: RuleDefinition): string {
  return typeof rule.context?.user === 'string' ? rule.context.user : SYSTEM_USER;
}
