import { Inject, Injectable, Optional } from '@nestjs/common';
import { WorkflowExecutionAlreadyStartedError, WorkflowNotFoundError, type Client } from '@temporalio/client';
import type { TempestConfig } from '@tempest/config';
import { ExecutionRepository, NO_SECRET_KEY, PackConfigRepository, type Action, type Execution, type ExecutionContext } from '@tempest/db';
import { executionNotify, executionWorkflowType, findRunnerType, maskConfig, maskSecrets, normalizeNotify, type Notify, type ParameterSpecs } from '@tempest/domain';
import type { Logger } from '@tempest/logging';
import { executionSearchAttributes } from '@tempest/temporal';
import { prepareExecutionParameters } from '@tempest/templating';
import type { ActionExecutionInput } from '@tempest/workflows';
import { CONFIG, LOGGER, TEMPORAL_CLIENT } from '../tokens';

/** Parameters ready to run: validated, defaults applied, templates rendered. */
export type PreparedParameters = { ok: true; values: Record<string, unknown>; secrets: string[] } | { ok: false; violations: string[] };

export interface LaunchRequest {
  id: string;
  action: Action;
  parameters: { values: Record<string, unknown>; secrets: string[] };
  context: ExecutionContext;
  parentId?: string;
  /** Search attributes beyond the action's own (the rule and trigger that caused it). */
  attributes?: { rule?: string; trigger?: string; triggerInstance?: string };
  /**
   * For ids derived from their cause (a rule enforcement): an execution
   * already recorded is not recorded again, and its workflow is started only
   * if it never was, so a retry runs nothing twice.
   */
  idempotent?: boolean;
  /** The notify asked for (the API's), normalized; the action's own takes its place when it has one. */
  notify?: Notify;
  /** StackStorm's `delay`: milliseconds Temporal holds the workflow before it runs; the execution shows `delayed` meanwhile. */
  delayMs?: number;
}

export interface LaunchOptions {
  /** How long a caller waits for Temporal to accept a start. */
  startDeadlineMs: number;
  /** How long the launcher then waits to learn whether a start it lost track of was accepted. */
  describeDeadlineMs: number;
}

/** Overrides LaunchOptions (tests make the deadlines tiny). */
export const LAUNCH_OPTIONS = Symbol('LAUNCH_OPTIONS');
const DEFAULT_OPTIONS: LaunchOptions = { startDeadlineMs: 10_000, describeDeadlineMs: 5_000 };

/**
 * Answers from Temporal that refuse a start: it was not accepted. Any other
 * failure (deadline, lost connection) may come after Temporal accepted it.
 */
const REFUSALS = new Set<number>([
  3, // INVALID_ARGUMENT
  5, // NOT_FOUND (namespace)
  7, // PERMISSION_DENIED
  8, // RESOURCE_EXHAUSTED (rate limited before it was taken)
  9, // FAILED_PRECONDITION
  11, // OUT_OF_RANGE
  12, // UNIMPLEMENTED
  16, // UNAUTHENTICATED
]);

/** Temporal refused to start the workflow; the execution did not run. */
export class ExecutionStartError extends Error {
  constructor(readonly executionId: string, readonly reason: string) {
    super(`Temporal did not accept execution ${executionId}: ${reason}`);
    this.name = 'ExecutionStartError';
  }
}

/**
 * Temporal did not say whether it accepted the start, and could not be asked.
 * The execution stays `requested`: the requested-execution reaper marks it
 * `scheduled` if Temporal has it, else `failed`, so nothing final is said now.
 */
export class ExecutionStartUnknownError extends ExecutionStartError {
  constructor(executionId: string, reason: string) {
    super(executionId, reason);
    this.name = 'ExecutionStartUnknownError';
  }
}

/**
 * The one way an execution comes to be, whoever asks (the API, a rule):
 * parameters resolved against the action and its pack config, the request
 * recorded with its secrets kept apart, then its workflow started with the
 * search attributes Temporal Web filters on.
 */
@Injectable()
export class ExecutionLauncher {
  constructor(
    private readonly executions: ExecutionRepository,
    private readonly packConfigs: PackConfigRepository,
    @Inject(TEMPORAL_CLIENT) private readonly temporal: Client,
    @Inject(CONFIG) private readonly config: TempestConfig,
    @Inject(LOGGER) private readonly logger: Logger,
    @Optional() @Inject(LAUNCH_OPTIONS) private readonly options: LaunchOptions = DEFAULT_OPTIONS,
  ) {}

  /** Every violation is listed; nothing is recorded. `secretProvided`: provided values that are secret (decrypted datastore keys). */
  async prepare(action: Action, provided: Record<string, unknown>, context: { executionId: string; user: string; extra?: Record<string, unknown> }, secretProvided: readonly string[] = []): Promise<PreparedParameters> {
    const config = await this.packConfig(action.pack);
    const prepared = prepareExecutionParameters(
      action.runner_type,
      findRunnerType(action.runner_type)?.parameters ?? {},
      action.parameters as ParameterSpecs,
      provided,
      { action_context: { ...context.extra, user: context.user, execution_id: context.executionId, pack: action.pack }, config_context: config.values },
      config.masked,
      secretProvided,
    );
    const secret = prepared.ok ? prepared.secrets.filter((name) => prepared.values[name] !== undefined) : [];
    if (secret.length > 0 && !this.executions.keepsSecrets) return { ok: false, violations: secret.map((name) => `${name}: ${NO_SECRET_KEY}`) };
    return prepared;
  }

