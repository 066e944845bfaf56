import { sql } from 'kysely';
import type { ConcurrencyPolicy, RetryPolicy } from '@tempest/domain';
import type { Database } from '../database';
import type { Action } from '../schema';
import type { UpsertOutcome } from './pack.repository';

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

export interface ReplaceOutcome {
  created: string[];
  updated: string[];
  unchanged: string[];
  removed: string[];
}

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
  async replaceForPack(pack: string, actions: ActionRecord[]): Promise<ReplaceOutcome> {
    const outcome: ReplaceOutcome = { created: [], updated: [], unchanged: [], removed: [] };
    for (const action of actions) outcome[await this.upsert(action)].push(action.ref);
    let removal = this.db.deleteFrom('actions').where('pack', '=', pack);
    if (actions.length > 0) removal = removal.where('ref', 'not in', actions.map((a) => a.ref));
    outcome.removed = (await removal.returning('ref').execute()).map((r) => r.ref);
    return outcome;
  }

  private async upsert(action: ActionRecord): Promise<UpsertOutcome> {
    const row = await this.db
      .insertInto('actions')
      .values({
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
      })
      .onConflict((oc) =>
        oc
          .column('ref')
          .doUpdateSet((eb) => ({
            pack: eb.ref('excluded.pack'),
            name: eb.ref('excluded.name'),
            description: eb.ref('excluded.description'),
            runner_type: eb.ref('excluded.runner_type'),
            entry_point: eb.ref('excluded.entry_point'),
            enabled: eb.ref('excluded.enabled'),
            parameters: eb.ref('excluded.parameters'),
            output_schema: eb.ref('excluded.output_schema'),
            tags: eb.ref('excluded.tags'),
            metadata_file: eb.ref('excluded.metadata_file'),
            metadata: eb.ref('excluded.metadata'),
            retry: eb.ref('excluded.retry'),
            concurrency: eb.ref('excluded.concurrency'),
            updated_at: sql`now()`,
          }))
          .where(sql<boolean>`(actions.metadata, actions.metadata_file, actions.retry, actions.concurrency) is distinct from (excluded.metadata, excluded.metadata_file, excluded.retry, excluded.concurrency)`),
      )
      .returning(sql<boolean>`xmax = 0`.as('inserted'))
      .executeTakeFirst();
    if (!row) return 'unchanged';
    return row.inserted ? 'created' : 'updated';
  }
}
