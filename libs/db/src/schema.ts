import type { ConcurrencyPolicy, Notify } from '@tempest/domain';
import type { ColumnType, Generated, Insertable, Selectable } from 'kysely';

type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;

export interface ApiKeysTable {
  id: Generated<string>;
  name: string;
  /** sha256 of the key; the key itself is never stored. */
  key_hash: string;
  /** First characters of the key, so a person can tell keys apart. */
  key_prefix: string;
  user: string;
  enabled: Generated<boolean>;
  /** What the key is for, as its creator described it. */
  metadata: ColumnType<Record<string, unknown>, string | undefined, string>;
  created_at: Timestamp;
  last_used_at: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
}

export interface PacksTable {
  ref: string;
  name: string;
  description: string;
  version: string;
  author: string;
  email: string | null;
  keywords: ColumnType<string[], string, string>;
  dependencies: ColumnType<string[], string, string>;
  path: string;
  metadata: ColumnType<Record<string, unknown>, string, string>;
  registered_at: Timestamp;
  updated_at: Timestamp;
}

type Json<T> = ColumnType<T, string, string>;

export interface ActionsTable {
  ref: string;
  pack: string;
  name: string;
  description: string;
  runner_type: string;
  entry_point: string | null;
  enabled: boolean;
  parameters: Json<Record<string, unknown>>;
  output_schema: ColumnType<Record<string, unknown> | null, string | null, string | null>;
  tags: Json<{ name: string; value?: string }[]>;
  metadata_file: string;
  metadata: Json<Record<string, unknown>>;
  /** StackStorm action.retry policy from the pack's policies/, if any. */
  retry: ColumnType<{ retryOn: 'failure' | 'timeout'; maxRetryCount: number; delaySeconds: number } | null, string | null, string | null>;
  /** StackStorm action.concurrency(.attr) policies from the pack's policies/, if any. */
  concurrency: ColumnType<ConcurrencyPolicy[] | null, string | null | undefined, string | null>;
  registered_at: Timestamp;
  updated_at: Timestamp;
}

export interface StatusChange {
  status: string;
  at: string;
}

export interface ExecutionContext {
  user: string;
  /** How the run was asked for: api, cli, rule, workflow. */
  source: string;
  [key: string]: unknown;
}

export interface ExecutionsTable {
  id: string;
  action_ref: string;
  pack: string;
  runner_type: string;
  /** Secret values masked. */
  parameters: Json<Record<string, unknown>>;
  status: string;
  status_history: Json<StatusChange[]>;
  context: Json<ExecutionContext>;
  result: ColumnType<unknown, string | null, string | null>;
  /** StackStorm's notify (on-complete, on-success, on-failure), as normalizeNotify() keeps it; null without one. */
  notify: ColumnType<Notify | null, string | null | undefined, string | null>;
  parent_id: string | null;
  workflow_id: string;
  run_id: string | null;
  created_at: Timestamp;
  started_at: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
  finished_at: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
}

export interface ExecutionOutputTable {
  id: Generated<string>;
  execution_id: string;
  attempt: number;
  seq: number;
  stream: string;
  data: string;
  created_at: Timestamp;
}

/** What a worker recorded of one attempt of an execution (see the ExecutionAttempts migration). */
export interface ExecutionAttemptsTable {
  execution_id: string;
  attempt: number;
  dispatch: number;
  state: 'fenced' | 'started' | 'finished';
  outcome: ColumnType<unknown, string | null | undefined, string | null>;
  updated_at: Timestamp;
}

/** A failed workflow's final conductor state, for a re-run from chosen tasks. */
export interface WorkflowStatesTable {
  execution_id: string;
  state: ColumnType<unknown, string, string>;
  created_at: Generated<Date>;
}

/** What core.announcement published on the event stream (see the StreamNotify migration). */
export interface StreamAnnouncementsTable {
  id: Generated<string>;
  route: string;
  body: ColumnType<unknown, string, string>;
  created_at: Generated<Date>;
}

export interface ExecutionSecretsTable {
  execution_id: string;
  /** Written in clear before secrets were sealed; read until the execution ends. */
  values: ColumnType<Record<string, unknown> | null, string | null, string | null>;
  /** The values as JSON, sealed with the datastore key and bound to the execution. */
  sealed: Buffer | null;
}

/**
 * A pack's config: its config.schema.yaml and its values (configs/<pack>.yaml, defaults applied),
 * secrets included, so both are sealed together with the datastore key; in clear only when
 * written without a key and holding no secret, or by an older version.
 */
export interface PackConfigsTable {
  pack: string;
  schema: ColumnType<Record<string, unknown> | null, string | null, string | null>;
  values: ColumnType<Record<string, unknown> | null, string | null, string | null>;
  /** `{ schema, values }` as JSON, sealed and bound to the pack. */
  sealed: Buffer | null;
  updated_at: Timestamp;
}

/** The API token of one running execution (ST2_ACTION_AUTH_TOKEN); only its sha256 is kept. */
export interface ActionTokensTable {
  token_hash: string;
  execution_id: string;
  /** The execution's user, whom requests with the token act as. */
  user: string;
  expires_at: Timestamp;
  created_at: Timestamp;
}

export interface TriggerTypesTable {
  ref: string;
  pack: string;
  name: string;
  description: string;
  parameters_schema: Json<Record<string, unknown>>;
  payload_schema: Json<Record<string, unknown>>;
  metadata_file: string;
  registered_at: Timestamp;
  updated_at: Timestamp;
}

export type TriggerInstanceStatus = 'pending' | 'processing' | 'processed' | 'processing_failed';

