import { Context } from '@temporalio/activity';
import { readFile } from 'node:fs/promises';
import { resolve, sep } from 'node:path';
import { ActionRepository, ExecutionRepository, type Database, type Execution, type PackConfigRepository } from '@tempest/db';
import type { KeyValueCipher } from '@tempest/datastore';
import { executionWorkflowType, findRunnerType, maskConfig, maskSecrets, normalizeNotify, notifyViolations, taskNotify, type ParameterSpecs, type TaskRequest } from '@tempest/domain';
import { prepareExecutionParameters } from '@tempest/templating';
import { parse as parseYaml } from 'yaml';
import type { ChildExecution, ConductInput, ConductorActivities, ConductorAnswer } from '@tempest/workflows';
import { executionTraceTag } from './action-trigger';
import { conductStep, type AnyConductor, type DatastoreReader } from './conductors';
import type { TaskRerunRequest } from '@tempest/orquesta';
import { definitionFailure, definitionProblems, runnerDialect, type ContentProblem } from '@tempest/packs';
import { maskWorkflowSecrets, WorkflowSecretError, WorkflowSecrets } from './workflow-secrets';
import { scheduledAt } from './execution.activities';
import { canceledByPolicy, startWithinPolicies } from './concurrency-admission';

export interface ConductorActivityDeps {
  executions: ExecutionRepository;
  actions: ActionRepository;
  packConfigs: PackConfigRepository;
  /** Datastore reads for st2kv: done before each conductor step (the conductor's lookup is synchronous). */
  datastore: DatastoreReader;
  packsDir: string;
  /** The datastore key's cipher, which seals the secrets a workflow holds (none: a workflow cannot hold one). */
  secretCipher?: KeyValueCipher;
  /** For the action.concurrency check where a workflow starts; without it, a workflow with such a policy fails, saying why. */
  db?: Database;
}

