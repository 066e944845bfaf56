import { Kysely, sql } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  // Secret parameters are kept encrypted with the datastore key (AES-256-GCM, bound
  // to the execution), which migrations do not have: rows written in clear before
  // stay readable from `values` until their execution ends, when they are removed.
  await db.schema.alterTable('execution_secrets').addColumn('sealed', 'bytea').execute();
  await db.schema.alterTable('execution_secrets').alterColumn('values', (c) => c.dropNotNull()).execute();
  await sql`alter table execution_secrets add constraint execution_secrets_one_form check ((sealed is null) <> ("values" is null))`.execute(db);
  // Nothing runs an ended execution again: its secrets are no longer needed.
  await sql`delete from execution_secrets s using executions e where e.id = s.execution_id and e.finished_at is not null`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  // Sealed rows cannot be turned back into clear ones without the key: they are dropped.
  await sql`delete from execution_secrets where sealed is not null`.execute(db);
  await sql`alter table execution_secrets drop constraint execution_secrets_one_form`.execute(db);
  await db.schema.alterTable('execution_secrets').alterColumn('values', (c) => c.setNotNull()).execute();
  await db.schema.alterTable('execution_secrets').dropColumn('sealed').execute();
}