  /**
   * Records the execution and starts its workflow. Throws ExecutionStartError
   * when Temporal refused (recorded `failed`: nothing ran), or its subclass
   * ExecutionStartUnknownError when whether it started is not known yet.
   */
  async launch(request: LaunchRequest): Promise<Execution> {
    const { id, action, parameters: prepared } = request;
    const parameters = maskSecrets(prepared.values, prepared.secrets);
    const secrets = Object.fromEntries(prepared.secrets.filter((n) => prepared.values[n] !== undefined).map((n) => [n, prepared.values[n]]));
    const notify = executionNotify(normalizeNotify(action.metadata.notify), request.notify);
    const record = { id, actionRef: action.ref, pack: action.pack, runnerType: action.runner_type, parameters, secrets, context: request.context, parentId: request.parentId, notify };
    if (!request.idempotent) {
      const created = await this.executions.create(record);
      try {
        await this.startWorkflow(created, action, request);
      } catch (error) {
        if (error instanceof ExecutionStartUnknownError) throw error;
        await this.executions.transition(id, 'failed', { result: { error: `could not start: ${(error as ExecutionStartError).reason}` } });
        throw error;
      }
      return this.scheduled(created, request.delayMs);
    }
    const { execution } = await this.executions.createIfAbsent(record);
    // Past `requested`, Temporal has it: it was started.
    if (execution.status !== 'requested') return execution;
    await this.startWorkflow(execution, action, request);
    return this.scheduled(execution, request.delayMs);
  }

  /**
   * `scheduled`, as StackStorm says once its scheduler has an execution: Temporal
   * holds it now. One left `requested` was recorded but never started.
   */
  private async scheduled(execution: Execution, delayMs = 0): Promise<Execution> {
    return (await this.executions.advance(execution.id, delayMs > 0 ? 'delayed' : 'scheduled')) ?? (await this.executions.getById(execution.id)) ?? execution;
  }

  private async startWorkflow(execution: Execution, action: Action, request: LaunchRequest): Promise<void> {
    const parameters = execution.parameters;
    const input: ActionExecutionInput = {
      executionId: execution.id,
      action: { ref: action.ref, pack: action.pack, runnerType: action.runner_type, entryPoint: action.entry_point ?? undefined, parameterSpecs: action.parameters },
      parameters,
      timeoutSeconds: typeof parameters.timeout === 'number' ? parameters.timeout : 600,
      retry: action.retry ?? undefined,
      concurrency: action.concurrency ?? undefined,
    };
    try {
      // Bounded, so that a caller waiting on an unreachable Temporal gets its answer.
      await this.temporal.withDeadline(Date.now() + this.options.startDeadlineMs, () => this.temporal.workflow.start(executionWorkflowType(action.runner_type), {
        taskQueue: this.config.temporal.taskQueue,
        workflowId: execution.workflow_id,
        // A workflow id is used once, even after its workflow closed.
        workflowIdReusePolicy: 'REJECT_DUPLICATE',
        ...(request.delayMs ? { startDelay: request.delayMs } : {}),
        args: [input],
        typedSearchAttributes: executionSearchAttributes({ actionRef: action.ref, pack: action.pack, user: execution.context.user, ...request.attributes }),
      }));
    } catch (error) {
      // The id is this execution's own: whoever started it, it was this request.
      if (error instanceof WorkflowExecutionAlreadyStartedError) return;
      const reason = error instanceof Error ? error.message : String(error);
      if (REFUSALS.has(grpcCode(error) ?? -1)) {
        this.logger.error({ executionId: execution.id, err: reason }, 'Temporal refused the execution workflow');
        throw new ExecutionStartError(execution.id, reason);
      }
      // The start may have been accepted with its answer lost: ask before saying anything final.
      const started = await this.workflowExists(execution.workflow_id);
      if (started) {
        this.logger.warn({ executionId: execution.id, err: reason }, 'the start of the execution workflow did not answer, but Temporal has it');
        return;
      }
      this.logger.error({ executionId: execution.id, err: reason, found: started }, 'could not learn whether the execution workflow started; left requested for the reaper');
      throw new ExecutionStartUnknownError(execution.id, reason);
    }
  }

  /** Whether Temporal has the workflow; undefined when it cannot say in time. */
  private async workflowExists(workflowId: string): Promise<boolean | undefined> {
    try {
      await this.temporal.withDeadline(Date.now() + this.options.describeDeadlineMs, () => this.temporal.workflow.getHandle(workflowId).describe());
      return true;
    } catch (error) {
      // Not found now, a start still in flight may land later: only the reaper, later, may say it never started.
      return error instanceof WorkflowNotFoundError ? false : undefined;
    }
  }

  /** The pack's config for config_context, and its masked copy when it holds secrets. */
  private async packConfig(pack: string): Promise<{ values: Record<string, unknown>; masked?: Record<string, unknown> }> {
    const row = await this.packConfigs.getByPack(pack);
    if (!row) return { values: {} };
    const masked = maskConfig(row.schema as ParameterSpecs, row.values);
    return { values: row.values, masked: JSON.stringify(masked) === JSON.stringify(row.values) ? undefined : masked };
  }
}


/** The gRPC status of a failed Temporal call, wherever the client put it. */
function grpcCode(error: unknown): number | undefined {
  for (let e = error as { code?: unknown; cause?: unknown } | undefined; e; e = e.cause as typeof e) {
    if (typeof e.code === 'number') return e.code;
  }
  return undefined;
}
