export { createDiagnosticsActivities } from './diagnostics.activities';
export { createExecutionActivities, RUNNERS } from './execution.activities';
export { httpRequest } from './http-request.runner';
export type { ExecutionActivityDeps } from './execution.activities';
export { OutputSink } from './output-sink';
export type { Runner, RunnerContext } from './runner';
export { createTimerActivities } from './timer.activities';
export { createConductorActivities } from './conductor.activities';
export type { ConductorActivityDeps } from './conductor.activities';
