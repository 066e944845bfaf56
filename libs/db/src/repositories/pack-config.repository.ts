import { sql } from 'kysely';
import type { Database } from '../database';
import type { PackConfig } from '../schema';

export interface PackConfigRecord {
  pack: string;
  /** config.schema.yaml: key → JSON schema with StackStorm's `required` and `secret`. */
  schema: Record<string, unknown>;
  /** Validated values with the schema's defaults applied; secrets in clear. */
  values: Record<string, unknown>;
}

/** Packs' configs. Secret values are in clear here: whatever shows them to people masks them first. */
export class PackConfigRepository {
  constructor(private readonly db: Database) {}

  getByPack(pack: string): Promise<PackConfig | undefined> {
    return this.db.selectFrom('pack_configs').selectAll().where('pack', '=', pack).executeTakeFirst();
  }

  /** Writes the config only if it changed; returns whether it did. */
  async upsert(config: PackConfigRecord): Promise<boolean> {
    const row = await this.db
      .insertInto('pack_configs')
      .values({ pack: config.pack, schema: JSON.stringify(config.schema), values: JSON.stringify(config.values) })
      .onConflict((oc) =>
        oc
          .column('pack')
          .doUpdateSet((eb) => ({ schema: eb.ref('excluded.schema'), values: eb.ref('excluded.values'), updated_at: sql`now()` }))
          .where(sql<boolean>`(pack_configs.schema, pack_configs.values) is distinct from (excluded.schema, excluded.values)`),
      )
      .returning('pack')
      .executeTakeFirst();
    return row !== undefined;
  }

  /** Returns whether there was one. */
  async delete(pack: string): Promise<boolean> {
    const { numDeletedRows } = await this.db.deleteFrom('pack_configs').where('pack', '=', pack).executeTakeFirst();
    return Number(numDeletedRows) === 1;
  }
}
