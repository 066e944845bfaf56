// Deterministic workflow code only: bundled for the Temporal sandbox, so
// nothing here may import I/O, Node built-ins or activity implementations.
export { actionExecution } from './action-execution.workflow';
export type { ActionExecutionInput, ActionOutcome, AttemptKnown, DelayedByPolicy, ExecutionActivities, FinalStatus, RunActionInput } from './action-execution.workflow';
export { ping } from './diagnostics.workflow';
export type { DiagnosticsActivities, PingResult } from './diagnostics.workflow';
export { timerFired } from './timer.workflow';
export type { TimerActivities, TimerFire, TimerFiredInput } from './timer.workflow';
export { finalOutcome, shouldRetry } from './retry-policy';
export { conductedWorkflow } from './conducted.workflow';
export type { ChildExecution, ConductedStep, ConductedTaskRequest, ConductedTaskResult, ConductInput, ConductorActivities, ConductorAnswer } from './conducted.workflow';
export { inquiryExecution, inquiryOpen, respondToInquiry } from './inquiry.workflow';
export type { InquiryActivities, InquiryRequest, InquiryResponse } from './inquiry.workflow';
export { PauseTracker } from './pause';
export type { PauseSignalName, PauseStatus } from './pause';
export { childSearchAttributes, runChildExecution } from './child-execution';
export type { ChildExecutionOptions, ChildExecutionResult } from './child-execution';
export { PACK_WORKFLOW_MEMO, packWorkflow } from './pack.workflow';
export type { PackWorkflowActivities, PackWorkflowContext, PreparedPackWorkflow } from './pack.workflow';
