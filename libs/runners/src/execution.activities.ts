import { Context } from '@temporalio/activity';
import { randomUUID } from 'node:crypto';
import { ExecutionRepository, TriggerInstanceRepository, type ActionTokenRepository, type Database, type PackConfigRepository } from '@tempest/db';
import type { ParameterSpecs } from '@tempest/domain';
import type { ActionExecutionInput, ActionOutcome, ExecutionActivities } from '@tempest/workflows';
import { mintActionToken } from './action-token';
import { actionTriggerInstance } from './action-trigger';
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
};

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
}

export function createExecutionActivities({ db, executions, packConfigs, tokens, apiUrl, packsDir, knownHostsFile }: ExecutionActivityDeps): ExecutionActivities {
  return {
    async runAction(input: ActionExecutionInput & { runId: string; attempt: number }): Promise<ActionOutcome> {
      const context = Context.current();
      const { executionId, action } = input;
      await executions.transition(executionId, 'running', { runId: input.runId });
      const runner = RUNNERS[action.runnerType];
      if (!runner) {
        return { status: 'failed', result: { error: `runner "${action.runnerType}" cannot run on this worker (it runs: ${Object.keys(RUNNERS).join(', ')})` } };
      }
      // Keyed by the workflow's attempt (retry policy), so each retry's output is kept.
      const output = new OutputSink((chunks) => executions.appendOutput(executionId, input.attempt ?? 1, chunks));
      const user = (await executions.getById(executionId))?.context.user ?? 'unknown';
      const token = await mintActionToken(tokens, { executionId, user, timeoutSeconds: input.timeoutSeconds });
      const outcome = await runner({
        executionId,
        pack: action.pack,
        actionRef: action.ref,
        entryPoint: action.entryPoint,
        actionParameters: (action.parameterSpecs ?? {}) as ParameterSpecs,
        packsDir,
        knownHostsFile,
        parameters: { ...input.parameters, ...(await executions.getSecrets(executionId)) },
        config: (await packConfigs.getByPack(action.pack))?.values ?? {},
        output,
        signal: context.cancellationSignal,
        heartbeat: () => context.heartbeat(),
        actionEnv: {
          ST2_ACTION_EXECUTION_ID: executionId,
          ST2_ACTION_PACK_NAME: action.pack,
          ST2_ACTION_API_URL: `${apiUrl}/api/v1`,
          ST2_ACTION_AUTH_TOKEN: token,
          ST2_AUTH_TOKEN: token,
        },
      });
      await output.close();
      await tokens.deleteByExecution(executionId);
      return outcome;
    },

    async finishExecution(executionId: string, outcome: ActionOutcome): Promise<void> {
      // Before the status: once the execution shows as ended, its token no longer works.
      await tokens.deleteByExecution(executionId);
      // The final status and the actiontrigger it emits commit together: neither is lost, nor doubled by a retry.
      await db.transaction().execute(async (trx) => {
        const inTransaction = new ExecutionRepository(trx);
        if (!(await inTransaction.transition(executionId, outcome.status, { result: outcome.result }))) return;
        const execution = await inTransaction.getById(executionId);
        if (execution) await new TriggerInstanceRepository(trx).create(actionTriggerInstance(execution, randomUUID()));
      });
    },
  };
}
