import { randomUUID } from 'node:crypto';
import { BadRequestException, ConflictException, Inject, Injectable, NotFoundException, ServiceUnavailableException } from '@nestjs/common';
import { WorkflowNotFoundError, type Client } from '@temporalio/client';
import type { TempestConfig } from '@tempest/config';
import type { PauseSignalName } from '@tempest/workflows';
import { ActionRepository, ExecutionRepository, type Execution } from '@tempest/db';
import { effectiveSpecs, executionWorkflowType, findRunnerType, isTerminal, MASK, runnerUnavailableReason, type Notify, type ParameterSpecs } from '@tempest/domain';
import type { Principal } from '../auth/api-key.service';
import type { SortOrder } from '../common/stackstorm-listing';
import { CONFIG, TEMPORAL_CLIENT } from '../tokens';
import { ExecutionChanges } from './execution-changes';
import { ExecutionLauncher, ExecutionStartError, ExecutionStartUnknownError } from './execution-launcher';
import { tasksNotRun, type OrquestaState } from '@tempest/orquesta';
import { timeWindow } from '../common/time-window-query.dto';
import { MAX_WAIT_SECONDS, type ExecutionQueryDto, type OutputStream, type ExecutionRerunDto, type ExecutionResponseDto, type ExecutionUpdateStatus, type OutputChunkDto } from './execution.dto';

/** A waiting request looks again this often even unwoken: a notification is lost while the listener reconnects. */
const RECHECK_MS = 5_000;
/** Most child ids one execution answers (a with-items task over a long list could make more). */
const MAX_CHILDREN_LISTED = 10_000;

@Injectable()
export class ExecutionService {
  constructor(
    private readonly actions: ActionRepository,
    private readonly executions: ExecutionRepository,
    private readonly launcher: ExecutionLauncher,
    private readonly changes: ExecutionChanges,
    @Inject(TEMPORAL_CLIENT) private readonly temporal: Client,
    @Inject(CONFIG) private readonly config: TempestConfig,
  ) {}

  /**
   * Validates before anything is recorded (400 lists every violation), records
   * the request, then starts its workflow. Answered only once both are done.
   */
  async run(ref: string, provided: Record<string, unknown>, principal: Principal, source: string, secretProvided: readonly string[] = [], notify?: Notify, context: Record<string, unknown> = {}, delayMs = 0): Promise<ExecutionResponseDto> {
    const action = await this.actions.getByRef(ref);
    if (!action) throw new NotFoundException(`no action "${ref}" is registered`);
    if (!action.enabled) throw new BadRequestException(`action "${ref}" is disabled`);
    // Refused like a disabled action, before anything is recorded: no worker could run it, so no execution is made to fail.
    const unavailable = runnerUnavailableReason(action.runner_type);
    if (unavailable) throw new BadRequestException(`action "${ref}" cannot run: ${unavailable}`);
    const id = randomUUID();
    const prepared = await this.launcher.prepare(action, provided, { executionId: id, user: principal.user }, secretProvided);
    if (!prepared.ok) throw new BadRequestException(prepared.violations.map((v) => `parameter ${v}`));
    try {
      // An action calling the API with its own token starts a child: the trace follows it there.
      const parent = principal.executionId ? { parent: { execution_id: principal.executionId } } : {};
      return this.map(await this.launcher.launch({ id, action, parameters: prepared, context: { ...context, user: principal.user, source, ...parent }, parentId: principal.executionId, notify, delayMs }));
    } catch (error) {
      if (error instanceof ExecutionStartUnknownError) {
        throw new ServiceUnavailableException(
          `Temporal did not confirm the start of execution ${error.executionId} (${error.reason}); it may still run: within minutes it shows as scheduled or as failed, so look at it before trying again`,
        );
      }
      if (error instanceof ExecutionStartError) throw new ServiceUnavailableException(`Temporal did not accept the execution (${error.reason}); nothing ran, try again`);
      throw error;
    }
  }

  /**
   * Runs the same action again with the original parameters (secrets included), overridden by `overrides`.
   * Secret values are removed when an execution ends: those the caller had given (no default
   * to fall back on) must be given again in `overrides`, else 400 names them. Parameters
   * secret in the original are secret in the re-run.
   * With `tasks`, a failed Orquesta workflow runs again from those tasks (checked here, so a bad
   * request is a 400 naming the task): its context says so as StackStorm's (`re-run`: ref, tasks,
   * reset), and the new execution's conductor starts from the failed run's final state.
   */
  async rerun(id: string, body: ExecutionRerunDto, principal: Principal, source: string): Promise<ExecutionResponseDto> {
    const overrides = body.parameters ?? {};
    const original = await this.getRow(id);
    const kept = await this.executions.getSecrets(id);
    const recorded = original.parameters as Record<string, unknown>;
    const action = await this.actions.getByRef(original.action_ref);
    const specs = action ? effectiveSpecs(findRunnerType(action.runner_type)?.parameters ?? {}, action.parameters as ParameterSpecs) : {};
    // Defaults and immutables are re-applied by run(); only what the caller could set is carried over.
    const settable = (name: string) => specs[name] !== undefined && !specs[name].immutable;
    const removed = Object.keys(recorded).filter((name) => recorded[name] === MASK && !Object.hasOwn(kept, name) && settable(name));
    const missing = removed.filter((name) => specs[name].default === undefined && !Object.hasOwn(overrides, name));
    if (missing.length > 0) {
      throw new BadRequestException(missing.map((name) => `parameter ${name}: secret, and no longer kept since execution ${id} ended: give it again in parameters`));
    }
    const rerunContext = body.tasks?.length || body.reset?.length ? { 're-run': await this.taskRerun(original, body, removed) } : {};
    const previous = Object.entries({ ...recorded, ...kept }).filter(([name]) => settable(name) && !removed.includes(name));
    // What was secret (a decrypted datastore key, say) stays secret, given again or not.
    const secret = Object.keys(recorded).filter((name) => recorded[name] === MASK);
    return this.run(original.action_ref, { ...Object.fromEntries(previous), ...overrides }, principal, source, secret, undefined, rerunContext, body.delay ?? 0);
  }

