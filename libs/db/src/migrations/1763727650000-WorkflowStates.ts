import { Kysely, sql } from 'kysely';

/**
 * The conductor's final state of a workflow execution that failed (Orquesta's
 * serialized conductor, as st2 keeps it on its workflow execution): a re-run
 * from chosen tasks starts the new execution's conductor from it. Kept here,
 * not only in Temporal's history, which the namespace's retention deletes.
 * Its secrets are sealed, bound to the execution.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('workflow_states')
    .addColumn('execution_id', 'text', (c) => c.primaryKey().references('executions.id').onDelete('cascade'))
    .addColumn('state', 'jsonb', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('workflow_states').execute();
}
