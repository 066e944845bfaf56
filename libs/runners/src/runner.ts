import type { ParameterSpecs } from '@tempest/domain';
import type { ActionOutcome } from '@tempest/workflows';
import type { OutputSink } from './output-sink';

/** Everything a runner gets for one execution. */
export interface RunnerContext {
  executionId: string;
  pack: string;
  /** The action's ref (`pack.name`); a Node action's local datastore keys are prefixed with it. */
  actionRef?: string;
  entryPoint?: string;
  /** The action's own parameter specs (positions and types of script arguments). */
  actionParameters: ParameterSpecs;
  /** Where packs live on this worker: `<packsDir>/<pack>/actions/<entry point>`. */
  packsDir: string;
  /** Parameters with secret values restored. */
  parameters: Record<string, unknown>;
  /** The pack's config (configs/<pack>.yaml, defaults applied), secrets included: `self.config`, `context.config`. */
  config?: Record<string, unknown>;
  output: OutputSink;
  /** Aborted when the execution is canceled. */
  signal: AbortSignal;
  /** Called periodically while the action runs, so Temporal can deliver cancellation. */
  heartbeat(): void;
  /** The known_hosts file SSH host keys are checked against (TEMPEST_SSH_KNOWN_HOSTS); unset, ~/.ssh/known_hosts. */
  knownHostsFile?: string;
  /** Variables every action sees, as StackStorm provides them (ST2_ACTION_*). */
  actionEnv: Record<string, string>;
  /** Publishes `body` on the event stream as `st2.announcement__<route>` (the announcement runner). */
  announce?(route: string, body: unknown): Promise<void>;
}

export type Runner = (context: RunnerContext) => Promise<ActionOutcome>;
