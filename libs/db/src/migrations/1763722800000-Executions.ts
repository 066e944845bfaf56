import { Kysely, sql } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('executions')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('action_ref', 'text', (c) => c.notNull())
    .addColumn('pack', 'text', (c) => c.notNull())
    .addColumn('runner_type', 'text', (c) => c.notNull())
    .addColumn('parameters', 'jsonb', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('status_history', 'jsonb', (c) => c.notNull())
    .addColumn('context', 'jsonb', (c) => c.notNull())
    .addColumn('result', 'jsonb')
    .addColumn('parent_id', 'text')
    .addColumn('workflow_id', 'text', (c) => c.notNull())
    .addColumn('run_id', 'text')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('started_at', 'timestamptz')
    .addColumn('finished_at', 'timestamptz')
    .execute();
  await db.schema.createIndex('executions_created_idx').on('executions').columns(['created_at desc', 'id desc']).execute();
  await db.schema.createIndex('executions_action_idx').on('executions').column('action_ref').execute();
  await db.schema.createIndex('executions_status_idx').on('executions').column('status').execute();
  await db.schema.createIndex('executions_parent_idx').on('executions').column('parent_id').execute();

  await db.schema
    .createTable('execution_output')
    .addColumn('id', 'bigserial', (c) => c.primaryKey())
    .addColumn('execution_id', 'text', (c) => c.notNull().references('executions.id').onDelete('cascade'))
    .addColumn('attempt', 'integer', (c) => c.notNull())
    .addColumn('seq', 'integer', (c) => c.notNull())
    .addColumn('stream', 'text', (c) => c.notNull())
    .addColumn('data', 'text', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addUniqueConstraint('execution_output_chunk_key', ['execution_id', 'attempt', 'seq'])
    .execute();

  // Secret parameter values, kept out of the audit row and of Temporal's history;
  // only the worker reads them back, to run the action.
  await db.schema
    .createTable('execution_secrets')
    .addColumn('execution_id', 'text', (c) => c.primaryKey().references('executions.id').onDelete('cascade'))
    .addColumn('values', 'jsonb', (c) => c.notNull())
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('execution_secrets').execute();
  await db.schema.dropTable('execution_output').execute();
  await db.schema.dropTable('executions').execute();
}