  /**
   * Checks a re-run from tasks as st2's API and workflow service do, in their words where they have some.
   * Parameters cannot change, but the secret ones no longer kept (`givenAgain`) are given again.
   */
  private async taskRerun(original: Execution, body: ExecutionRerunDto, givenAgain: string[]): Promise<{ ref: string; tasks: string[]; reset: string[] }> {
    const tasks = [...new Set(body.tasks ?? [])];
    const reset = [...new Set(body.reset ?? [])];
    const overridden = Object.keys(body.parameters ?? {}).filter((name) => !givenAgain.includes(name));
    if (overridden.length > 0) throw new BadRequestException(`parameters: Parameters override is not supported when re-running task(s) for a workflow (${overridden.join(', ')}).`);
    const unlisted = reset.filter((task) => !tasks.includes(task));
    if (unlisted.length > 0) throw new BadRequestException(`reset: List of tasks to reset does not match the tasks to rerun (${unlisted.join(', ')} not in tasks).`);
    if (original.runner_type !== 'orquesta') throw new BadRequestException(`tasks: Task option is only supported for Orquesta workflows (execution ${original.id} is ${original.runner_type}).`);
    if (original.status !== 'failed') throw new BadRequestException(`tasks: execution ${original.id} is ${original.status}: only a failed workflow is re-run from its tasks`);
    const state = await this.executions.getWorkflowState(original.id);
    if (state === undefined) throw new BadRequestException(`tasks: execution ${original.id} kept no workflow state to re-run from (it failed before running a task)`);
    const notRun = tasksNotRun(state as OrquestaState, tasks);
    if (notRun.length > 0) throw new BadRequestException(notRun.map((task) => `tasks: task "${task}" did not run in execution ${original.id}`));
    return { ref: original.id, tasks, reset };
  }

  async search(query: ExecutionQueryDto, order: SortOrder): Promise<ExecutionResponseDto[]> {
    const { action, status, parent, user, limit, offset } = query;
    // StackStorm's CLI asks parent=null for top-level executions only.
    const rows = await this.executions.search({ action, status, parent: parent === 'null' ? null : parent, user, limit, offset, ...timeWindow(query), triggerInstance: query.trigger_instance, order });
    return rows.map((e) => this.map(e));
  }

  async get(id: string): Promise<ExecutionResponseDto> {
    const execution = this.map(await this.getRow(id));
    const children = await this.executions.childIds(id, MAX_CHILDREN_LISTED);
    return children.length > 0 ? { ...execution, children } : execution;
  }

  /** Descendants, level by level, down `depth` levels (-1: all), as StackStorm's /executions/{id}/children. */
  async children(id: string, depth: number): Promise<ExecutionResponseDto[]> {
    await this.getRow(id);
    const found: Execution[] = [];
    let level = [id];
    for (let d = 0; level.length > 0 && (depth < 0 || d < Math.max(depth, 1)); d++) {
      const rows = (await Promise.all(level.map((parent) => this.executions.search({ parent, limit: 10_000, offset: 0 })))).flat();
      rows.sort((a, b) => a.created_at.getTime() - b.created_at.getTime() || a.id.localeCompare(b.id));
      found.push(...rows);
      level = rows.map((r) => r.id);
    }
    return found.map((e) => this.map(e));
  }

  /** Output after `after`; with `wait`, holds the request until there is some or the execution ends. */
  async output(id: string, after: string | undefined, waitSeconds: number): Promise<{ status: string; chunks: OutputChunkDto[] }> {
    const deadline = Date.now() + Math.min(waitSeconds, MAX_WAIT_SECONDS) * 1000;
    for (;;) {
      // Only what can end the wait wakes it: output, or the end.
      const watch = this.changes.watch(id, (change) => change === 'output' || isTerminal(change));
      try {
        const found = await this.executions.statusAndOutput(id, after ?? '0');
        if (!found) throw new NotFoundException(`no execution "${id}"`);
        const { status, chunks } = found;
        if (chunks.length > 0 || isTerminal(status) || Date.now() >= deadline) {
          return { status, chunks: chunks.map((c) => ({ id: c.id, stream: c.stream, data: c.data, timestamp: c.created_at.toISOString() })) };
        }
        await watch.next(Math.min(RECHECK_MS, deadline - Date.now()));
      } finally {
        watch.close();
      }
    }
  }

