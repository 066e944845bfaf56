import { isDeepStrictEqual } from 'node:util';
import { sql } from 'kysely';
import { MASK, maskConfig, maskConfigSchema, type ParameterSpecs } from '@tempest/domain';
import type { Database } from '../database';
import type { SecretCipher } from './execution-secret.repository';

export interface PackConfigRecord {
  pack: string;
  /** config.schema.yaml: key → JSON schema with StackStorm's `required` and `secret`. */
  schema: Record<string, unknown>;
  /** Validated values with the schema's defaults applied; secrets in clear. */
  values: Record<string, unknown>;
}

export interface StoredPackConfig extends PackConfigRecord {
  updated_at: Date;
}

interface PackConfigRow {
  schema: Record<string, unknown> | null;
  values: Record<string, unknown> | null;
  sealed: Buffer | null;
}

const binding = (pack: string): string[] => ['tempest.pack-config', pack];

/** Whether masking hid a value that is not empty: a secret to keep sealed. */
function hidesSomething(value: unknown, masked: unknown): boolean {
  if (masked === MASK) return value !== MASK && value !== '' && value !== null && value !== undefined;
  if (typeof value !== 'object' || value === null || typeof masked !== 'object' || masked === null) return false;
  return Object.keys(value).some((key) => hidesSomething((value as Record<string, unknown>)[key], (masked as Record<string, unknown>)[key]));
}

/**
 * Packs' configs, sealed at rest with the datastore key (values and schema, whose
 * secret defaults are secrets too), bound to the pack so a row copied onto another
 * pack does not decrypt. Readers get them in clear: whatever shows them to people
 * masks them first.
 */
export class PackConfigRepository {
  constructor(
    private readonly db: Database,
    private readonly cipher?: SecretCipher,
  ) {}

  async getByPack(pack: string): Promise<StoredPackConfig | undefined> {
    const row = await this.db.selectFrom('pack_configs').select(['schema', 'values', 'sealed', 'updated_at']).where('pack', '=', pack).executeTakeFirst();
    return row ? { pack, ...this.open(pack, row), updated_at: row.updated_at } : undefined;
  }

  /** Writes the config only if it changed (or was kept in clear); returns whether it changed. */
  async upsert(config: PackConfigRecord): Promise<boolean> {
    const existing = await this.db.selectFrom('pack_configs').select(['schema', 'values', 'sealed']).where('pack', '=', config.pack).forUpdate().executeTakeFirst();
    let stored: Omit<PackConfigRecord, 'pack'> | undefined;
    try {
      stored = existing ? this.open(config.pack, existing) : undefined;
    } catch {
      // Sealed with another key: it is written again with this one.
    }
    const changed = !stored || !isDeepStrictEqual(stored.schema, config.schema) || !isDeepStrictEqual(stored.values, config.values);
    const inClear = existing?.sealed === null;
    if (!changed && !(inClear && this.cipher)) return false;
    const row = this.sealed(config);
    await this.db
      .insertInto('pack_configs')
      .values({ pack: config.pack, ...row })
      .onConflict((oc) => oc.column('pack').doUpdateSet({ ...row, updated_at: sql`now()` }))
      .execute();
    return changed;
  }

  /** Returns whether there was one. */
  async delete(pack: string): Promise<boolean> {
    const { numDeletedRows } = await this.db.deleteFrom('pack_configs').where('pack', '=', pack).executeTakeFirst();
    return Number(numDeletedRows) === 1;
  }

  private sealed(config: PackConfigRecord): { schema: string | null; values: string | null; sealed: Buffer | null } {
    if (this.cipher) return { schema: null, values: null, sealed: this.cipher.seal(JSON.stringify({ schema: config.schema, values: config.values }), binding(config.pack)) };
    const schema = config.schema as ParameterSpecs;
    if (hidesSomething(config.values, maskConfig(schema, config.values)) || hidesSomething(config.schema, maskConfigSchema(schema))) throw new Error(`pack ${config.pack}: its config holds secrets, which need the datastore key: set TEMPEST_DATASTORE_KEY or TEMPEST_DATASTORE_KEY_FILE`);
    return { schema: JSON.stringify(config.schema), values: JSON.stringify(config.values), sealed: null };
  }

  private open(pack: string, row: PackConfigRow): Omit<PackConfigRecord, 'pack'> {
    if (!row.sealed) return { schema: row.schema ?? {}, values: row.values ?? {} };
    if (!this.cipher) throw new Error(`pack ${pack}: its config is sealed with the datastore key: set TEMPEST_DATASTORE_KEY or TEMPEST_DATASTORE_KEY_FILE`);
    return JSON.parse(this.cipher.open(row.sealed, binding(pack), `the config of pack ${pack}`)) as Omit<PackConfigRecord, 'pack'>;
  }
}
