import { Context } from '@temporalio/activity';
import type { ExecutionRepository } from '@tempest/db';
import type { ParameterSpecs } from '@tempest/domain';
import type { ActionExecutionInput, ActionOutcome, ExecutionActivities } from '@tempest/workflows';
import { httpRequest } from './http-request.runner';
import { localShellCmd } from './local-shell-cmd.runner';
import { localShellScript } from './local-shell-script.runner';
import { nodejs } from './nodejs.runner';
import { noop } from './noop.runner';
import { pythonScript } from './python-script.runner';
import { OutputSink } from './output-sink';
import type { Runner } from './runner';

import { remoteShellCmd } from './remote-shell-cmd.runner';
import { remoteShellScript } from './remote-shell-script.runner';
/** The runners this worker can run, by StackStorm runner type. */
export const RUNNERS: Record<string, Runner> = {
  'local-shell-cmd': localShellCmd,
  'local-shell-script': localShellScript,
  'http-request': httpRequest,
  'python-script': pythonScript,
  nodejs,
  'remote-shell-cmd': remoteShellCmd,
  'remote-shell-script': remoteShellScript,
  noop,
};

export interface ExecutionActivityDeps {
  executions: ExecutionRepository;
  /** The gateway's URL, given to actions as ST2_ACTION_API_URL. */
  apiUrl: string;
  /** Absolute path of the packs folder on this worker. */
  packsDir: string;
}

export function createExecutionActivities({ executions, apiUrl, packsDir }: ExecutionActivityDeps): ExecutionActivities {
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
      const outcome = await runner({
        executionId,
        pack: action.pack,
        entryPoint: action.entryPoint,
        actionParameters: (action.parameterSpecs ?? {}) as ParameterSpecs,
        packsDir,
        parameters: { ...input.parameters, ...(await executions.getSecrets(executionId)) },
        output,
        signal: context.cancellationSignal,
        heartbeat: () => context.heartbeat(),
        actionEnv: {
          ST2_ACTION_EXECUTION_ID: executionId,
          ST2_ACTION_PACK_NAME: action.pack,
          ST2_ACTION_API_URL: `${apiUrl}/api/v1`,
        },
      });
      await output.close();
      return outcome;
    },

    async finishExecution(executionId: string, outcome: ActionOutcome): Promise<void> {
      await executions.transition(executionId, outcome.status, { result: outcome.result });
    },
  };
}
