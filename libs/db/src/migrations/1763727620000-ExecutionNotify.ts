import { Kysely, sql } from 'kysely';

/**
 * StackStorm's liveaction `notify`: what the execution tells, and to which
 * routes, when it ends (a core.st2.generic.notifytrigger per route). Null for
 * an execution without one, as every execution recorded before.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`alter table executions add column notify jsonb`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`alter table executions drop column notify`.execute(db);
}
