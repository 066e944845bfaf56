import { Kysely, sql } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  // Pack-defined trigger types (triggers/*.yaml); the built-in core.st2.* types live in code.
  await db.schema
    .createTable('trigger_types')
    .addColumn('ref', 'text', (c) => c.primaryKey())
    .addColumn('pack', 'text', (c) => c.notNull().references('packs.ref').onDelete('cascade'))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('description', 'text', (c) => c.notNull())
    .addColumn('parameters_schema', 'jsonb', (c) => c.notNull())
    .addColumn('payload_schema', 'jsonb', (c) => c.notNull())
    .addColumn('metadata_file', 'text', (c) => c.notNull())
    .addColumn('registered_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await db.schema.createIndex('trigger_types_pack_idx').on('trigger_types').column('pack').execute();

  // The audit trail of events: no foreign key to trigger_types, an instance outlives its type.
  await db.schema
    .createTable('trigger_instances')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('trigger', 'text', (c) => c.notNull())
    .addColumn('parameters', 'jsonb', (c) => c.notNull())
    .addColumn('payload', 'jsonb', (c) => c.notNull())
    .addColumn('occurrence_time', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('trace_tag', 'text', (c) => c.notNull())
    .addColumn('idempotency_key', 'text')
    .addColumn('source', 'text', (c) => c.notNull())
    .addColumn('context', 'jsonb', (c) => c.notNull().defaultTo(sql`'{}'::jsonb`))
    .addColumn('error', 'text')
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  // One key per trigger (type and parameters, as StackStorm defines a trigger); NULL keys never collide.
  await db.schema.createIndex('trigger_instances_idempotency_key').unique().on('trigger_instances').columns(['trigger', 'parameters', 'idempotency_key']).execute();
  await db.schema.createIndex('trigger_instances_occurrence_idx').on('trigger_instances').columns(['occurrence_time desc', 'id desc']).execute();
  await db.schema.createIndex('trigger_instances_trace_idx').on('trigger_instances').column('trace_tag').execute();
  await sql`create index trigger_instances_unfinished_idx on trigger_instances (updated_at) where status in ('pending', 'processing')`.execute(db);

  await db.schema
    .createTable('rules')
    .addColumn('ref', 'text', (c) => c.primaryKey())
    .addColumn('pack', 'text', (c) => c.notNull().references('packs.ref').onDelete('cascade'))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('description', 'text', (c) => c.notNull())
    .addColumn('enabled', 'boolean', (c) => c.notNull())
    .addColumn('type', 'text', (c) => c.notNull())
    .addColumn('trigger_type', 'text', (c) => c.notNull())
    .addColumn('trigger_parameters', 'jsonb', (c) => c.notNull())
    // json, not jsonb: jsonb re-sorts object keys, and criteria run in the order they are written, as in StackStorm.
    .addColumn('criteria', 'json', (c) => c.notNull())
    .addColumn('action_ref', 'text', (c) => c.notNull())
    .addColumn('action_parameters', 'jsonb', (c) => c.notNull())
    .addColumn('context', 'jsonb', (c) => c.notNull())
    // NULL for rules made through the API: registering the pack again leaves them alone.
    .addColumn('metadata_file', 'text')
    .addColumn('created_by', 'text', (c) => c.notNull())
    .addColumn('registered_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await db.schema.createIndex('rules_pack_idx').on('rules').column('pack').execute();
  await db.schema.createIndex('rules_trigger_idx').on('rules').column('trigger_type').execute();

  await db.schema
    .createTable('rule_enforcements')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('trigger_instance_id', 'text', (c) => c.notNull().references('trigger_instances.id').onDelete('cascade'))
    .addColumn('rule_ref', 'text', (c) => c.notNull())
    .addColumn('execution_id', 'text')
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('failure_reason', 'text')
    .addColumn('enforced_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addUniqueConstraint('rule_enforcements_once', ['trigger_instance_id', 'rule_ref'])
    .execute();
  await db.schema.createIndex('rule_enforcements_rule_idx').on('rule_enforcements').columns(['rule_ref', 'enforced_at desc']).execute();
  await db.schema.createIndex('rule_enforcements_execution_idx').on('rule_enforcements').column('execution_id').execute();

  // Every replica's rules engine and ingestion worker listen to these. Triggers
  // send the notification in the transaction of the change, however it was made
  // (API, pack registration, the cascade of a pack's removal, the worker).
  await sql`
    create function tempest_notify_rule_change() returns trigger language plpgsql as $$
    begin
      perform pg_notify('tempest_rules', coalesce(new.ref, old.ref));
      return null;
    end $$`.execute(db);
  await sql`create trigger rules_notify after insert or update or delete on rules for each row execute function tempest_notify_rule_change()`.execute(db);
  await sql`
    create function tempest_notify_pending_instance() returns trigger language plpgsql as $$
    begin
      perform pg_notify('tempest_trigger_instances', new.id);
      return null;
    end $$`.execute(db);
  await sql`create trigger trigger_instances_notify after insert on trigger_instances for each row when (new.status = 'pending') execute function tempest_notify_pending_instance()`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('rule_enforcements').execute();
  await db.schema.dropTable('rules').execute();
  await db.schema.dropTable('trigger_instances').execute();
  await db.schema.dropTable('trigger_types').execute();
  await sql`drop function tempest_notify_rule_change()`.execute(db);
  await sql`drop function tempest_notify_pending_instance()`.execute(db);
}
