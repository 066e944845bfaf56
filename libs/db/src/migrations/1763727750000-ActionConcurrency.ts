import { sql, type Kysely } from 'kysely';

/**
 * An action's action.concurrency(.attr) policies, and the index their count
 * reads: the runs of one action that hold a slot (see ConcurrencyRepository).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('actions').addColumn('concurrency', 'jsonb').execute();
  // The statuses of ACTIVE_STATUSES (concurrency.repository.ts), as a migration keeps them.
  await sql`create index executions_action_ref_active on executions (action_ref) where status in ('running', 'pending', 'canceling', 'pausing', 'paused', 'resuming')`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropIndex('executions_action_ref_active').execute();
  await db.schema.alterTable('actions').dropColumn('concurrency').execute();
}
