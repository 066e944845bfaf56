import type { Database } from '../database';
import type { Policy } from '../schema';
import { replacePackContent, type PackContent, type ReplaceOutcome } from './pack-content';

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

/** Rewritten when any of what it says changes, `enabled` included: the file is the policy's only source. */
const policyContent: PackContent<'policies', PolicyRecord> = {
  table: 'policies',
  toRow: (policy) => ({
    ref: policy.ref,
    pack: policy.pack,
    name: policy.name,
    description: policy.description,
    enabled: policy.enabled,
    resource_ref: policy.resourceRef,
    policy_type: policy.policyType,
    parameters: JSON.stringify(policy.parameters),
    metadata_file: policy.metadataFile,
  }),
  changedWhen: ['description', 'enabled', 'resource_ref', 'policy_type', 'parameters', 'metadata_file'],
};

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
  replaceForPack(pack: string, policies: PolicyRecord[]): Promise<ReplaceOutcome> {
    return replacePackContent(this.db, policyContent, pack, policies);
  }
}