  /** The output as StackStorm's API answers it: every chunk's data in the order written, of one stream if asked. */
  async outputText(id: string, stream: OutputStream | undefined): Promise<string> {
    const found = await this.executions.statusAndOutput(id);
    if (!found) throw new NotFoundException(`no execution "${id}"`);
    return found.chunks
      .filter((chunk) => stream === undefined || chunk.stream === stream)
      .map((chunk) => chunk.data)
      .join('');
  }

  /** Asks Temporal to cancel; the workflow stops the action and records `canceled`. */
  async cancel(id: string): Promise<ExecutionResponseDto> {
    const execution = await this.getRow(id);
    if (isTerminal(execution.status)) throw new ConflictException(`execution ${id} already ended (${execution.status})`);
    // Asked first: an execution is shown canceling only once Temporal has the request, so a failed ask leaves no trace.
    try {
      await this.temporal.workflow.getHandle(execution.workflow_id).cancel();
    } catch (error) {
      if (error instanceof WorkflowNotFoundError) throw new ConflictException(`execution ${id} is not running (${execution.status}): it ended, or never started`);
      throw new ServiceUnavailableException(`could not ask Temporal to cancel execution ${id}; nothing changed, try again`);
    }
    await this.executions.transition(id, 'canceling');
    return this.get(id);
  }

  /**
   * StackStorm's PUT /executions/{id}: `pausing`/`paused` pauses a workflow,
   * `resuming` resumes it, `canceling`/`canceled` cancels. Asking again for
   * what is under way (pausing a paused workflow) answers it as it is.
   */
  async update(id: string, status: ExecutionUpdateStatus): Promise<ExecutionResponseDto> {
    const execution = await this.getRow(id);
    if (isTerminal(execution.status)) throw new BadRequestException('Execution is already in completed state.');
    if (status === 'canceling' || status === 'canceled') return this.cancel(id);
    const signal: PauseSignalName = status === 'resuming' ? 'resume' : 'pause';
    // StackStorm's messages (st2common services/action.py request_pause, request_resume).
    const refused = (why: string) => new BadRequestException(`Failed updating execution. Unable to ${signal} liveaction "${id}" because ${why}.`);
    // Workflows obey pause and resume: conducted ones (Orquesta, ActionChain) and packs' TypeScript ones.
    if (!['conductedWorkflow', 'packWorkflow'].includes(executionWorkflowType(execution.runner_type))) throw refused(`it is not supported by the "${execution.runner_type}" runner`);
    if (signal === 'pause') {
      if (execution.status === 'pausing' || execution.status === 'paused') return this.map(execution);
      if (execution.status !== 'running') throw refused('it is not in a running state');
    } else {
      if (execution.status === 'running' || execution.status === 'resuming') return this.map(execution);
      if (execution.status !== 'paused') throw refused(`it is in "${execution.status}" state and not in "paused" state`);
    }
    // Asked first, as cancel(): the row shows pausing (resuming) only once Temporal holds the request.
    try {
      await this.temporal.workflow.getHandle(execution.workflow_id).signal<[]>(signal);
    } catch (error) {
      if (error instanceof WorkflowNotFoundError) throw new BadRequestException('Execution is already in completed state.');
      throw new ServiceUnavailableException(`could not ask Temporal to ${signal} execution ${id}; nothing changed, try again`);
    }
    // The workflow records it too, then `paused` (`running`); whichever comes second changes nothing.
    await this.executions.transition(id, signal === 'pause' ? 'pausing' : 'resuming');
    return this.get(id);
  }

  private async getRow(id: string): Promise<Execution> {
    const execution = await this.executions.getById(id);
    if (!execution) throw new NotFoundException(`no execution "${id}"`);
    return execution;
  }

  /** The API form of an execution (also used by traces). */
  map(execution: Execution): ExecutionResponseDto {
    const end = execution.finished_at;
    return {
      id: execution.id,
      action: { ref: execution.action_ref, pack: execution.pack, runner_type: execution.runner_type },
      parameters: execution.parameters,
      status: execution.status,
      status_history: execution.status_history,
      context: execution.context,
      result: execution.result ?? undefined,
      notify: execution.notify ?? undefined,
      parent: execution.parent_id ?? undefined,
      start_timestamp: execution.created_at.toISOString(),
      end_timestamp: end?.toISOString(),
      elapsed_seconds: end ? (end.getTime() - execution.created_at.getTime()) / 1000 : undefined,
      workflow_id: execution.workflow_id,
      run_id: execution.run_id ?? undefined,
      web_url: `${this.config.temporal.webUrl.replace(/\/$/, '')}/namespaces/${encodeURIComponent(this.config.temporal.namespace)}/workflows/${encodeURIComponent(execution.workflow_id)}`,
    };
  }
}
