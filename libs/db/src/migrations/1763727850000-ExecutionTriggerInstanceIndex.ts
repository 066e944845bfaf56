import { Kysely, sql } from 'kysely';

/**
 * GET /executions?trigger_instance= (what `st2 execution list
 * --trigger_instance` asks): the executions a rule started for one event are
 * found by index, not by scanning every execution's context.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`create index executions_trigger_instance_idx on executions ((context->>'trigger_instance')) where context ? 'trigger_instance'`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop index executions_trigger_instance_idx`.execute(db);
}