export interface TriggerInstancesTable {
  id: string;
  /** The trigger type's ref, e.g. core.st2.webhook. */
  trigger: string;
  parameters: Json<Record<string, unknown>>;
  payload: Json<Record<string, unknown>>;
  occurrence_time: Timestamp;
  status: TriggerInstanceStatus;
  trace_tag: string;
  idempotency_key: string | null;
  /** What emitted it: webhook, sensor, timer, datastore, re_emit, actiontrigger. */
  source: string;
  context: ColumnType<Record<string, unknown>, string | undefined, string>;
  error: string | null;
  updated_at: Timestamp;
}

export interface RulesTable {
  ref: string;
  pack: string;
  name: string;
  description: string;
  enabled: boolean;
  type: 'standard' | 'backstop';
  trigger_type: string;
  trigger_parameters: Json<Record<string, unknown>>;
  criteria: Json<Record<string, unknown>>;
  action_ref: string;
  action_parameters: Json<Record<string, unknown>>;
  context: Json<Record<string, unknown>>;
  /** Null for rules made through the API. */
  metadata_file: string | null;
  created_by: string;
  registered_at: Timestamp;
  updated_at: Timestamp;
}

export interface RuleEnforcementsTable {
  id: string;
  trigger_instance_id: string;
  rule_ref: string;
  execution_id: string | null;
  status: 'succeeded' | 'failed';
  failure_reason: string | null;
  enforced_at: Timestamp;
}

/** A datastore key (StackStorm's key-value pair); a secret's value is only in encrypted_value (AES-256-GCM). */
export interface KeyValuePairsTable {
  scope: 'system' | 'user';
  /** The owner of a user-scope key; '' for system keys. */
  user: Generated<string>;
  name: string;
  /** Null for secrets. */
  value: string | null;
  secret: Generated<boolean>;
  encrypted_value: Buffer | null;
  expire_at: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
  created_at: Timestamp;
  updated_at: Timestamp;
}

/** A pack sensor (sensors/*.yaml). */
/** StackStorm's action aliases; `metadata` is the file as written (ack, result, extra...). */
export interface ActionAliasesTable {
  ref: string;
  pack: string;
  name: string;
  description: string;
  enabled: boolean;
  action_ref: string;
  /** The alias's formats as written: texts, or {display, representation: [texts]}. */
  formats: Json<unknown[]>;
  metadata_file: string;
  metadata: Json<Record<string, unknown>>;
  registered_at: Timestamp;
  updated_at: Timestamp;
}

/** A pack's policy (policies/*.yaml) as written; `parameters` as the file gives them. */
export interface PoliciesTable {
  ref: string;
  pack: string;
  name: string;
  description: string;
  enabled: boolean;
  resource_ref: string;
  policy_type: string;
  parameters: Json<Record<string, unknown>>;
  metadata_file: string;
  registered_at: Timestamp;
  updated_at: Timestamp;
}

export interface SensorTypesTable {
  ref: string;
  pack: string;
  name: string;
  class_name: string;
  /** Relative to the pack's sensors folder. */
  entry_point: string;
  description: string;
  enabled: boolean;
  /** Seconds between polls of a polling sensor; null: the default. */
  poll_interval: number | null;
  /** Refs of the trigger types it dispatches. */
  trigger_types: Json<string[]>;
  metadata_file: string;
  metadata: Json<Record<string, unknown>>;
  registered_at: Timestamp;
  updated_at: Timestamp;
}

/** The sensor container that runs a sensor, until expires_at unless renewed. */
export interface SensorLeasesTable {
  sensor_ref: string;
  owner: string;
  acquired_at: Timestamp;
  expires_at: Timestamp;
}

export interface DB {
  api_keys: ApiKeysTable;
  packs: PacksTable;
  actions: ActionsTable;
  executions: ExecutionsTable;
  execution_output: ExecutionOutputTable;
  execution_secrets: ExecutionSecretsTable;
  execution_attempts: ExecutionAttemptsTable;
  workflow_states: WorkflowStatesTable;
  stream_announcements: StreamAnnouncementsTable;
  key_value_pairs: KeyValuePairsTable;
  pack_configs: PackConfigsTable;
  action_tokens: ActionTokensTable;
  trigger_types: TriggerTypesTable;
  trigger_instances: TriggerInstancesTable;
  rules: RulesTable;
  rule_enforcements: RuleEnforcementsTable;
  sensor_types: SensorTypesTable;
  sensor_leases: SensorLeasesTable;
  action_aliases: ActionAliasesTable;
  policies: PoliciesTable;
}

export type ApiKey = Selectable<ApiKeysTable>;
export type NewApiKey = Insertable<ApiKeysTable>;
export type Pack = Selectable<PacksTable>;
export type Action = Selectable<ActionsTable>;
export type Execution = Selectable<ExecutionsTable>;
export type ExecutionOutputChunk = Selectable<ExecutionOutputTable>;
export type PackConfig = Selectable<PackConfigsTable>;
export type ActionToken = Selectable<ActionTokensTable>;
export type TriggerTypeRow = Selectable<TriggerTypesTable>;
export type TriggerInstance = Selectable<TriggerInstancesTable>;
export type Rule = Selectable<RulesTable>;
export type RuleEnforcement = Selectable<RuleEnforcementsTable>;
export type KeyValuePairRow = Selectable<KeyValuePairsTable>;
export type SensorType = Selectable<SensorTypesTable>;
export type ActionAlias = Selectable<ActionAliasesTable>;
export type Policy = Selectable<PoliciesTable>;
export type SensorLease = Selectable<SensorLeasesTable>;
