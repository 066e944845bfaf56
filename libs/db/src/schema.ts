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

export interface ExecutionSecretsTable {
  execution_id: string;
  values: Json<Record<string, unknown>>;
}

export interface DB {
  api_keys: ApiKeysTable;
  packs: PacksTable;
  actions: ActionsTable;
  executions: ExecutionsTable;
  execution_output: ExecutionOutputTable;
  execution_secrets: ExecutionSecretsTable;
}

export type ApiKey = Selectable<ApiKeysTable>;
export type NewApiKey = Insertable<ApiKeysTable>;
export type Pack = Selectable<PacksTable>;
export type Action = Selectable<ActionsTable>;
export type Execution = Selectable<ExecutionsTable>;
export type ExecutionOutputChunk = Selectable<ExecutionOutputTable>;
