import { Kysely, sql } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  // Pack sensors (sensors/*.yaml); the container runs the enabled ones.
  await db.schema
    .createTable('sensor_types')
    .addColumn('ref', 'text', (c) => c.primaryKey())
    .addColumn('pack', 'text', (c) => c.notNull().references('packs.ref').onDelete('cascade'))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('class_name', 'text', (c) => c.notNull())
    .addColumn('entry_point', 'text', (c) => c.notNull())
    .addColumn('description', 'text', (c) => c.notNull())
    .addColumn('enabled', 'boolean', (c) => c.notNull())
    .addColumn('poll_interval', 'integer')
    .addColumn('trigger_types', 'jsonb', (c) => c.notNull())
    .addColumn('metadata_file', 'text', (c) => c.notNull())
    .addColumn('metadata', 'jsonb', (c) => c.notNull())
    .addColumn('registered_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await db.schema.createIndex('sensor_types_pack_idx').on('sensor_types').column('pack').execute();

  // Which container runs which sensor. No foreign key: a lease outlives a
  // sensor's removal until its owner notices and stops it.
  await db.schema
    .createTable('sensor_leases')
    .addColumn('sensor_ref', 'text', (c) => c.primaryKey())
    .addColumn('owner', 'text', (c) => c.notNull())
    .addColumn('acquired_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('expires_at', 'timestamptz', (c) => c.notNull())
    .execute();

  // Containers listen: an enable, disable, change or removal, and a lease given
  // up by a stopping container, take effect at once rather than at the next poll.
  await sql`
    create function tempest_notify_sensor_change() returns trigger language plpgsql as $$
    begin
      perform pg_notify('tempest_sensors', coalesce(new.ref, old.ref));
      return null;
    end $$`.execute(db);
  await sql`create trigger sensor_types_notify after insert or update or delete on sensor_types for each row execute function tempest_notify_sensor_change()`.execute(db);
  await sql`
    create function tempest_notify_sensor_lease_release() returns trigger language plpgsql as $$
    begin
      perform pg_notify('tempest_sensors', old.sensor_ref);
      return null;
    end $$`.execute(db);
  await sql`create trigger sensor_leases_notify after delete on sensor_leases for each row execute function tempest_notify_sensor_lease_release()`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('sensor_leases').execute();
  await db.schema.dropTable('sensor_types').execute();
  await sql`drop function tempest_notify_sensor_lease_release()`.execute(db);
  await sql`drop function tempest_notify_sensor_change()`.execute(db);
}
