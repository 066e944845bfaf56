import type { Database } from '../database';
import type { TriggerTypeRow } from '../schema';
import { replacePackContent, type PackContent, type ReplaceOutcome } from './pack-content';

export interface TriggerTypeRecord {
  ref: string;
  pack: string;
  name: string;
  description: string;
  parametersSchema: Record<string, unknown>;
  payloadSchema: Record<string, unknown>;
  metadataFile: string;
}

const triggerTypeContent: PackContent<'trigger_types', TriggerTypeRecord> = {
  table: 'trigger_types',
  toRow: (type) => ({
    ref: type.ref,
    pack: type.pack,
    name: type.name,
    description: type.description,
    parameters_schema: JSON.stringify(type.parametersSchema),
    payload_schema: JSON.stringify(type.payloadSchema),
    metadata_file: type.metadataFile,
  }),
  changedWhen: ['description', 'parameters_schema', 'payload_schema', 'metadata_file'],
};

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
  replaceForPack(pack: string, types: TriggerTypeRecord[]): Promise<ReplaceOutcome> {
    return replacePackContent(this.db, triggerTypeContent, pack, types);
  }
}
