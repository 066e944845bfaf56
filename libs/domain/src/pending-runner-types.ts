import type { ParameterSpecs } from './parameters';
import type { RunnerType } from './runner-types';

// StackStorm's runner types that Tempest does not run (yet), with their runner parameters as
// StackStorm's runner metadata defines them (github:StackStorm/st2 contrib/runners/*/*/runner.yaml),
// so that packs naming them register whole and an execution of them says what is missing.

const winrmCommon: ParameterSpecs = {
  cwd: { type: 'string', description: 'Working directory where the command will be executed in' },
  env: { type: 'object', description: 'Environment variables which will be available to the command (e.g. key1=val1,key2=val2)' },
  host: { type: 'string', required: true, description: 'A host where the command will be run' },
  kwarg_op: { type: 'string', default: '-', description: 'Operator to use in front of keyword args i.e. "-" or "/".' },
  password: { type: 'string', required: true, secret: true, description: 'Password used to log in.' },
  port: { type: 'integer', default: 5986, required: false, description: 'WinRM port to connect on. If using port 5985 scheme must be "http"' },
  scheme: { type: 'string', default: 'https', required: false, description: 'Scheme to use in the WinRM URL. If using scheme "http" port must be 5985' },
  timeout: { type: 'integer', default: 60, description: "Action timeout in seconds. Action will get killed if it doesn't finish in timeout seconds." },
  transport: {
    type: 'string',
    default: 'ntlm',
    required: false,
    enum: ['basic', 'certificate', 'credssp', 'kerberos', 'ntlm', 'plaintext', 'ssl'],
    description: 'The type of transport that WinRM will use to communicate.',
  },
  username: { type: 'string', required: true, description: 'Username used to log-in.' },
  verify_ssl_cert: { type: 'boolean', default: true, description: 'Verify the certificate of the HTTPS endpoint. Set to False to skip verification.' },
};

const winrmCmd = (shell: string): ParameterSpecs => ({ cmd: { type: 'string', description: `Arbitrary ${shell} command to be executed on the remote host.` }, ...winrmCommon });

/** In StackStorm today; Tempest registers their actions and will run them. */
export const PENDING_RUNNER_TYPES: readonly RunnerType[] = [
  {
    name: 'orquesta',
    aliases: ['orchestra'],
    description: 'An Orquesta workflow (entry_point: the workflow definition, YAML).',
    needsEntryPoint: true,
    workflow: true,
    available: true,
    parameters: {
      notify: { type: 'array', items: { type: 'string', minLength: 1, pattern: '^\\w+$' }, default: [], description: 'List of tasks to trigger notifications for.' },
    },
  },
  {
    name: 'action-chain',
    description: 'An ActionChain workflow (entry_point: the chain definition, YAML).',
    needsEntryPoint: true,
    workflow: true,
    available: true,
    parameters: {
      display_published: { type: 'boolean', default: true, description: 'Intermediate published variables will be stored and displayed.' },
      skip_notify: { type: 'array', default: [], description: 'List of tasks to skip notifications for.' },
    },
  },
  {
    name: 'inquirer',
    description: 'An inquiry: waits for a response matching a schema.',
    needsEntryPoint: false,
    executionWorkflow: 'inquiryExecution',
    available: true,
    parameters: {
      schema: {
        type: 'object',
        required: true,
        default: { title: 'response_data', type: 'object', properties: { continue: { type: 'boolean', description: 'Would you like to continue the workflow?', required: true } } },
        description: 'A JSON schema that will be used to validate the response data',
      },
      route: { type: 'string', default: '', required: false, description: 'An arbitrary value for allowing rules to route to proper notification channel' },
      roles: { type: 'array', default: [], required: false, description: 'A list of roles that are permitted to respond to the action (if nothing provided, all are permitted) - REQUIRES RBAC FEATURES' },
      users: { type: 'array', default: [], required: false, description: 'A list of usernames that are permitted to respond to the action (if nothing provided, all are permitted)' },
      ttl: { type: 'integer', default: 1440, required: true, description: 'Time (in minutes) to wait before timing out the inquiry if no response is received' },
    },
  },
  {
    name: 'announcement',
    description: 'Emits an announcement event on the stream.',
    needsEntryPoint: false,
    available: true,
    parameters: {
      experimental: { type: 'boolean', default: false, required: true, description: 'Flag to indicate acknowledgment of using experimental runner' },
      route: { type: 'string', default: 'general', minLength: 1, maxLength: 255, description: 'The routing_key used to route the message to consumers. Might be a list of words, delimited by dots.' },
    },
  },
  { name: 'winrm-cmd', description: 'A Command Prompt command on a remote Windows host over WinRM.', needsEntryPoint: false, available: false, parameters: winrmCmd('Command Prompt') },
  { name: 'winrm-ps-cmd', description: 'A PowerShell command on a remote Windows host over WinRM.', needsEntryPoint: false, available: false, parameters: winrmCmd('PowerShell') },
  { name: 'winrm-ps-script', description: 'A PowerShell script of the pack, run on a remote Windows host over WinRM.', needsEntryPoint: true, available: false, parameters: winrmCommon },
];

/** Removed from StackStorm itself; their actions register so their packs load, and say at run time what to use instead. */
export const RETIRED_RUNNER_TYPES: readonly RunnerType[] = [
  {
    name: 'mistral-v2',
    description: 'A Mistral v2 workflow. Removed in StackStorm 3.3: port the workflow to orquesta.',
    needsEntryPoint: true,
    workflow: true,
    available: false,
    retired: 'StackStorm removed it in 3.3; port the workflow to orquesta',
    parameters: {
      context: { type: 'object', default: {}, description: 'Additional workflow inputs.' },
      skip_notify: { type: 'array', default: [], description: 'List of tasks to skip notifications for.' },
      task_name: { type: 'string', description: 'The name of the task to run for reverse workflow.' },
      workflow: { type: 'string', description: 'The name of the workflow to run if the entry_point is a workbook of many workflows.' },
    },
  },
  {
    name: 'cloudslang',
    description: 'A CloudSlang flow. Removed from StackStorm after 2.9.',
    needsEntryPoint: true,
    available: false,
    retired: 'StackStorm removed it after 2.9',
    parameters: {
      inputs: { type: 'object', default: {}, description: 'Inputs which will be available to CloudSlang flow execution (e.g. input1=val1,input2=val2)' },
      timeout: { type: 'integer', default: 60, description: "Action timeout in seconds. Action will get killed if it doesn't finish in timeout seconds." },
    },
  },
];
