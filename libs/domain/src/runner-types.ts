import type { ParameterSpecs } from './parameters';
import { PENDING_RUNNER_TYPES, RETIRED_RUNNER_TYPES } from './pending-runner-types';

export interface RunnerType {
  name: string;
  /** Other names StackStorm registers the runner under (`orchestra` for `orquesta`). */
  aliases?: string[];
  description: string;
  /** Whether the action's `entry_point` names a file of the pack: a program the runner executes, or with `workflow` a definition it interprets. */
  needsEntryPoint: boolean;
  /** The entry point is a workflow definition the runner interprets, not a program: it need not be executable. */
  workflow?: boolean;
  /** The Temporal workflow that runs an execution of it, when not `actionExecution` (the action as an activity) nor, for `workflow` runners, `conductedWorkflow`. */
  executionWorkflow?: 'inquiryExecution' | 'packWorkflow';
  /** Whether Tempest runs it today; actions of the others register, and an execution of them is refused saying so. */
  available: boolean;
  /** Why StackStorm itself no longer has it, for runner types it removed. */
  retired?: string;
  /**
   * Runner parameters of Tempest's that StackStorm's runner does not have: StackStorm's actions
   * declare them as their own (core.http's body, say), so an action may redeclare them whole.
   */
  actionDeclared?: string[];
  /** Parameters every action of this runner has; actions may override some fields. */
  parameters: ParameterSpecs;
}

/** Tempest's own runner type: a pack's TypeScript Temporal workflow function. */
export const TEMPORAL_WORKFLOW_RUNNER = 'temporal-workflow';

const timeout = (seconds: number) => ({ type: 'integer' as const, default: seconds, minimum: 1, description: 'Seconds before the action is killed.' });

const shellCommon: ParameterSpecs = {
  cwd: { type: 'string', description: 'Working directory.' },
  env: { type: 'object', description: 'Environment variables for the command.' },
  kwarg_op: { type: 'string', default: '--', description: 'Prefix of named arguments.' },
  sudo: { type: 'boolean', default: false, description: 'Run with sudo.' },
  sudo_password: { type: 'string', secret: true, description: 'Password for sudo, if it asks.' },
};

const remoteCommon: ParameterSpecs = {
  ...shellCommon,
  hosts: { type: 'string', required: true, description: 'Comma-separated hosts, each optionally host:port.' },
  username: { type: 'string', description: 'SSH user.' },
  password: { type: 'string', secret: true, description: 'SSH password.' },
  private_key: { type: 'string', secret: true, description: 'SSH private key (PEM) or a path to one.' },
  passphrase: { type: 'string', secret: true, description: 'Passphrase of the private key.' },
  port: { type: 'integer', default: 22, minimum: 1, maximum: 65535, description: 'SSH port, unless a host names its own.' },
  parallel: { type: 'boolean', default: true, description: 'Run on all hosts at once.' },
  dir: { type: 'string', default: '/tmp', description: 'Remote folder scripts are copied to.' },
  strict_host_key_checking: {
    type: 'boolean',
    default: true,
    description: "Refuse a host whose key is not the one the worker's known_hosts (TEMPEST_SSH_KNOWN_HOSTS) has for it; false accepts any key.",
  },
};

