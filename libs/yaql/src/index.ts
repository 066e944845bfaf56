export type { Arg, Node } from './ast';
export { DEFAULT_LIMITS, type BudgetLimits } from './budget';
export { YaqlBudgetError, YaqlError, YaqlEvaluationError, YaqlSyntaxError, YaqlUnsupportedError } from './errors';
export { evaluate, evaluateNode, evaluateRaw, type EvaluateOptions, type YaqlFunction, type YaqlFunctionCall } from './evaluate';
export { parse } from './parser';
export { unsupported, type YaqlIssue } from './validate';
export { PyFloat, YDict, pyRepr, pyStr, type Value } from './values';
