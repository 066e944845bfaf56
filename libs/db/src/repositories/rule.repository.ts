import { sql } from 'kysely';
import type { Database } from '../database';
import type { Rule } from '../schema';
import { replacePackContent, type PackContent, type ReplaceOutcome } from './pack-content';

export interface RuleRecord {
  ref: string;
  pack: string;
  name: string;
  description: string;
  enabled: boolean;
  type: 'standard' | 'backstop';
  trigger: { type: string; parameters: Record<string, unknown> };
  criteria: Record<string, unknown>;
  action: { ref: string; parameters: Record<string, unknown> };
  context: Record<string, unknown>;
  /** The pack file it came from; absent for rules made through the API. */
  metadataFile?: string;
  createdBy: string;
}

export interface RuleFilter {
  pack?: string;
  trigger?: string;
  action?: string;
  enabled?: boolean;
  /** A page of the result, in ref order; without them, every rule (the rules engine loads them all). */
  limit?: number;
  offset?: number;
}

function ruleRow(rule: RuleRecord) {
  return {
    ref: rule.ref,
    pack: rule.pack,
    name: rule.name,
    description: rule.description,
    enabled: rule.enabled,
    type: rule.type,
    trigger_type: rule.trigger.type,
    trigger_parameters: JSON.stringify(rule.trigger.parameters),
    criteria: JSON.stringify(rule.criteria),
    action_ref: rule.action.ref,
    action_parameters: JSON.stringify(rule.action.parameters),
    context: JSON.stringify(rule.context),
    metadata_file: rule.metadataFile ?? null,
    created_by: rule.createdBy,
  };
}

/**
 * A pack's file-defined rules: rewritten when any of what the file says
 * changes (criteria are `json`, kept in the order written, so compared as
 * text); the author stays, and rules made through the API are never removed.
 */
const ruleContent: PackContent<'rules', RuleRecord> = {
  table: 'rules',
  toRow: ruleRow,
  changedWhen: ['description', 'enabled', 'type', 'trigger_type', 'trigger_parameters', 'criteria::text', 'action_ref', 'action_parameters', 'context', 'metadata_file'],
  keptOnUpdate: ['created_by'],
  keepsRowsWithoutFile: true,
};

/**
 * Rules. Every change notifies channel `tempest_rules` with the rule's ref,
 * in the change's own transaction (a database trigger does it), so every
 * replica's rules engine follows.
 */
export class RuleRepository {
  constructor(private readonly db: Database) {}

  search(filter: RuleFilter = {}): Promise<Rule[]> {
    let query = this.db.selectFrom('rules').selectAll();
    if (filter.pack) query = query.where('pack', '=', filter.pack);
    if (filter.trigger) query = query.where('trigger_type', '=', filter.trigger);
    if (filter.action) query = query.where('action_ref', '=', filter.action);
    if (filter.enabled !== undefined) query = query.where('enabled', '=', filter.enabled);
    query = query.orderBy('ref');
    if (filter.limit !== undefined) query = query.limit(filter.limit);
    if (filter.offset !== undefined) query = query.offset(filter.offset);
    return query.execute();
  }

  getByRef(ref: string): Promise<Rule | undefined> {
    return this.db.selectFrom('rules').selectAll().where('ref', '=', ref).executeTakeFirst();
  }

  /** Inserts a new rule; undefined when one with that ref exists. */
  create(rule: RuleRecord): Promise<Rule | undefined> {
    return this.db.insertInto('rules').values(ruleRow(rule)).onConflict((oc) => oc.column('ref').doNothing()).returningAll().executeTakeFirst();
  }

  /** Replaces the rule's definition (its origin and author stay). */
  update(ref: string, rule: Omit<RuleRecord, 'metadataFile' | 'createdBy'>): Promise<Rule | undefined> {
    const { metadata_file: _file, created_by: _by, ...values } = ruleRow({ ...rule, createdBy: '' });
    return this.db.updateTable('rules').set({ ...values, updated_at: sql`now()` }).where('ref', '=', ref).returningAll().executeTakeFirst();
  }

  setEnabled(ref: string, enabled: boolean): Promise<Rule | undefined> {
    return this.db.updateTable('rules').set({ enabled, updated_at: sql`now()` }).where('ref', '=', ref).returningAll().executeTakeFirst();
  }

  async delete(ref: string): Promise<boolean> {
    const { numDeletedRows } = await this.db.deleteFrom('rules').where('ref', '=', ref).executeTakeFirst();
    return Number(numDeletedRows) === 1;
  }

  /**
   * Makes the pack's file-defined rules exactly `rules`: writes those that
   * changed and removes those whose file is gone. Rules made through the API
   * are left alone. Run it in the pack's registration transaction.
   */
  replaceForPack(pack: string, rules: RuleRecord[]): Promise<ReplaceOutcome> {
    return replacePackContent(this.db, ruleContent, pack, rules);
  }
}