/** The runner types Tempest runs, with their runner parameters. */
const AVAILABLE_RUNNER_TYPES: readonly RunnerType[] = [
  {
    name: 'local-shell-cmd',
    description: 'A shell command on the worker.',
    needsEntryPoint: false,
    available: true,
    parameters: { cmd: { type: 'string', description: 'The command.' }, ...shellCommon, timeout: timeout(60) },
  },
  {
    name: 'local-shell-script',
    description: 'A script of the pack, run on the worker with the parameters as arguments.',
    needsEntryPoint: true,
    available: true,
    parameters: { ...shellCommon, timeout: timeout(60) },
  },
  {
    name: 'remote-shell-cmd',
    description: 'A shell command on remote hosts over SSH.',
    needsEntryPoint: false,
    available: true,
    parameters: { cmd: { type: 'string', description: 'The command.' }, ...remoteCommon, timeout: timeout(60) },
  },
  {
    name: 'remote-shell-script',
    description: 'A script of the pack, copied to remote hosts and run over SSH.',
    needsEntryPoint: true,
    available: true,
    parameters: { ...remoteCommon, timeout: timeout(60) },
  },
  {
    name: 'http-request',
    description: 'An HTTP request.',
    needsEntryPoint: false,
    available: true,
    actionDeclared: ['method', 'body', 'timeout'],
    parameters: {
      url: { type: 'string', required: true, description: 'URL of the request.' },
      method: { type: 'string', default: 'GET', enum: ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS'] },
      headers: { type: 'object', description: 'Request headers.' },
      body: { type: ['string', 'object', 'array'], description: 'Request body; objects and arrays are sent as JSON.' },
      cookies: { type: 'object' },
      username: { type: 'string', description: 'Basic auth user.' },
      password: { type: 'string', secret: true, description: 'Basic auth password.' },
      timeout: { type: 'number', default: 60, minimum: 0, description: 'Seconds before the request is abandoned.' },
      allow_redirects: { type: 'boolean', default: false },
      verify_ssl_cert: { type: 'boolean', default: true },
      url_hosts_allowlist: { type: 'array', items: { type: 'string' }, description: 'Only these hosts may be requested.' },
      url_hosts_blocklist: { type: 'array', items: { type: 'string' }, description: 'These hosts may not be requested.' },
    },
  },
  {
    name: 'python-script',
    description: 'A StackStorm Python action (a class with run()).',
    needsEntryPoint: true,
    available: true,
    parameters: { env: { type: 'object' }, timeout: timeout(600), log_level: { type: 'string', default: 'DEBUG', enum: ['AUDIT', 'CRITICAL', 'ERROR', 'WARNING', 'INFO', 'DEBUG'] } },
  },
  {
    name: 'nodejs',
    description: 'A TypeScript or JavaScript module of the pack whose exported function receives the parameters.',
    needsEntryPoint: true,
    available: true,
    parameters: { timeout: timeout(600) },
  },
  {
    name: 'noop',
    description: 'Does nothing and succeeds.',
    needsEntryPoint: false,
    available: true,
    parameters: {},
  },
  {
    name: TEMPORAL_WORKFLOW_RUNNER,
    description: "A Temporal workflow function written in TypeScript (entry_point: the module in the pack's actions folder; `function`: the export).",
    needsEntryPoint: true,
    workflow: true,
    executionWorkflow: 'packWorkflow',
    available: true,
    parameters: {
      function: {
        type: 'string',
        default: 'default',
        immutable: true,
        description: 'The workflow function the entry point exports, by name (`default`: its default export).',
      },
    },
  },
];

/** Every runner type an action may name: those Tempest runs, then StackStorm's others, retired ones last. */
export const RUNNER_TYPES: readonly RunnerType[] = [...AVAILABLE_RUNNER_TYPES, ...PENDING_RUNNER_TYPES, ...RETIRED_RUNNER_TYPES];

/** The runner type by its name or one of its aliases. */
export function findRunnerType(name: string): RunnerType | undefined {
  return RUNNER_TYPES.find((r) => r.name === name || r.aliases?.includes(name));
}

/** The Temporal workflow an execution runs as: its runner's, a conductor's (Orquesta, ActionChain), an inquiry's, or a pack's TypeScript workflow's. */
export type ExecutionWorkflowType = 'actionExecution' | 'conductedWorkflow' | 'inquiryExecution' | 'packWorkflow';

export function executionWorkflowType(name: string): ExecutionWorkflowType {
  const runner = findRunnerType(name);
  return runner?.executionWorkflow ?? (runner?.workflow ? 'conductedWorkflow' : 'actionExecution');
}

/** Why an action of this runner type cannot run in this Tempest, or undefined when it can. */
export function runnerUnavailableReason(name: string): string | undefined {
  const runner = findRunnerType(name);
  if (runner?.available) return undefined;
  const runs = `it runs: ${RUNNER_TYPES.filter((r) => r.available).map((r) => r.name).join(', ')}`;
  if (!runner) return `runner "${name}" is not a runner type Tempest knows (${runs})`;
  if (runner.retired) return `runner "${name}" is not available in Tempest: ${runner.retired} (${runs})`;
  return `runner "${name}" is not available in this Tempest yet (${runs})`;
}

/** The parameters of a runner that are shell command lines, rendered with every `{{ }}` output as one shell word. */
export function shellCommandParameters(runnerType: string): string[] {
  return runnerType === 'local-shell-cmd' || runnerType === 'remote-shell-cmd' ? ['cmd'] : [];
}
