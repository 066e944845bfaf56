import { ApplicationFailure, Context } from '@temporalio/activity';
import { randomUUID } from 'node:crypto';
import { ActionTokenRepository, AnnouncementRepository, ExecutionRunRepository, type Database, type EndingAttempt, type Execution, type ExecutionEnd, type ExecutionRepository, type PackConfigRepository } from '@tempest/db';
import type { ParameterSpecs } from '@tempest/domain';
import type { KeyValueLookup } from '@tempest/rules';
import { finalOutcome, shouldRetry, type ActionOutcome, type AttemptKnown, type DelayedByPolicy, type ExecutionActivities, type RunActionInput } from '@tempest/workflows';
import { canceledByPolicy, startWithinPolicies } from './concurrency-admission';
import { mintActionToken } from './action-token';
import { actionTriggerInstance } from './action-trigger';
import { notifyTriggerInstances } from './notify-trigger';
import { announcement } from './announcement.runner';
import { httpRequest } from './http-request.runner';
import { localShellCmd } from './local-shell-cmd.runner';
import { localShellScript } from './local-shell-script.runner';
import { nodejs } from './nodejs.runner';
import { noop } from './noop.runner';
import { pythonScript } from './python-script.runner';
import { remoteShellCmd } from './remote-shell-cmd.runner';
import { remoteShellScript } from './remote-shell-script.runner';
import { OutputSink } from './output-sink';
import type { Runner } from './runner';

/** The runners this worker can run, by StackStorm runner type. */
export const RUNNERS: Record<string, Runner> = {
  'local-shell-cmd': localShellCmd,
  'local-shell-script': localShellScript,
  'remote-shell-cmd': remoteShellCmd,
  'remote-shell-script': remoteShellScript,
  'http-request': httpRequest,
  'python-script': pythonScript,
  nodejs,
  noop,
  announcement,
};

/**
 * Runners that start no process of the action's own: nothing could use an API
 * token (ST2_ACTION_AUTH_TOKEN), so none is minted for them.
 */
const TOKENLESS_RUNNERS = new Set(['noop', 'http-request', 'announcement']);

export interface ExecutionActivityDeps {
  /** For the final status and its actiontrigger, written in one transaction. */
  db: Database;
  executions: ExecutionRepository;
  /** Packs' configs, read here so that secret values never travel through Temporal. */
  packConfigs: PackConfigRepository;
  /** Each run's API token (ST2_ACTION_AUTH_TOKEN), revoked when the execution ends. */
  tokens: ActionTokenRepository;
  /** The gateway's URL, given to actions as ST2_ACTION_API_URL. */
  apiUrl: string;
  /** Absolute path of the packs folder on this worker. */
  packsDir: string;
  /** The known_hosts file the SSH runners check host keys against; unset, ~/.ssh/known_hosts of the worker's user. */
  knownHostsFile?: string;
  /** The runners by runner type; RUNNERS unless a test brings its own. */
  runners?: Record<string, Runner>;
  /** st2kv.system for notify templates; without it, a template reading st2kv is sent as written. */
  datastore?: KeyValueLookup;
}

