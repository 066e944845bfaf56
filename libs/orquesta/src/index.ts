export type { Conductor, Step, TaskRequest, TaskResult, WorkflowError } from '@tempest/domain';
export { ENGINE_COMMANDS, parseDefinition, parseInlineParams, type InputDef, type ParsedDefinition, type Problem, type TaskDef, type TransitionDef, type WorkflowDef } from './definition';
export { evaluateStatement, ExpressionError, ORQUESTA_FUNCTIONS, type DatastoreLookup, type ExpressionOptions, type ExpressionScope, type JinjaRender } from './expressions';
export { inspect, type InspectOptions } from './inspect';
export { OrquestaConductor, tasksNotRun, type OrquestaConductorOptions, type OrquestaState, type TaskRerunRequest } from './orquesta-conductor';
