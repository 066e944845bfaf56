import type { Database } from '../database';
import type { ActionAlias } from '../schema';
import { replacePackContent, type PackContent, type ReplaceOutcome } from './pack-content';

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

/** Rewritten when its file changes; till then `enabled` set through the API stays. */
const aliasContent: PackContent<'action_aliases', ActionAliasRecord> = {
  table: 'action_aliases',
  toRow: (alias) => ({
    ref: alias.ref,
    pack: alias.pack,
    name: alias.name,
    description: alias.description,
    enabled: alias.enabled,
    action_ref: alias.actionRef,
    formats: JSON.stringify(alias.formats),
    metadata_file: alias.metadataFile,
    metadata: JSON.stringify(alias.metadata),
  }),
  changedWhen: ['metadata', 'metadata_file'],
};

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
  replaceForPack(pack: string, aliases: ActionAliasRecord[]): Promise<ReplaceOutcome> {
    return replacePackContent(this.db, aliasContent, pack, aliases);
  }
}