export function createExecutionActivities({ db, executions, packConfigs, tokens, apiUrl, packsDir, knownHostsFile, runners = RUNNERS, datastore }: ExecutionActivityDeps): ExecutionActivities {
  const runs = new ExecutionRunRepository(db);
  const endOf = (execution: Execution, outcome: ActionOutcome, warn: Warn, attempt?: EndingAttempt) => executionEnd(execution, outcome, { warn, datastore, attempt });
  return {
    async runAction(input: RunActionInput): Promise<ActionOutcome | DelayedByPolicy> {
      const context = Context.current();
      const { executionId, action, attempt } = input;
      const dispatch = input.dispatch ?? 1;
      const runner = runners[action.runnerType];
      if (!runner) {
        await executions.transition(executionId, 'running', { runId: input.runId, scheduledAt: scheduledAt(context) });
        return { status: 'failed', result: { error: `runner "${action.runnerType}" cannot run on this worker (it runs: ${Object.keys(runners).join(', ')})` } };
      }
      const [execution, secrets, packConfig] = await Promise.all([executions.getById(executionId), executions.getSecrets(executionId), packConfigs.getByPack(action.pack)]);
      const user = execution?.context.user ?? 'unknown';
      const parameters = { ...input.parameters, ...secrets };
      const config = packConfig?.values ?? {};
      const needsToken = !TOKENLESS_RUNNERS.has(action.runnerType);
      const start = async (runsHere: ExecutionRunRepository): Promise<undefined> => {
        if (!(await runsHere.startAttempt(executionId, attempt, dispatch, input.runId, scheduledAt(context)))) {
          throw ApplicationFailure.nonRetryable(`attempt ${attempt} of execution ${executionId} was settled or handed to another worker; not started here`, 'AttemptSuperseded');
        }
      };
      const startWithToken = async (trx: Database): Promise<string> => {
        await start(new ExecutionRunRepository(trx));
        return mintActionToken(new ActionTokenRepository(trx), { executionId, user, timeoutSeconds: input.timeoutSeconds });
      };
      const policies = input.concurrency ?? [];
      let token: string | undefined;
      // Past this statement the action may have run: a worker lost from here on leaves it `abandoned`, never run twice.
      if (policies.length > 0) {
        // Counted and started in one transaction, under a lock on the action's slots: no other start slips in between.
        const admitted = await startWithinPolicies(db, { executionId, actionRef: action.ref, parameters: input.parameters }, policies, (trx) => (needsToken ? startWithToken(trx) : start(new ExecutionRunRepository(trx))));
        if ('held' in admitted) {
          const { held } = admitted;
          context.log.info('held back by a concurrency policy', { executionId, policy: held.policy.ref, action: held.policy.action, running: held.running });
          if (held.policy.action === 'delay') return { delayedBy: held.policy.ref };
          const canceled: ActionOutcome = { status: 'canceled', result: { error: canceledByPolicy(held, action.ref) } };
          // Recorded here, so that the workflow completes with it: nothing asked Temporal to cancel this run.
          if (!input.finishIfFinal || !execution) return canceled;
          await runs.recordEnd(executionId, await endOf(execution, canceled, (message, fields) => context.log.warn(message, fields)));
          return { ...canceled, recorded: true };
        }
        token = admitted.started;
      } else {
        token = needsToken ? await db.transaction().execute(startWithToken) : await start(runs);
      }
      // Keyed by the workflow's attempt (retry policy), so each retry's output is kept.
      const output = new OutputSink((chunks) => executions.appendOutput(executionId, attempt, chunks));
      let outcome: ActionOutcome;
      try {
        outcome = await runner({
          executionId,
          pack: action.pack,
          actionRef: action.ref,
          entryPoint: action.entryPoint,
          actionParameters: (action.parameterSpecs ?? {}) as ParameterSpecs,
          packsDir,
          knownHostsFile,
          parameters,
          config,
          output,
          signal: context.cancellationSignal,
          heartbeat: () => context.heartbeat(),
          actionEnv: {
            ST2_ACTION_EXECUTION_ID: executionId,
            ST2_ACTION_PACK_NAME: action.pack,
            ST2_ACTION_API_URL: `${apiUrl}/api/v1`,
            ...(token ? { ST2_ACTION_AUTH_TOKEN: token, ST2_AUTH_TOKEN: token } : {}),
          },
          announce: (route, body) => new AnnouncementRepository(db).create(route, body),
        });
      } catch (error) {
        // A canceled activity reports its cancellation; anything else the runner threw is this attempt's failure.
        if (context.cancellationSignal.aborted) {
          await cleanUp(context, [() => output.close(), ...(token ? [() => tokens.deleteByExecution(executionId)] : [])]);
          throw error;
        }
        outcome = { status: 'failed', result: { error: error instanceof Error ? error.message : String(error) } };
      }
      const ends = input.finishIfFinal && !context.cancellationSignal.aborted && outcome.status !== 'canceled' && !shouldRetry(input.retry, outcome, attempt);
      if (ends) outcome = finalOutcome(outcome, attempt);
      const attemptOutcome = { attempt, dispatch, outcome };
      // Stored before the output is flushed, so that a worker lost from here on leaves the outcome known;
      // without output, the end below stores it with everything else. Not storing it loses only that
      // safety net: the outcome is still returned.
      const recordOutcome = () => executions.recordAttemptOutcome(executionId, attempt, dispatch, outcome).catch((error: Error) => context.log.warn('could not store the outcome of the attempt', { err: error.message }));
      if (!output.isEmpty || !ends) await recordOutcome();
      // All output is written before any status says the execution ended.
      await cleanUp(context, [() => output.close()]);
      if (ends && execution) {
        try {
          await runs.recordEnd(executionId, await endOf(execution, outcome, (message, fields) => context.log.warn(message, fields), attemptOutcome));
          return { ...outcome, recorded: true };
        } catch (error) {
          // The workflow records the end with finishExecution, retried until Postgres is back.
          context.log.warn('could not record the end of the execution; the workflow will', { err: (error as Error).message });
          if (output.isEmpty) await recordOutcome();
        }
      }
      if (token) await cleanUp(context, [() => tokens.deleteByExecution(executionId)]);
      return outcome;
    },

    async settleAttempt(executionId: string, attempt: number, dispatch: number): Promise<AttemptKnown> {
      return (await executions.settleAttempt(executionId, attempt, dispatch)) as AttemptKnown;
    },

    async finishExecution(executionId: string, outcome: ActionOutcome): Promise<void> {
      const execution = await executions.getById(executionId);
      if (execution) await runs.recordEnd(executionId, await endOf(execution, outcome, (message, fields) => Context.current().log.warn(message, fields)));
    },
  };
}

