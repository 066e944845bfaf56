import { Kysely, sql } from 'kysely';

/**
 * The queue's claim (oldest pending or stale processing instance) read the
 * occurrence index past every processed instance: 120 ms per claim with 100,000
 * of them, so a storm's backlog drained at 80 events a second. This index
 * holds only the queued ones.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`create index trigger_instances_queue_idx on trigger_instances (occurrence_time) where status in ('pending', 'processing')`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop index trigger_instances_queue_idx`.execute(db);
}
