export { createDiagnosticsActivities } from './diagnostics.activities';
