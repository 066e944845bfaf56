import { Kysely, sql } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('actions')
    .addColumn('ref', 'text', (c) => c.primaryKey())
    .addColumn('pack', 'text', (c) => c.notNull().references('packs.ref').onDelete('cascade'))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('description', 'text', (c) => c.notNull())
    .addColumn('runner_type', 'text', (c) => c.notNull())
    .addColumn('entry_point', 'text')
    .addColumn('enabled', 'boolean', (c) => c.notNull())
    .addColumn('parameters', 'jsonb', (c) => c.notNull())
    .addColumn('output_schema', 'jsonb')
    .addColumn('tags', 'jsonb', (c) => c.notNull())
    .addColumn('metadata_file', 'text', (c) => c.notNull())
    .addColumn('metadata', 'jsonb', (c) => c.notNull())
    .addColumn('registered_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await db.schema.createIndex('actions_pack_idx').on('actions').column('pack').execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('actions').execute();
}
