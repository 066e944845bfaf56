import { activityInfo } from '@temporalio/activity';
import type { DiagnosticsActivities } from '@tempest/workflows';

export function createDiagnosticsActivities(identity: string): DiagnosticsActivities {
  return {
    async describeWorker() {
      return { identity, pid: process.pid, taskQueue: activityInfo().taskQueue };
    },
  };
}
