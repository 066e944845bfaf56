import { Migrator, type Kysely } from 'kysely';
import { migrations } from './migrations';

export class MigrationError extends Error {
  constructor(migration: string, cause: unknown) {
    super(`database migration ${migration} failed: ${cause instanceof Error ? cause.message : String(cause)}`);
    this.name = 'MigrationError';
  }
}

/**
 * Brings the schema to the latest version. Idempotent, and safe when several
 * processes start at once: kysely serialises migrators with an advisory lock.
 * Returns the names of the migrations applied by this call.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- the migrator works on any schema
export async function migrateToLatest(db: Kysely<any>): Promise<string[]> {
  const migrator = new Migrator({ db, provider: { getMigrations: async () => migrations } });
  const { error, results = [] } = await migrator.migrateToLatest();
  const failed = results.find((r) => r.status === 'Error');
  if (error || failed) throw new MigrationError(failed?.migrationName ?? '(setup)', error);
  return results.filter((r) => r.status === 'Success').map((r) => r.migrationName);
}
