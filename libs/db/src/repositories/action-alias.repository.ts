import { sql } from 'kysely';
import type { Database } from '../database';
import type { ActionAlias } from '../schema';
import type { ReplaceOutcome } from './action.repository';
import type { UpsertOutcome } from './pack.repository';

export interface ActionAliasRecord {
  ref: string;
  pack: string;
  name: string;
  description: string;
  enabled: boolean;
  actionRef: string;
  formats: unknown[];
  metadataFile: string;
  metadata: Record<string, unknown>;
}

/** Packs' action aliases (StackStorm's ChatOps words for an action), as registered. */
export class ActionAliasRepository {
  constructor(private readonly db: Database) {}

  search(filter: { pack?: string; limit?: number; offset?: number } = {}): Promise<ActionAlias[]> {
    let query = this.db.selectFrom('action_aliases').selectAll();
    if (filter.pack) query = query.where('pack', '=', filter.pack);
    return query.orderBy('ref').limit(filter.limit ?? 100).offset(filter.offset ?? 0).execute();
  }

  getByRef(ref: string): Promise<ActionAlias | undefined> {
    return this.db.selectFrom('action_aliases').selectAll().where('ref', '=', ref).executeTakeFirst();
  }

  /** Makes the pack's aliases exactly `aliases`; run it in the pack's registration transaction. */
  async replaceForPack(pack: string, aliases: ActionAliasRecord[]): Promise<ReplaceOutcome> {
    const outcome: ReplaceOutcome = { created: [], updated: [], unchanged: [], removed: [] };
    for (const alias of aliases) outcome[await this.upsert(alias)].push(alias.ref);
    let removal = this.db.deleteFrom('action_aliases').where('pack', '=', pack);
    if (aliases.length > 0) removal = removal.where('ref', 'not in', aliases.map((a) => a.ref));
    outcome.removed = (await removal.returning('ref').execute()).map((r) => r.ref);
    return outcome;
  }

  private async upsert(alias: ActionAliasRecord): Promise<UpsertOutcome> {
    const row = await this.db
      .insertInto('action_aliases')
      .values({
        ref: alias.ref,
        pack: alias.pack,
        name: alias.name,
        description: alias.description,
        enabled: alias.enabled,
        action_ref: alias.actionRef,
        formats: JSON.stringify(alias.formats),
        metadata_file: alias.metadataFile,
        metadata: JSON.stringify(alias.metadata),
      })
      .onConflict((oc) =>
        oc
          .column('ref')
          .doUpdateSet((eb) => ({
            pack: eb.ref('excluded.pack'),
            name: eb.ref('excluded.name'),
            description: eb.ref('excluded.description'),
            enabled: eb.ref('excluded.enabled'),
            action_ref: eb.ref('excluded.action_ref'),
            formats: eb.ref('excluded.formats'),
            metadata_file: eb.ref('excluded.metadata_file'),
            metadata: eb.ref('excluded.metadata'),
            updated_at: sql`now()`,
          }))
          .where(sql<boolean>`(action_aliases.metadata, action_aliases.metadata_file) is distinct from (excluded.metadata, excluded.metadata_file)`),
      )
      .returning(sql<boolean>`xmax = 0`.as('inserted'))
      .executeTakeFirst();
    if (!row) return 'unchanged';
    return row.inserted ? 'created' : 'updated';
  }
}
