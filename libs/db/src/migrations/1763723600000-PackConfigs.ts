import { Kysely, sql } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  // Apart from `packs`, so that nothing listing packs reads secret values by accident.
  await db.schema
    .createTable('pack_configs')
    .addColumn('pack', 'text', (c) => c.primaryKey().references('packs.ref').onDelete('cascade'))
    .addColumn('schema', 'jsonb', (c) => c.notNull())
    .addColumn('values', 'jsonb', (c) => c.notNull())
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('pack_configs').execute();
}
