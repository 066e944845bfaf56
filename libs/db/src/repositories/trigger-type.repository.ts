import { sql } from 'kysely';
import type { Database } from '../database';
import type { TriggerTypeRow } from '../schema';
import type { ReplaceOutcome } from './action.repository';
import type { UpsertOutcome } from './pack.repository';

export interface TriggerTypeRecord {
  ref: string;
  pack: string;
  name: string;
  description: string;
  parametersSchema: Record<string, unknown>;
  payloadSchema: Record<string, unknown>;
  metadataFile: string;
}

/** Trigger types defined by packs (triggers/*.yaml). */
export class TriggerTypeRepository {
  constructor(private readonly db: Database) {}

  search(filter: { pack?: string } = {}): Promise<TriggerTypeRow[]> {
    let query = this.db.selectFrom('trigger_types').selectAll();
    if (filter.pack) query = query.where('pack', '=', filter.pack);
    return query.orderBy('ref').execute();
  }

  getByRef(ref: string): Promise<TriggerTypeRow | undefined> {
    return this.db.selectFrom('trigger_types').selectAll().where('ref', '=', ref).executeTakeFirst();
  }

  /** Makes the pack's trigger types exactly `types`; run it in the pack's registration transaction. */
  async replaceForPack(pack: string, types: TriggerTypeRecord[]): Promise<ReplaceOutcome> {
    const outcome: ReplaceOutcome = { created: [], updated: [], unchanged: [], removed: [] };
    for (const type of types) outcome[await this.upsert(type)].push(type.ref);
    let removal = this.db.deleteFrom('trigger_types').where('pack', '=', pack);
    if (types.length > 0) removal = removal.where('ref', 'not in', types.map((t) => t.ref));
    outcome.removed = (await removal.returning('ref').execute()).map((r) => r.ref);
    return outcome;
  }

  private async upsert(type: TriggerTypeRecord): Promise<UpsertOutcome> {
    const row = await this.db
      .insertInto('trigger_types')
      .values({
        ref: type.ref,
        pack: type.pack,
        name: type.name,
        description: type.description,
        parameters_schema: JSON.stringify(type.parametersSchema),
        payload_schema: JSON.stringify(type.payloadSchema),
        metadata_file: type.metadataFile,
      })
      .onConflict((oc) =>
        oc
          .column('ref')
          .doUpdateSet((eb) => ({
            pack: eb.ref('excluded.pack'),
            name: eb.ref('excluded.name'),
            description: eb.ref('excluded.description'),
            parameters_schema: eb.ref('excluded.parameters_schema'),
            payload_schema: eb.ref('excluded.payload_schema'),
            metadata_file: eb.ref('excluded.metadata_file'),
            updated_at: sql`now()`,
          }))
          .where(
            sql<boolean>`(trigger_types.description, trigger_types.parameters_schema, trigger_types.payload_schema, trigger_types.metadata_file)
              is distinct from (excluded.description, excluded.parameters_schema, excluded.payload_schema, excluded.metadata_file)`,
          ),
      )
      .returning(sql<boolean>`xmax = 0`.as('inserted'))
      .executeTakeFirst();
    if (!row) return 'unchanged';
    return row.inserted ? 'created' : 'updated';
  }
}
