import { sql, type QueryCreator } from 'kysely';
import { isTerminal, statusesBefore, type ExecutionStatus } from '@tempest/domain';
import type { DB } from '../schema';
import { storableJson } from '../storable';

/** What a status change records with it; `scheduledAt`, on the way to `running`, fills in a `scheduled` not yet recorded. */
export interface TransitionFields {
  result?: unknown;
  runId?: string;
  at?: Date;
  scheduledAt?: Date;
}

/**
 * The UPDATE that moves an execution to `status` if its lifecycle allows it,
 * appending to its history; a query of its own so that it can also be one
 * part of a larger statement (a common table expression).
 */
export function transitionQuery(db: QueryCreator<DB>, id: string, status: ExecutionStatus, fields: TransitionFields) {
  const at = fields.at ?? new Date();
  const change = JSON.stringify([{ status, at: at.toISOString() }]);
  // Running proves Temporal held the workflow: one still `requested` (a workflow's task, or a start whose
  // `scheduled` the gateway had not written yet) is recorded `scheduled` first, as StackStorm's lifecycle has it.
  const history =
    status === 'running' && fields.scheduledAt
      ? sql<string>`status_history || (case when status = 'requested' then ${JSON.stringify([{ status: 'scheduled', at: fields.scheduledAt.toISOString() }])}::jsonb else '[]'::jsonb end) || ${change}::jsonb`
      : sql<string>`status_history || ${change}::jsonb`;
  return db
    .updateTable('executions')
    .set({
      status,
      status_history: history,
      ...(fields.result !== undefined ? { result: storableJson(fields.result) } : {}),
      ...(fields.runId ? { run_id: fields.runId } : {}),
      // Running again after a pause keeps the first start.
      ...(status === 'running' ? { started_at: sql<Date>`coalesce(started_at, ${at})` } : {}),
      ...(isTerminal(status) ? { finished_at: at } : {}),
    })
    .where('id', '=', id)
    .where('status', 'in', statusesBefore(status));
}

/**
 * The INSERT that claims attempt `attempt` for `dispatch`, returning a row only
 * for the first claim, or when the attempt was fenced for an earlier dispatch.
 */
export function claimAttemptQuery(db: QueryCreator<DB>, id: string, attempt: number, dispatch: number) {
  return db
    .insertInto('execution_attempts')
    .values({ execution_id: id, attempt, dispatch, state: 'started' })
    .onConflict((oc) =>
      oc
        .columns(['execution_id', 'attempt'])
        .doUpdateSet({ dispatch, state: 'started', updated_at: sql`now()` })
        .where('execution_attempts.state', '=', 'fenced')
        .where('execution_attempts.dispatch', '<', dispatch),
    )
    .returning('dispatch');
}