/** The worker's side of conductedWorkflow: definitions from the packs, conductor steps, child execution rows. */
export function createConductorActivities(deps: ConductorActivityDeps): ConductorActivities {
  const { executions, actions, packConfigs, datastore, packsDir, secretCipher, db } = deps;

  /**
   * One conductor step. Secrets (the execution's secret parameters, decrypted
   * datastore values) enter the conductor sealed, since its state and its tasks'
   * inputs are recorded in Temporal history; the workflow's output and errors show them masked.
   */
  async function step(
    input: ConductInput,
    run: (conductor: AnyConductor, input: ConductInput, rerun: { from: unknown; tasks: TaskRerunRequest[] } | undefined) => { state: unknown; step: unknown },
    first = false,
  ): Promise<ConductorAnswer> {
    const [execution, secrets, packConfig] = await Promise.all([executions.getById(input.executionId), executions.getSecrets(input.executionId), packConfigs.getByPack(input.action.pack)]);
    const user = execution?.context.user ?? 'unknown';
    const sealer = new WorkflowSecrets(secretCipher, input.executionId);
    try {
      const sealed = Object.fromEntries(Object.entries(secrets).map(([name, value]) => [name, sealer.seal(value)]));
      const withSecrets = { ...input, parameters: { ...input.parameters, ...sealed } };
      const rerun = first ? await rerunOf(execution?.context['re-run'], sealer) : undefined;
      const answer = (await conductStep(withSecrets, { user, config: packConfig?.values ?? {}, datastore, secrets: sealer }, (conductor) => run(conductor, withSecrets, rerun))) as ConductorAnswer;
      if ('error' in answer || !answer.step.done) return answer;
      // What a re-run from chosen tasks starts from (st2 keeps its conductor on the workflow execution).
      if (answer.step.done.status === 'failed' && input.action.runnerType === 'orquesta') await executions.saveWorkflowState(input.executionId, answer.state);
      return { ...answer, step: { ...answer.step, done: maskWorkflowSecrets(answer.step.done) } };
    } catch (error) {
      // A definition or input the conductor refuses ends the workflow failed, saying why; it is not retried.
      return { error: maskWorkflowSecrets(error instanceof Error ? error.message : String(error)) };
    }
  }

  /** The re-run asked for in the execution's context, with the final state of the run it re-runs. */
  async function rerunOf(context: unknown, sealer: WorkflowSecrets): Promise<{ from: unknown; tasks: TaskRerunRequest[] } | undefined> {
    const rerun = context as { ref?: string; tasks?: string[]; reset?: string[] } | undefined;
    if (!rerun?.ref || !rerun.tasks?.length) return undefined;
    const saved = await executions.getWorkflowState(rerun.ref);
    if (saved === undefined) throw new Error(`execution ${rerun.ref} kept no workflow state to re-run from`);
    // Secrets the failed run published were sealed for it: sealed again for this one.
    const from = sealer.adopt(saved, new WorkflowSecrets(secretCipher, rerun.ref));
    return { from, tasks: rerun.tasks.map((task) => ({ task, resetItems: rerun.reset?.includes(task) ?? false })) };
  }

  return {
    async loadDefinition({ executionId, runId, action, concurrency, parameters }) {
      const fields = { runId, scheduledAt: scheduledAt(Context.current()) };
      if (concurrency?.length) {
        if (!db) return { error: 'this worker cannot apply action.concurrency policies (no database given to its conductor)' };
        // As for a runner action: counted and marked running in one transaction, under the action's lock.
        const admitted = await startWithinPolicies(db, { executionId, actionRef: action.ref, parameters: parameters ?? {} }, concurrency, (trx) => new ExecutionRepository(trx).transition(executionId, 'running', fields));
        if ('held' in admitted) return admitted.held.policy.action === 'delay' ? { delayedBy: admitted.held.policy.ref } : { canceledBy: canceledByPolicy(admitted.held, action.ref) };
      } else {
        await executions.transition(executionId, 'running', fields);
      }
      const actionsDir = resolve(packsDir, action.pack, 'actions');
      const file = resolve(actionsDir, action.entryPoint ?? '');
      if (!action.entryPoint || !file.startsWith(actionsDir + sep)) return { error: `entry_point "${action.entryPoint ?? ''}" must name a file inside the pack's actions folder` };
      const shown = `${action.pack}/actions/${action.entryPoint}`;
      let definition: string;
      try {
        definition = await readFile(file, 'utf8');
      } catch {
        return { error: `cannot read ${shown} on this worker` };
      }
      // As st2's runners inspect a definition before they start it; registration warned of the same problems.
      const problems = await inspected(definition, action.runnerType, shown);
      return problems.length > 0 ? { error: definitionFailure(problems) } : { definition };
    },

    // A re-run from chosen tasks (the gateway's `re-run` context, as st2's) starts from the failed run's final state.
    conductStart: async (input) => {
      const refused = unknownNotifyTasks(input);
      if (refused) return { error: refused };
      return step(input, (conductor, withSecrets, rerun) => (rerun ? conductor.rerun(rerun.from, rerun.tasks, workflowInput(withSecrets)) : conductor.start(workflowInput(withSecrets))), true);
    },

    conductComplete: (input) => step(input, (conductor) => conductor.complete(input.state, input.result)),

    async recordPauseStatus({ executionId, status }) {
      await executions.transition(executionId, status);
    },

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
      // The task's input holds the workflow's secrets sealed: the action gets them plain, its parameters secret.
      let opened: { values: Record<string, unknown>; secret: string[] };
      try {
        opened = new WorkflowSecrets(secretCipher, parentId).open(request.input, request.task);
      } catch (error) {
        if (error instanceof WorkflowSecretError) return { error: error.message };
        throw error;
      }
      const prepared = prepareExecutionParameters(
        action.runner_type,
        runner.parameters ?? {},
        action.parameters as ParameterSpecs,
        opened.values,
        { action_context: { user, execution_id: childId, pack: action.pack, parent: { execution_id: parentId } }, config_context: config },
        masked && JSON.stringify(masked) !== JSON.stringify(config) ? masked : undefined,
        opened.secret,
      );
      if (!prepared.ok) return { error: `task "${request.task}": ${prepared.violations.join('; ')}` };
      // An ActionChain task's notify comes with its request (the conductor keeps it as written).
      const written = (request as TaskRequest).notify;
      const invalid = notifyViolations(`task "${request.task}": notify`, written);
      if (invalid.length > 0) return { error: invalid.join('; ') };
      const notify = parent
        ? taskNotify({
            runnerType: parent.runner_type,
            task: request.task,
            workflowParameters: parent.parameters,
            workflowNotify: parent.notify ?? undefined,
            taskNotify: normalizeNotify(written),
            actionNotify: normalizeNotify(action.metadata.notify),
          })
        : undefined;
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
        // In the workflow's trace, with its trigger instances (actiontrigger, notifytrigger), as StackStorm's tasks are.
        // `parent` as StackStorm's ({execution_id}): `st2 execution tail` follows a workflow's tasks by it.
        // The task's name where StackStorm's runners put it, as `st2 execution tail` and `get` read it (else "task=unknown").
        context: { user, source: 'workflow', parent: { execution_id: parentId }, task: request.task, task_request: request.id, ...traceOf(parent), ...taskNameContext(parent, request.task) },
        parentId,
        notify,
      });
      return {
        workflowType: executionWorkflowType(action.runner_type),
        input: {
          executionId: childId,
          action: { ref: action.ref, pack: action.pack, runnerType: action.runner_type, entryPoint: action.entry_point ?? undefined, parameterSpecs: action.parameters },
          parameters,
          timeoutSeconds: typeof parameters.timeout === 'number' ? parameters.timeout : 600,
          retry: action.retry ?? undefined,
          concurrency: action.concurrency ?? undefined,
        },
      };
    },
  };
}

