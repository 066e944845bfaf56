import { Kysely, sql } from 'kysely';

/** What an API key is for (`st2 apikey create -m '{"used_by": ...}'`), shown with it. */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`alter table api_keys add column metadata jsonb not null default '{}'`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`alter table api_keys drop column metadata`.execute(db);
}
