import { sql } from 'kysely';
import type { Database } from '../database';
import type { Rule } from '../schema';
import type { ReplaceOutcome } from './action.repository';
import type { UpsertOutcome } from './pack.repository';

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
    return this.db.insertInto('rules').values(this.values(rule)).onConflict((oc) => oc.column('ref').doNothing()).returningAll().executeTakeFirst();
  }

  /** Replaces the rule's definition (its origin and author stay). */
  update(ref: string, rule: Omit<RuleRecord, 'metadataFile' | 'createdBy'>): Promise<Rule | undefined> {
    const { metadata_file: _file, created_by: _by, ...values } = this.values({ ...rule, createdBy: '' });
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
  async replaceForPack(pack: string, rules: RuleRecord[]): Promise<ReplaceOutcome> {
    const outcome: ReplaceOutcome = { created: [], updated: [], unchanged: [], removed: [] };
    for (const rule of rules) outcome[await this.upsert(rule)].push(rule.ref);
    let removal = this.db.deleteFrom('rules').where('pack', '=', pack).where('metadata_file', 'is not', null);
    if (rules.length > 0) removal = removal.where('ref', 'not in', rules.map((r) => r.ref));
    outcome.removed = (await removal.returning('ref').execute()).map((r) => r.ref);
    return outcome;
  }

  private async upsert(rule: RuleRecord): Promise<UpsertOutcome> {
    const row = await this.db
      .insertInto('rules')
      .values(this.values(rule))
      .onConflict((oc) =>
        oc
          .column('ref')
          .doUpdateSet((eb) => ({
            pack: eb.ref('excluded.pack'),
            name: eb.ref('excluded.name'),
            description: eb.ref('excluded.description'),
            enabled: eb.ref('excluded.enabled'),
            type: eb.ref('excluded.type'),
            trigger_type: eb.ref('excluded.trigger_type'),
            trigger_parameters: eb.ref('excluded.trigger_parameters'),
            criteria: eb.ref('excluded.criteria'),
            action_ref: eb.ref('excluded.action_ref'),
            action_parameters: eb.ref('excluded.action_parameters'),
            context: eb.ref('excluded.context'),
            metadata_file: eb.ref('excluded.metadata_file'),
            updated_at: sql`now()`,
          }))
          .where(
            sql<boolean>`(rules.description, rules.enabled, rules.type, rules.trigger_type, rules.trigger_parameters, rules.criteria::text, rules.action_ref, rules.action_parameters, rules.context, rules.metadata_file)
              is distinct from (excluded.description, excluded.enabled, excluded.type, excluded.trigger_type, excluded.trigger_parameters, excluded.criteria::text, excluded.action_ref, excluded.action_parameters, excluded.context, excluded.metadata_file)`,
          ),
      )
      .returning(sql<boolean>`xmax = 0`.as('inserted'))
      .executeTakeFirst();
    if (!row) return 'unchanged';
    return row.inserted ? 'created' : 'updated';
  }

  private values(rule: RuleRecord) {
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
}
