import { Context } from '@temporalio/activity';
import { readFile } from 'node:fs/promises';
import { resolve, sep } from 'node:path';
import { ActionRepository, type ExecutionRepository, type PackConfigRepository } from '@tempest/db';
import { findRunnerType, maskConfig, maskSecrets, type ParameterSpecs } from '@tempest/domain';
import { prepareExecutionParameters } from '@tempest/templating';
import type { ChildExecution, ConductInput, ConductorActivities, ConductorAnswer } from '@tempest/workflows';
import { conductStep, type AnyConductor, type DatastoreReader } from './conductors';
import { scheduledAt } from './execution.activities';

export interface ConductorActivityDeps {
  executions: ExecutionRepository;
  actions: ActionRepository;
  packConfigs: PackConfigRepository;
  /** Datastore reads for st2kv: done before each conductor step (the conductor's lookup is synchronous). */
  datastore: DatastoreReader;
  packsDir: string;
}

/** The worker's side of conductedWorkflow: definitions from the packs, conductor steps, child execution rows. */
export function createConductorActivities(deps: ConductorActivityDeps): ConductorActivities {
  const { executions, actions, packConfigs, datastore, packsDir } = deps;

  async function step(input: ConductInput, run: (conductor: AnyConductor) => { state: unknown; step: unknown }): Promise<ConductorAnswer> {
    const [execution, secrets, packConfig] = await Promise.all([executions.getById(input.executionId), executions.getSecrets(input.executionId), packConfigs.getByPack(input.action.pack)]);
    const user = execution?.context.user ?? 'unknown';
    // The conductor's state and its tasks' inputs are recorded in Temporal history: a secret must never enter them.
    const secret = Object.keys(secrets);
    if (secret.length > 0) return { error: `secret parameters (${secret.join(', ')}) cannot be given to a workflow yet: its state is recorded in Temporal history in clear` };
    try {
      return (await conductStep(input, { user, config: packConfig?.values ?? {}, datastore }, run)) as ConductorAnswer;
    } catch (error) {
      // A definition or input the conductor refuses ends the workflow failed, saying why; it is not retried.
      return { error: error instanceof Error ? error.message : String(error) };
    }
  }

  return {
    async loadDefinition({ executionId, runId, action }) {
      await executions.transition(executionId, 'running', { runId, scheduledAt: scheduledAt(Context.current()) });
      const actionsDir = resolve(packsDir, action.pack, 'actions');
      const file = resolve(actionsDir, action.entryPoint ?? '');
      if (!action.entryPoint || !file.startsWith(actionsDir + sep)) return { error: `entry_point "${action.entryPoint ?? ''}" must name a file inside the pack's actions folder` };
      try {
        return { definition: await readFile(file, 'utf8') };
      } catch {
        return { error: `cannot read ${action.pack}/actions/${action.entryPoint} on this worker` };
      }
    },

    conductStart: (input) => step(input, (conductor) => conductor.start(workflowInput(input))),

    conductComplete: (input) => step(input, (conductor) => conductor.complete(input.state, input.result)),

    async createChildExecution({ parentId, childId, request }): Promise<ChildExecution> {
      const parent = await executions.getById(parentId);
      const action = await actions.getByRef(request.action);
      if (!action) return { error: `action "${request.action}" is not registered` };
      const runner = findRunnerType(action.runner_type);
      if (!runner?.available) return { error: `runner "${action.runner_type}" of action "${action.ref}" cannot run here` };
      const user = parent?.context.user ?? 'unknown';
      const row = await packConfigs.getByPack(action.pack);
      const config = row?.values ?? {};
      const masked = row ? maskConfig(row.schema as ParameterSpecs, row.values) : undefined;
      const prepared = prepareExecutionParameters(
        action.runner_type,
        runner.parameters ?? {},
        action.parameters as ParameterSpecs,
        request.input,
        { action_context: { user, execution_id: childId, pack: action.pack, parent: { execution_id: parentId } }, config_context: config },
        masked && JSON.stringify(masked) !== JSON.stringify(config) ? masked : undefined,
      );
      if (!prepared.ok) return { error: `task "${request.task}": ${prepared.violations.join('; ')}` };
      const values = prepared.values;
      const parameters = maskSecrets(values, prepared.secrets);
      const secrets = Object.fromEntries(prepared.secrets.filter((n) => values[n] !== undefined).map((n) => [n, values[n]]));
      // Idempotent: a retried activity finds the row it made.
      await executions.createIfAbsent({
        id: childId,
        actionRef: action.ref,
        pack: action.pack,
        runnerType: action.runner_type,
        parameters,
        secrets,
        context: { user, source: 'workflow', parent: parentId, task: request.task, task_request: request.id },
        parentId,
      });
      return {
        workflowType: runner.workflow ? 'conductedWorkflow' : 'actionExecution',
        input: {
          executionId: childId,
          action: { ref: action.ref, pack: action.pack, runnerType: action.runner_type, entryPoint: action.entry_point ?? undefined, parameterSpecs: action.parameters },
          parameters,
          timeoutSeconds: typeof parameters.timeout === 'number' ? parameters.timeout : 600,
          retry: action.retry ?? undefined,
        },
      };
    },
  };
}

/** The workflow's own input: the execution's parameters without its runner's (notify, display_published...). */
function workflowInput(input: ConductInput): Record<string, unknown> {
  const runnerParameters = findRunnerType(input.action.runnerType)?.parameters ?? {};
  return Object.fromEntries(Object.entries(input.parameters).filter(([name]) => !(name in runnerParameters)));
}
