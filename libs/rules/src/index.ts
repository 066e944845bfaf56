export { formatRulePath, RuleRenderError, RuleValidationError } from './rule-definition';
export type { KeyValueLookup, KeyValueScope, RuleDefinition, RuleProblem, TriggerEvent } from './rule-definition';
export { RuleEngine } from './rule-engine';
export type { MatchResult } from './rule-engine';
export { renderRuleActionParameters, renderRuleParameters } from './rule-parameters';
export type { RenderedSecrets } from './rule-parameters';
export { compileRule, eventKey, triggerKey, validateRule } from './compile-rule';
export type { CompiledRule } from './compile-rule';
export { OPERATOR_NAMES } from './operators';
