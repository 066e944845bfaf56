import { Context } from '@temporalio/activity';
import type { ActionRepository, ExecutionRepository } from '@tempest/db';
import { TEMPORAL_WORKFLOW_RUNNER } from '@tempest/domain';
import type { PackWorkflowActivities } from '@tempest/workflows';
import type { PackWorkflowEntry } from './pack-bundle';
import type { PackWorkflowHost } from './pack-workflow-host';

export interface PackWorkflowActivityDeps {
  host: PackWorkflowHost;
  actions: ActionRepository;
  executions: ExecutionRepository;
}

/** The worker's side of packWorkflow: the execution marked running, its pack's bundle built and served. */
export function createPackWorkflowActivities({ host, actions, executions }: PackWorkflowActivityDeps): PackWorkflowActivities {
  return {
    async preparePackWorkflow({ executionId, runId, action }) {
      await executions.transition(executionId, 'running', { runId, scheduledAt: new Date(Context.current().info.scheduledTimestampMs) });
      // A workflow's input is recorded in Temporal history in clear: a secret must never enter it.
      const secret = Object.keys(await executions.getSecrets(executionId));
      if (secret.length > 0) return { error: `secret parameters (${secret.join(', ')}) cannot be given to a workflow yet: its input is recorded in Temporal history in clear` };
      // The pack's workflows as registered now: one bundle serves them all.
      const entries = (await actions.search({ pack: action.pack })).filter((a) => a.runner_type === TEMPORAL_WORKFLOW_RUNNER).map(packWorkflowEntry);
      const name = action.ref.slice(action.pack.length + 1);
      if (!entries.some((e) => e.name === name)) return { error: `action ${action.ref} is no longer a registered workflow of pack ${action.pack}` };
      const served = await host.prepare(action.pack, entries);
      return 'error' in served ? served : { taskQueue: served.taskQueue, workflowType: name };
    },
  };
}

export function packWorkflowEntry(action: { name: string; entry_point: string | null; parameters: unknown }): PackWorkflowEntry {
  const exported = (action.parameters as Record<string, { default?: unknown }> | null)?.function?.default;
  return { name: action.name, entryPoint: action.entry_point ?? '', exportName: typeof exported === 'string' ? exported : 'default' };
}
