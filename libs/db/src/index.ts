export { createDatabase, pingDatabase } from './database';
export type { Database } from './database';
export { migrateToLatest, MigrationError } from './migrator';
export { ApiKeyRepository } from './repositories/api-key.repository';
export type { ApiKey, DB } from './schema';
export { ensureDatabase, prepareEmbeddedPostgres } from './embedded-postgres';
export type { EmbeddedPostgresServer } from './embedded-postgres';
