import { sql } from 'kysely';
import type { Database } from '../database';
import type { Policy } from '../schema';
import type { ReplaceOutcome } from './action.repository';
import type { UpsertOutcome } from './pack.repository';

export interface PolicyRecord {
  ref: string;
  pack: string;
  name: string;
  description: string;
  enabled: boolean;
  resourceRef: string;
  policyType: string;
  parameters: Record<string, unknown>;
  metadataFile: string;
}

export interface PolicyFilter {
  pack?: string;
  resourceRef?: string;
  policyType?: string;
}

/** Packs' policies as registered (StackStorm's /policies); a pack holds a handful, so listings read them whole. */
export class PolicyRepository {
  constructor(private readonly db: Database) {}

  search(filter: PolicyFilter = {}): Promise<Policy[]> {
    let query = this.db.selectFrom('policies').selectAll();
    if (filter.pack) query = query.where('pack', '=', filter.pack);
    if (filter.resourceRef) query = query.where('resource_ref', '=', filter.resourceRef);
    if (filter.policyType) query = query.where('policy_type', '=', filter.policyType);
    return query.orderBy('ref').execute();
  }

  getByRef(ref: string): Promise<Policy | undefined> {
    return this.db.selectFrom('policies').selectAll().where('ref', '=', ref).executeTakeFirst();
  }

  /** Makes the pack's policies exactly `policies`; run it in the pack's registration transaction. */
  async replaceForPack(pack: string, policies: PolicyRecord[]): Promise<ReplaceOutcome> {
    const outcome: ReplaceOutcome = { created: [], updated: [], unchanged: [], removed: [] };
    for (const policy of policies) outcome[await this.upsert(policy)].push(policy.ref);
    let removal = this.db.deleteFrom('policies').where('pack', '=', pack);
    if (policies.length > 0) removal = removal.where('ref', 'not in', policies.map((p) => p.ref));
    outcome.removed = (await removal.returning('ref').execute()).map((r) => r.ref);
    return outcome;
  }

  private async upsert(policy: PolicyRecord): Promise<UpsertOutcome> {
    const row = await this.db
      .insertInto('policies')
      .values({
        ref: policy.ref,
        pack: policy.pack,
        name: policy.name,
        description: policy.description,
        enabled: policy.enabled,
        resource_ref: policy.resourceRef,
        policy_type: policy.policyType,
        parameters: JSON.stringify(policy.parameters),
        metadata_file: policy.metadataFile,
      })
      .onConflict((oc) =>
        oc
          .column('ref')
          .doUpdateSet((eb) => ({
            pack: eb.ref('excluded.pack'),
            name: eb.ref('excluded.name'),
            description: eb.ref('excluded.description'),
            enabled: eb.ref('excluded.enabled'),
            resource_ref: eb.ref('excluded.resource_ref'),
            policy_type: eb.ref('excluded.policy_type'),
            parameters: eb.ref('excluded.parameters'),
            metadata_file: eb.ref('excluded.metadata_file'),
            updated_at: sql`now()`,
          }))
          .where(
            sql<boolean>`(policies.description, policies.enabled, policies.resource_ref, policies.policy_type, policies.parameters, policies.metadata_file) is distinct from (excluded.description, excluded.enabled, excluded.resource_ref, excluded.policy_type, excluded.parameters, excluded.metadata_file)`,
          ),
      )
      .returning(sql<boolean>`xmax = 0`.as('inserted'))
      .executeTakeFirst();
    if (!row) return 'unchanged';
    return row.inserted ? 'created' : 'updated';
  }
}
