// The helper library of pack workflows written in TypeScript (runner
// `temporal-workflow`): deterministic workflow code only, bundled with the
// pack's own by the worker. Use @temporalio/workflow for everything else
// (sleep, condition, signals, queries, timers, child workflows).
//
// ask(schema, { ttl, roles }), a durable wait for a human's answer, comes
// with inquiries: it will sit here, next to run().
export { actions, untypedActions } from './actions';
export type { ActionFunction, TypedActions } from './actions';
export type { ActionTypes, HttpResult, ShellParameters, ShellResult } from './core-actions';
export { packWorkflowFunction } from './entry';
export { ActionError, executionContext, run } from './run';
export type { ParametersOf, ResultOf, RunOptions } from './run';
