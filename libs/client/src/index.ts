export { ApiError, TempestClient } from './client';
export type { Action, ClientOptions, Execution, ExecutionFilter, Health, OutputChunk, Pack, RegistrationReport, RunnerType, Schemas } from './client';
export type { components, operations, paths } from './generated/schema';
