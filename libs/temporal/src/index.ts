export { SEARCH_ATTRIBUTES } from './names';
export type { TempestSearchAttribute } from './names';
export { connectClient, pingTemporal, temporalConnectionOptions } from './connection';
export { devServerAnswers, devServerArgs, provisionTemporalCli, TemporalCliError } from './dev-server';
export type { DevServerOptions } from './dev-server';
export { executionSearchAttributes } from './search-attributes';
export type { ExecutionAttributes } from './search-attributes';
