// Deterministic workflow code only: bundled for the Temporal sandbox, so
// nothing here may import I/O, Node built-ins or activity implementations.
export { ping } from './diagnostics.workflow';
export type { DiagnosticsActivities, PingResult } from './diagnostics.workflow';
