import { sql } from 'kysely';
import { TERMINAL_STATUSES, type ExecutionStatus } from '@tempest/domain';
import type { Database } from '../database';
import { claimAttemptQuery, transitionQuery } from './execution-statements';
import type { NewTriggerInstance } from './trigger-instance.repository';

/** The attempt whose outcome ended the execution, as claimAttempt() started it. */
export interface EndingAttempt {
  attempt: number;
  dispatch: number;
  outcome: unknown;
}

export interface ExecutionEnd {
  status: ExecutionStatus;
  result: unknown;
  at: Date;
  /** Stored as the attempt's outcome in the same statement. */
  attempt?: EndingAttempt;
  /** The trigger instances the end emits (the actiontrigger, notifytriggers): stored only if this call records the end. */
  emits: NewTriggerInstance[];
}

/**
 * The writes a worker makes around one attempt of an action, each a single
 * statement (a statement is atomic without a transaction, and costs one round
 * trip): what runs once per execution is kept to two.
 */
export class ExecutionRunRepository {
  constructor(private readonly db: Database) {}

  /**
   * Claims the attempt (claimAttempt) and, if that succeeds, marks the
   * execution `running`, both or neither. False when the attempt was settled
   * or handed to another dispatch: nothing changed then. `scheduledAt`
   * records `scheduled` first if nothing did (see transitionQuery).
   */
  async startAttempt(id: string, attempt: number, dispatch: number, runId: string, scheduledAt?: Date): Promise<boolean> {
    const row = await this.db
      .with('claim', (db) => claimAttemptQuery(db, id, attempt, dispatch))
      .with('running', () =>
        // The claim's row exists only if it succeeded.
        transitionQuery(this.db, id, 'running', { runId, scheduledAt }).where(sql<boolean>`exists (select 1 from claim)`).returning('id'),
      )
      .selectFrom('claim')
      .select('dispatch')
      .executeTakeFirst();
    return row !== undefined;
  }

  /**
   * Records the end: the final status and result, the ending attempt's
   * outcome, the execution's API tokens revoked and its secrets removed (so
   * neither outlives the end that is shown), and the trigger instances it emits
   * (its actiontrigger, a notifytrigger per route of its notify), each queued when an
   * enabled rule (standard or backstop) listens for its type and otherwise recorded as
   * processed. One statement: none of it is lost, nor doubled by a retry.
   * Returns whether this call recorded the end (false: it was already).
   */
  async recordEnd(id: string, end: ExecutionEnd): Promise<boolean> {
    const rows = end.emits.map((e) => ({
      id: e.id,
      trigger: e.trigger,
      parameters: e.parameters,
      payload: e.payload,
      occurrence_time: e.occurrenceTime?.toISOString() ?? null,
      trace_tag: e.traceTag,
      idempotency_key: e.idempotencyKey ?? null,
      source: e.source,
      context: e.context ?? {},
    }));
    let query = this.db
      .with('ended', (db) => transitionQuery(db, id, end.status, { result: end.result, at: end.at }).returning('id'))
      .with('revoked', (db) => db.deleteFrom('action_tokens').where('execution_id', '=', id).returning('token_hash'))
      .with('forgotten', (db) =>
        db
          .deleteFrom('execution_secrets')
          .where('execution_id', '=', id)
          // Also when the end was recorded before (a retried write): the row is terminal then.
          .where(({ or, exists, selectFrom }) =>
            or([exists(selectFrom('ended').select('id')), exists(selectFrom('executions').select('id').where('id', '=', id).where('status', 'in', TERMINAL_STATUSES))]),
          )
          .returning('execution_id'),
      )
      .with('emitted', (db) =>
        db
          .insertInto('trigger_instances')
          .columns(['id', 'trigger', 'parameters', 'payload', 'occurrence_time', 'status', 'trace_tag', 'idempotency_key', 'source', 'context'])
          .expression(
            // One row per emitted instance, only if this statement recorded the end (a row in `ended`).
            sql`select e.id, e.trigger, e.parameters, e.payload, coalesce(e.occurrence_time, ${end.at}::timestamptz),
                  case when exists (select 1 from rules where rules.trigger_type = e.trigger and rules.enabled) then 'pending' else 'processed' end,
                  e.trace_tag, e.idempotency_key, e.source, e.context
                from ended cross join jsonb_to_recordset(${JSON.stringify(rows)}::jsonb)
                  as e(id uuid, trigger text, parameters jsonb, payload jsonb, occurrence_time timestamptz, trace_tag text, idempotency_key text, source text, context jsonb)`,
          )
          .onConflict((oc) => oc.columns(['trigger', 'parameters', 'idempotency_key']).doNothing())
          .returning('id'),
      );
    const { attempt } = end;
    if (attempt) {
      query = query.with('outcome', (db) =>
        db
          .updateTable('execution_attempts')
          .set({ state: 'finished', outcome: JSON.stringify(attempt.outcome), updated_at: sql`now()` })
          .where('execution_id', '=', id)
          .where('attempt', '=', attempt.attempt)
          .where('dispatch', '=', attempt.dispatch)
          .where('state', '=', 'started')
          .returning('execution_id'),
      ) as unknown as typeof query;
    }
    const row = await query.selectFrom('ended').select('id').executeTakeFirst();
    return row !== undefined;
  }
}
