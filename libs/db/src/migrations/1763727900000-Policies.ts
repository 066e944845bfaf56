import { Kysely, sql } from 'kysely';

/**
 * Packs' policies (policies/*.yaml) as written, enabled or not, so the API can
 * show them as StackStorm does; what a run applies stays on the action's row
 * (actions.retry, actions.concurrency).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('policies')
    .addColumn('ref', 'text', (c) => c.primaryKey())
    .addColumn('pack', 'text', (c) => c.notNull().references('packs.ref').onDelete('cascade'))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('description', 'text', (c) => c.notNull())
    .addColumn('enabled', 'boolean', (c) => c.notNull())
    .addColumn('resource_ref', 'text', (c) => c.notNull())
    .addColumn('policy_type', 'text', (c) => c.notNull())
    .addColumn('parameters', 'jsonb', (c) => c.notNull())
    .addColumn('metadata_file', 'text', (c) => c.notNull())
    .addColumn('registered_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await db.schema.createIndex('policies_pack_idx').on('policies').column('pack').execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('policies').execute();
}
