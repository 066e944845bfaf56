export { ApiError, TempestClient } from './client';
export type { Action, ClientOptions, Execution, ExecutionFilter, Health, KeyValue, KeyValueFilter, KeyValueSelector, IngestionResult, Inquiry, InquiryResponded, OutputChunk, Pack, Policy, PolicyFilter, RegistrationReport, Rule, RuleEnforcement, RuleEnforcementFilter, RuleFilter, RunnerType, Schemas, Trace, TriggerInstance, TriggerInstanceFilter, TriggerType, SensorType, WorkflowInspectionError, WorkflowRunnerType } from './client';
export type { components, operations, paths } from './generated/schema';
export type { StreamMessage } from './stream';