/** Definitions (with their runner and file) that passed inspection, so that a workflow's start inspects it once per worker, not once per run. */
const passedInspection = new Set<string>();
const PASSED_INSPECTION_KEPT = 256;

async function inspected(definition: string, runnerType: string, shown: string): Promise<ContentProblem[]> {
  const key = `${runnerType}\0${shown}\0${definition}`;
  if (!runnerDialect(runnerType) || passedInspection.has(key)) return [];
  const problems = await definitionProblems(definition, runnerType, shown);
  if (problems.length > 0) return problems;
  if (passedInspection.size >= PASSED_INSPECTION_KEPT) passedInspection.clear();
  passedInspection.add(key);
  return [];
}

/** The workflow's own input: the execution's parameters without its runner's (notify, display_published...). */
function workflowInput(input: ConductInput): Record<string, unknown> {
  const runnerParameters = findRunnerType(input.action.runnerType)?.parameters ?? {};
  return Object.fromEntries(Object.entries(input.parameters).filter(([name]) => !(name in runnerParameters)));
}

/**
 * An Orquesta workflow's `notify` parameter naming tasks its definition does
 * not have: refused as StackStorm's workflow service refuses it (services/workflows.request).
 */
function unknownNotifyTasks(input: ConductInput): string | undefined {
  const listed = input.parameters.notify;
  if (input.action.runnerType !== 'orquesta' || !Array.isArray(listed) || listed.length === 0) return undefined;
  let tasks: unknown;
  try {
    tasks = (parseYaml(input.definition) as { tasks?: unknown } | null)?.tasks;
  } catch {
    // The conductor reports a definition that does not parse.
    return undefined;
  }
  const known = typeof tasks === 'object' && tasks !== null ? Object.keys(tasks) : [];
  const missing = [...new Set(listed.map(String))].filter((task) => !known.includes(task)).sort();
  return missing.length > 0 ? `The following tasks in the notify parameter do not exist in the workflow definition: ${missing.join(', ')}.` : undefined;
}

/** StackStorm's own context key for a task's name: Orquesta's `orquesta.task_name`, ActionChain's `chain.name`. */
function taskNameContext(parent: Execution | undefined, task: string): Record<string, unknown> {
  if (parent?.runner_type === 'orquesta') return { orquesta: { task_name: task, task_id: task } };
  if (parent?.runner_type === 'action-chain') return { chain: { name: task } };
  return {};
}

/** The workflow's trace (its rule's, else the one named after it), for its task's context. */
function traceOf(parent: Execution | undefined): { trace_tag?: string } {
  return parent ? { trace_tag: executionTraceTag(parent) } : {};
}
