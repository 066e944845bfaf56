import { randomUUID } from 'node:crypto';
import type { OrderByDirection } from 'kysely';
import type { Database } from '../database';
import type { RuleEnforcement } from '../schema';

export interface NewRuleEnforcement {
  triggerInstanceId: string;
  ruleRef: string;
  executionId?: string;
  failureReason?: string;
}

export interface RuleEnforcementFilter {
  rule?: string;
  triggerInstance?: string;
  execution?: string;
  /** Enforced strictly after / before. */
  after?: Date;
  before?: Date;
  /** 'asc': the oldest first; newest first by default. */
  order?: OrderByDirection;
  limit: number;
  offset: number;
}

export class RuleEnforcementRepository {
  constructor(private readonly db: Database) {}

  /** One enforcement per trigger instance and rule: processing the instance again updates it. */
  record(enforcement: NewRuleEnforcement): Promise<RuleEnforcement> {
    const outcome = {
      execution_id: enforcement.executionId ?? null,
      status: enforcement.failureReason === undefined ? ('succeeded' as const) : ('failed' as const),
      failure_reason: enforcement.failureReason ?? null,
    };
    return this.db
      .insertInto('rule_enforcements')
      .values({ id: randomUUID(), trigger_instance_id: enforcement.triggerInstanceId, rule_ref: enforcement.ruleRef, ...outcome })
      .onConflict((oc) => oc.columns(['trigger_instance_id', 'rule_ref']).doUpdateSet(outcome))
      .returningAll()
      .executeTakeFirstOrThrow();
  }

  /** Newest first (oldest with order 'asc'). */
  search(filter: RuleEnforcementFilter): Promise<RuleEnforcement[]> {
    let query = this.db.selectFrom('rule_enforcements').selectAll();
    if (filter.rule) query = query.where('rule_ref', '=', filter.rule);
    if (filter.triggerInstance) query = query.where('trigger_instance_id', '=', filter.triggerInstance);
    if (filter.execution) query = query.where('execution_id', '=', filter.execution);
    if (filter.after) query = query.where('enforced_at', '>', filter.after);
    if (filter.before) query = query.where('enforced_at', '<', filter.before);
    return query.orderBy('enforced_at', filter.order ?? 'desc').orderBy('id', filter.order ?? 'desc').limit(filter.limit).offset(filter.offset).execute();
  }

  getById(id: string): Promise<RuleEnforcement | undefined> {
    return this.db.selectFrom('rule_enforcements').selectAll().where('id', '=', id).executeTakeFirst();
  }

  getForTriggerInstances(ids: string[]): Promise<RuleEnforcement[]> {
    if (ids.length === 0) return Promise.resolve([]);
    return this.db.selectFrom('rule_enforcements').selectAll().where('trigger_instance_id', 'in', ids).orderBy('enforced_at').orderBy('rule_ref').execute();
  }
}
