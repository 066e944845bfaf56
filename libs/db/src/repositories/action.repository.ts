import { sql } from 'kysely';
import type { ConcurrencyPolicy, RetryPolicy } from '@tempest/domain';
import type { Database } from '../database';
import type { Action } from '../schema';
import { replacePackContent, type PackContent, type ReplaceOutcome } from './pack-content';

export interface ActionRecord {
  ref: string;
  pack: string;
  name: string;
  description: string;
  runnerType: string;
  entryPoint?: string;
  enabled: boolean;
  parameters: Record<string, unknown>;
  outputSchema?: Record<string, unknown>;
  tags: { name: string; value?: string }[];
  metadataFile: string;
  metadata: Record<string, unknown>;
  retry?: RetryPolicy;
  /** Its action.concurrency and action.concurrency.attr policies, in the order the pack lists them. */
  concurrency?: ConcurrencyPolicy[];
}

/** Rewritten when its metadata or policies change; till then `enabled` set through the API stays. */
const actionContent: PackContent<'actions', ActionRecord> = {
  table: 'actions',
  toRow: (action) => ({
    ref: action.ref,
    pack: action.pack,
    name: action.name,
    description: action.description,
    runner_type: action.runnerType,
    entry_point: action.entryPoint ?? null,
    enabled: action.enabled,
    parameters: JSON.stringify(action.parameters),
    output_schema: action.outputSchema ? JSON.stringify(action.outputSchema) : null,
    tags: JSON.stringify(action.tags),
    metadata_file: action.metadataFile,
    metadata: JSON.stringify(action.metadata),
    retry: action.retry ? JSON.stringify(action.retry) : null,
    concurrency: action.concurrency?.length ? JSON.stringify(action.concurrency) : null,
  }),
  changedWhen: ['metadata', 'metadata_file', 'retry', 'concurrency'],
};

export class ActionRepository {
  constructor(private readonly db: Database) {}

  search(filter: { pack?: string } = {}): Promise<Action[]> {
    let query = this.db.selectFrom('actions').selectAll();
    if (filter.pack) query = query.where('pack', '=', filter.pack);
    return query.orderBy('ref').execute();
  }

  getByRef(ref: string): Promise<Action | undefined> {
    return this.db.selectFrom('actions').selectAll().where('ref', '=', ref).executeTakeFirst();
  }

  async setEnabled(ref: string, enabled: boolean): Promise<Action | undefined> {
    return this.db.updateTable('actions').set({ enabled, updated_at: sql`now()` }).where('ref', '=', ref).returningAll().executeTakeFirst();
  }

  /**
   * Makes the pack's actions exactly `actions`: writes those that changed and
   * removes those no longer defined. Run it in the transaction that registers
   * the pack, so a pack is never half-registered.
   */
  replaceForPack(pack: string, actions: ActionRecord[]): Promise<ReplaceOutcome> {
    return replacePackContent(this.db, actionContent, pack, actions);
  }
}
