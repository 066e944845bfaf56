import { Kysely, sql } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  // One row per key; system keys have user '' so (scope, user, name) is a plain primary key.
  // A secret is only ever stored encrypted: the checks refuse a secret row with a clear value.
  await db.schema
    .createTable('key_value_pairs')
    .addColumn('scope', 'text', (c) => c.notNull())
    .addColumn('user', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('value', 'text')
    .addColumn('secret', 'boolean', (c) => c.notNull().defaultTo(false))
    .addColumn('encrypted_value', 'bytea')
    .addColumn('expire_at', 'timestamptz')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addPrimaryKeyConstraint('key_value_pairs_pkey', ['scope', 'user', 'name'])
    .addCheckConstraint('key_value_pairs_scope_user', sql`(scope = 'system' and "user" = '') or (scope = 'user' and "user" <> '')`)
    .addCheckConstraint(
      'key_value_pairs_secret_encrypted',
      sql`(secret and value is null and encrypted_value is not null) or (not secret and value is not null and encrypted_value is null)`,
    )
    .execute();
  await db.schema.createIndex('key_value_pairs_expire_idx').on('key_value_pairs').column('expire_at').where(sql.ref('expire_at'), 'is not', null).execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('key_value_pairs').execute();
}
