// The helper library of pack workflows written in TypeScript (runner
// `temporal-workflow`): deterministic workflow code only, bundled with the
// pack's own by the worker. Use @temporalio/workflow for everything else
// (sleep, condition, signals, queries, timers, child workflows).
export { actions, untypedActions } from './actions';
export type { ActionFunction, TypedActions } from './actions';
export type { ActionTypes, HttpResult, InquiryResult, ShellParameters, ShellResult } from './core-actions';
export { ask } from './ask';
export type { AskOptions } from './ask';
export { packWorkflowFunction } from './entry';
export { ActionError, executionContext, run } from './run';
export type { ParametersOf, ResultOf, RunOptions } from './run';
