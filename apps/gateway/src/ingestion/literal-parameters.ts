import { isTemplate } from '@tempest/templating';

const LITERALS = 'rule_rendered';

/**
 * A rule's parameters are rendered once, from the trigger. Values that still
 * look like templates came from the payload and must stay text: the action's
 * own rendering would otherwise evaluate what a webhook sender wrote
 * (`{{ config_context.password }}`). Such values are handed over as
 * references into action_context, which rendering substitutes verbatim.
 * (A shell command rendered from a rule never looks like a template: its
 * outputs are quoted with `{{` split, so it is handed over as it is.)
 */
export function asLiterals(values: Record<string, unknown>): { provided: Record<string, unknown>; actionContext: Record<string, unknown> } {
  const provided: Record<string, unknown> = {};
  const literals: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(values)) {
    if (isTemplate(value)) {
      literals[name] = value;
      provided[name] = `{{ action_context.${LITERALS}[${JSON.stringify(name)}] }}`;
    } else {
      provided[name] = value;
    }
  }
  return { provided, actionContext: Object.keys(literals).length > 0 ? { [LITERALS]: literals } : {} };
}
