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

export interface DB {
  api_keys: ApiKeysTable;
  packs: PacksTable;
}

export type ApiKey = Selectable<ApiKeysTable>;
export type NewApiKey = Insertable<ApiKeysTable>;
export type Pack = Selectable<PacksTable>;
