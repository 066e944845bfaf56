import type { Database } from '../database';
import type { ApiKey } from '../schema';

export class ApiKeyRepository {
  constructor(private readonly db: Database) {}

  search(): Promise<ApiKey[]> {
    return this.db.selectFrom('api_keys').selectAll().orderBy('created_at', 'asc').execute();
  }

  getByHash(keyHash: string): Promise<ApiKey | undefined> {
    return this.db.selectFrom('api_keys').selectAll().where('key_hash', '=', keyHash).executeTakeFirst();
  }

  /** Creates the named key, or points the existing name at a new key. */
  async upsert(key: { name: string; keyHash: string; keyPrefix: string; user: string }): Promise<ApiKey> {
    return this.db
      .insertInto('api_keys')
      .values({ name: key.name, key_hash: key.keyHash, key_prefix: key.keyPrefix, user: key.user })
      .onConflict((oc) =>
        oc.column('name').doUpdateSet({ key_hash: key.keyHash, key_prefix: key.keyPrefix, user: key.user, enabled: true }),
      )
      .returningAll()
      .executeTakeFirstOrThrow();
  }

  async touch(id: string, at: Date): Promise<void> {
    await this.db.updateTable('api_keys').set({ last_used_at: at }).where('id', '=', id).execute();
  }
}
