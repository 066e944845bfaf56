import { Kysely, sql } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  // A pack's config (values and schema, whose secret defaults are secrets too) is kept
  // sealed with the datastore key, bound to the pack. Migrations do not have the key:
  // configs written in clear before are read as they are, and sealed when the packs
  // are next registered (`npm start` registers them at every start).
  await db.schema.alterTable('pack_configs').addColumn('sealed', 'bytea').execute();
  await db.schema.alterTable('pack_configs').alterColumn('schema', (c) => c.dropNotNull()).execute();
  await db.schema.alterTable('pack_configs').alterColumn('values', (c) => c.dropNotNull()).execute();
  await sql`alter table pack_configs add constraint pack_configs_one_form check ((sealed is null) = ("values" is not null and "schema" is not null))`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  // Sealed configs cannot be turned back into clear ones without the key: registering the packs writes them again.
  await sql`delete from pack_configs where sealed is not null`.execute(db);
  await sql`alter table pack_configs drop constraint pack_configs_one_form`.execute(db);
  await db.schema.alterTable('pack_configs').alterColumn('values', (c) => c.setNotNull()).execute();
  await db.schema.alterTable('pack_configs').alterColumn('schema', (c) => c.setNotNull()).execute();
  await db.schema.alterTable('pack_configs').dropColumn('sealed').execute();
}
