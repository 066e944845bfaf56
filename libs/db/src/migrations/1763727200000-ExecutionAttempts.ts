import { Kysely, sql } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  // What is known of each attempt (action.retry) of an execution, written by the
  // worker that runs it: `started` before the action's process starts, `finished`
  // with its outcome before the activity returns. After a worker dies this tells
  // "never started" (safe to run) from "started, outcome unknown" (abandoned).
  // `fenced`: a worker found it never started and gave it to dispatch `dispatch`
  // + 1, so a late start by the lost dispatch can never run it a second time.
  await db.schema
    .createTable('execution_attempts')
    .addColumn('execution_id', 'text', (c) => c.notNull().references('executions.id').onDelete('cascade'))
    .addColumn('attempt', 'integer', (c) => c.notNull())
    .addColumn('dispatch', 'integer', (c) => c.notNull())
    .addColumn('state', 'text', (c) => c.notNull().check(sql`state in ('fenced', 'started', 'finished')`))
    .addColumn('outcome', 'jsonb')
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addPrimaryKeyConstraint('execution_attempts_pkey', ['execution_id', 'attempt'])
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('execution_attempts').execute();
}
