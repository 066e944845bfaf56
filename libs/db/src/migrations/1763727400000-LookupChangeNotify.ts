import { Kysely, sql } from 'kysely';

/**
 * Channel on which a change to a table that gateways keep lookups of (API keys,
 * actions, packs' configs) is told, as the table's name, once per statement.
 */
export const LOOKUP_CHANGES_CHANNEL = 'tempest_lookups';

const TABLES = ['api_keys', 'actions', 'pack_configs'];

export async function up(db: Kysely<unknown>): Promise<void> {
  // Gateways keep what they look up on every request and forget it when told,
  // whichever process changed it: a disabled key stops working within moments everywhere.
  await sql`
    create function tempest_notify_lookup_change() returns trigger language plpgsql as $$
    begin
      perform pg_notify('tempest_lookups', tg_table_name);
      return null;
    end $$`.execute(db);
  for (const table of TABLES) {
    await sql`create trigger ${sql.raw(`${table}_notify_lookup`)} after insert or update or delete or truncate on ${sql.table(table)} for each statement execute function tempest_notify_lookup_change()`.execute(db);
  }
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const table of TABLES) await sql`drop trigger ${sql.raw(`${table}_notify_lookup`)} on ${sql.table(table)}`.execute(db);
  await sql`drop function tempest_notify_lookup_change()`.execute(db);
}