/**
 * The end of an execution as ExecutionRunRepository.recordEnd() stores it,
 * with the actiontrigger and notifytriggers it emits. `execution` may have been read at
 * any time before: what they tell of it besides the end never changes.
 */
type Warn = (message: string, fields: Record<string, unknown>) => void;

async function executionEnd(execution: Execution, outcome: ActionOutcome, options: { warn: Warn; datastore?: KeyValueLookup; attempt?: EndingAttempt }): Promise<ExecutionEnd> {
  const { warn, datastore, attempt } = options;
  const at = new Date();
  const ended = { ...execution, status: outcome.status, result: outcome.result ?? null, finished_at: at };
  const problems: string[] = [];
  const notifications = await notifyTriggerInstances(ended, randomUUID, { datastore, problems });
  if (problems.length > 0) warn('notify templates could not be rendered; sent as written', { executionId: execution.id, problems });
  return { status: outcome.status, result: outcome.result, at, attempt, emits: [actionTriggerInstance(ended, randomUUID()), ...notifications] };
}

/**
 * Runs every clean-up step even when one fails: an unflushed output sink must
 * not keep the token alive, nor the reverse. Failures are logged, not thrown,
 * so that the action's outcome is still stored and reported.
 */
async function cleanUp(context: Context, steps: (() => Promise<void>)[]): Promise<void> {
  for (const step of steps) {
    try {
      await step();
    } catch (error) {
      context.log.warn('clean-up after the action failed', { err: error instanceof Error ? error.message : String(error) });
    }
  }
}

/** When Temporal first queued this activity: its workflow was held by Temporal (StackStorm's `scheduled`) by then. */
export function scheduledAt(context: Context): Date {
  return new Date(context.info.scheduledTimestampMs);
}
