import { sql } from 'kysely';
import type { Database } from '../database';
import type { Execution, RuleEnforcement, TriggerInstance } from '../schema';
import { RuleEnforcementRepository } from './rule-enforcement.repository';
import { TriggerInstanceRepository } from './trigger-instance.repository';

export interface TraceSummary {
  trace_tag: string;
  start_timestamp: Date;
  trigger_instances: number;
}

/** Reads across trigger instances, enforcements and executions, grouped by trace tag. */
export class TraceRepository {
  constructor(private readonly db: Database) {}

  /** Newest first, by the first trigger instance of each trace. */
  async search(filter: { limit: number; offset: number }): Promise<TraceSummary[]> {
    const rows = await this.db
      .selectFrom('trigger_instances')
      .select(['trace_tag', sql<Date>`min(occurrence_time)`.as('start_timestamp'), sql<string>`count(*)`.as('trigger_instances')])
      .groupBy('trace_tag')
      .orderBy(sql`min(occurrence_time)`, 'desc')
      .orderBy('trace_tag', 'desc')
      .limit(filter.limit)
      .offset(filter.offset)
      .execute();
    return rows.map((r) => ({ ...r, trigger_instances: Number(r.trigger_instances) }));
  }

  /**
   * One trace: its trigger instances (oldest first, at most `maxInstances`),
   * their rule enforcements, and the executions those started, at any depth.
   * Read in one snapshot, so that the parts agree while the trace is still
   * growing (an execution shown finished has its actiontrigger shown too).
   */
  getTrace(tag: string, maxInstances: number): Promise<{ instances: TriggerInstance[]; enforcements: RuleEnforcement[]; executions: Execution[] }> {
    return this.db
      .transaction()
      .setIsolationLevel('repeatable read')
      .execute(async (trx) => {
        const instances = (await new TriggerInstanceRepository(trx).search({ traceTag: tag, limit: maxInstances, offset: 0 })).reverse();
        const enforcements = await new RuleEnforcementRepository(trx).getForTriggerInstances(instances.map((i) => i.id));
        const started = enforcements.map((e) => e.execution_id).filter((id): id is string => id !== null);
        return { instances, enforcements, executions: await new TraceRepository(trx).executionTree(started) };
      });
  }

  /** The executions `ids`, and every execution they started, at any depth (through parent_id). */
  async executionTree(ids: string[]): Promise<Execution[]> {
    if (ids.length === 0) return [];
    return this.db
      .withRecursive('tree(id)', (qb) =>
        qb
          .selectFrom('executions')
          .select('id')
          .where('id', 'in', ids)
          .union((u) => u.selectFrom('executions').innerJoin('tree', 'tree.id', 'executions.parent_id').select('executions.id')),
      )
      .selectFrom('executions')
      .selectAll('executions')
      .where('executions.id', 'in', (qb) => qb.selectFrom('tree').select('tree.id'))
      .orderBy('executions.created_at')
      .orderBy('executions.id')
      .execute();
  }
}
