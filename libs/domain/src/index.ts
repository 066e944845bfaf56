export { OVERRIDABLE_RUNNER_FIELDS, PARAMETER_TYPES } from './parameters';
export type { ParameterSpec, ParameterSpecs, ParameterType } from './parameters';
export { PACK_REF, parseRef, RESOURCE_NAME, toRef } from './refs';
export { findRunnerType, RUNNER_TYPES } from './runner-types';
export type { RunnerType } from './runner-types';
export { effectiveSpecs, MASK, maskSecrets, resolveParameters } from './parameter-resolution';
export type { ResolvedParameters } from './parameter-resolution';
export { canTransition, EXECUTION_STATUSES, isTerminal, statusesBefore, TERMINAL_STATUSES } from './execution-status';
export type { ExecutionStatus } from './execution-status';
