import { sql, type OrderByDirection } from 'kysely';
import type { Database } from '../database';
import type { Execution, RuleEnforcement, TriggerInstance } from '../schema';
import { RuleEnforcementRepository } from './rule-enforcement.repository';

export interface TraceSummary {
  trace_tag: string;
  start_timestamp: Date;
  trigger_instances: number;
}

/** Which traces to list: StackStorm's filters, each naming something the trace holds. */
export interface TraceFilter {
  traceTag?: string;
  /** An execution in it (a workflow's task is in its workflow's trace). */
  execution?: string;
  /** A rule (ref) enforced in it. */
  rule?: string;
  triggerInstance?: string;
  /** 'asc': the oldest first; newest first by default. */
  order?: OrderByDirection;
  limit: number;
  offset: number;
}

/** What one trace holds. */
export interface TraceContents {
  instances: TriggerInstance[];
  enforcements: RuleEnforcement[];
  executions: Execution[];
}

/** Reads across trigger instances, enforcements and executions, grouped by trace tag. */
export class TraceRepository {
  constructor(private readonly db: Database) {}

  /** Newest first (oldest with order 'asc'), by the first trigger instance of each trace. */
  async search(filter: TraceFilter): Promise<TraceSummary[]> {
    let query = this.db
      .selectFrom('trigger_instances')
      .select(['trace_tag', sql<Date>`min(occurrence_time)`.as('start_timestamp'), sql<string>`count(*)`.as('trigger_instances')]);
    if (filter.traceTag !== undefined) query = query.where('trace_tag', '=', filter.traceTag);
    if (filter.triggerInstance !== undefined) query = query.where('trace_tag', 'in', (qb) => qb.selectFrom('trigger_instances').select('trace_tag').where('id', '=', filter.triggerInstance!));
    if (filter.rule !== undefined) {
      query = query.where('trace_tag', 'in', (qb) =>
        qb.selectFrom('rule_enforcements').innerJoin('trigger_instances as enforced', 'enforced.id', 'rule_enforcements.trigger_instance_id').select('enforced.trace_tag').where('rule_enforcements.rule_ref', '=', filter.rule!),
      );
    }
    if (filter.execution !== undefined) {
      // An execution's trace is the one its actiontrigger goes to: its context's trace_tag (a rule's, its workflow's), else its own id.
      query = query.where('trace_tag', 'in', (qb) => qb.selectFrom('executions').select(sql<string>`coalesce(context->>'trace_tag', id)`.as('tag')).where('id', '=', filter.execution!));
    }
    const rows = await query
      .groupBy('trace_tag')
      .orderBy(sql`min(occurrence_time)`, filter.order ?? 'desc')
      .orderBy('trace_tag', filter.order ?? 'desc')
      .limit(filter.limit)
      .offset(filter.offset)
      .execute();
    return rows.map((r) => ({ ...r, trigger_instances: Number(r.trigger_instances) }));
  }

  /** One trace (see getTraces); its trigger instances empty when there is none by this tag. */
  async getTrace(tag: string, maxInstances: number): Promise<TraceContents> {
    return (await this.getTraces([tag], maxInstances)).get(tag) ?? { instances: [], enforcements: [], executions: [] };
  }

  /**
   * Traces by tag: each one's trigger instances (oldest first, its newest
   * `maxInstances`), their rule enforcements, and the executions those started
   * at any depth, with the execution a trace is named after (one run from the
   * API) and its descendants. Read in one snapshot, so that the parts agree while
   * a trace is still growing (an execution shown finished has its actiontrigger
   * shown too).
   */
  getTraces(tags: string[], maxInstances: number): Promise<Map<string, TraceContents>> {
    const traces = new Map<string, TraceContents>(tags.map((tag) => [tag, { instances: [], enforcements: [], executions: [] }]));
    if (tags.length === 0) return Promise.resolve(traces);
    return this.db
      .transaction()
      .setIsolationLevel('repeatable read')
      .execute(async (trx) => {
        const ranked = trx
          .selectFrom('trigger_instances')
          .selectAll()
          .select(sql<string>`row_number() over (partition by trace_tag order by occurrence_time desc, id desc)`.as('newest'))
          .where('trace_tag', 'in', tags);
        const instances = await trx.selectFrom(ranked.as('ranked')).selectAll().where('newest', '<=', String(maxInstances)).orderBy('occurrence_time').orderBy('id').execute();
        const tagOfInstance = new Map<string, string>();
        for (const { newest: _, ...instance } of instances) {
          traces.get(instance.trace_tag)?.instances.push(instance);
          tagOfInstance.set(instance.id, instance.trace_tag);
        }
        const enforcements = await new RuleEnforcementRepository(trx).getForTriggerInstances([...tagOfInstance.keys()]);
        const tagOfExecution = new Map<string, string>(tags.map((tag) => [tag, tag]));
        for (const enforcement of enforcements) {
          const tag = tagOfInstance.get(enforcement.trigger_instance_id)!;
          traces.get(tag)?.enforcements.push(enforcement);
          if (enforcement.execution_id !== null) tagOfExecution.set(enforcement.execution_id, tag);
        }
        const executions = await new TraceRepository(trx).executionTree([...tagOfExecution.keys()]);
        const byId = new Map(executions.map((e) => [e.id, e]));
        // A started execution is in the trace of the one that started it.
        const tagOf = (execution: Execution): string | undefined => {
          const parent = execution.parent_id === null ? undefined : byId.get(execution.parent_id);
          return tagOfExecution.get(execution.id) ?? (parent && tagOf(parent));
        };
        for (const execution of executions) {
          const tag = tagOf(execution);
          if (tag !== undefined) traces.get(tag)?.executions.push(execution);
        }
        return traces;
      });
  }

  /** The executions `ids`, and every execution they started, at any depth (through parent_id); oldest first. */
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
