import { sql } from 'kysely';
import type { ExecutionStatus } from '@tempest/domain';
import type { Database } from '../database';
import { transitionQuery } from './execution-statements';

/**
 * The statuses of a run that holds a slot of its action's concurrency
 * policies: started (its attempt claimed) and not ended. `scheduled` is not
 * one, unlike StackStorm's count: here every run waiting for a worker is
 * `scheduled`, and only `running` says a slot was granted.
 */
export const ACTIVE_STATUSES: readonly ExecutionStatus[] = ['running', 'pending', 'canceling', 'pausing', 'paused', 'resuming'];

/**
 * The queries behind action.concurrency(.attr). Use them inside one
 * transaction: lock(), then count(), then the statement that starts the run,
 * so that no other start of the action counts between the count and the start.
 */
export class ConcurrencyRepository {
  constructor(private readonly db: Database) {}

  /**
   * Holds the action's slots until the transaction ends: a start of the same
   * action on any worker waits here. A statement of its own, before count(),
   * so that the count's snapshot sees every start committed before the lock.
   */
  async lock(actionRef: string): Promise<void> {
    await sql`select pg_advisory_xact_lock(hashtext(${`tempest.concurrency:${actionRef}`}))`.execute(this.db);
  }

  /**
   * The runs of the action holding a slot, other than `exceptId` (a retried
   * attempt's own run), whose parameters equal `matching` (name: value, as
   * stored: secrets masked).
   */
  async count(actionRef: string, exceptId: string, matching: Record<string, unknown> = {}): Promise<number> {
    let query = this.db
      .selectFrom('executions')
      .select((eb) => eb.fn.countAll<string>().as('n'))
      .where('action_ref', '=', actionRef)
      .where('status', 'in', ACTIVE_STATUSES)
      .where('id', '<>', exceptId);
    for (const [name, value] of Object.entries(matching)) query = query.where(sql<boolean>`parameters -> ${name} = ${JSON.stringify(value)}::jsonb`);
    const row = await query.executeTakeFirstOrThrow();
    return Number(row.n);
  }

  /** Marks a run held back by a policy `delayed` (StackStorm's status), if it is not already. */
  async delay(id: string): Promise<void> {
    await transitionQuery(this.db, id, 'delayed', {}).execute();
  }
}
