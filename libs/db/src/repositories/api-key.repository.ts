import type { Database } from '../database';
import type { ApiKey } from '../schema';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

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

  getById(id: string): Promise<ApiKey | undefined> {
    // Ids are uuids: anything else names no key (and must not reach Postgres as a malformed uuid).
    if (!UUID.test(id)) return Promise.resolve(undefined);
    return this.db.selectFrom('api_keys').selectAll().where('id', '=', id).executeTakeFirst();
  }

  /** A new key; `name` must be unused. */
  create(key: { name: string; keyHash: string; keyPrefix: string; user: string; metadata: Record<string, unknown>; enabled: boolean }): Promise<ApiKey> {
    return this.db
      .insertInto('api_keys')
      .values({ name: key.name, key_hash: key.keyHash, key_prefix: key.keyPrefix, user: key.user, metadata: JSON.stringify(key.metadata), enabled: key.enabled })
      .returningAll()
      .executeTakeFirstOrThrow();
  }

  /** The changed key, or undefined when there is none with this id. */
  update(id: string, change: { enabled?: boolean; metadata?: Record<string, unknown> }): Promise<ApiKey | undefined> {
    if (!UUID.test(id)) return Promise.resolve(undefined);
    return this.db
      .updateTable('api_keys')
      .set({ ...(change.enabled === undefined ? {} : { enabled: change.enabled }), ...(change.metadata === undefined ? {} : { metadata: JSON.stringify(change.metadata) }) })
      .where('id', '=', id)
      .returningAll()
      .executeTakeFirst();
  }

  /** Whether a key with this id was there to delete. */
  async delete(id: string): Promise<boolean> {
    if (!UUID.test(id)) return false;
    const deleted = await this.db.deleteFrom('api_keys').where('id', '=', id).executeTakeFirst();
    return Number(deleted.numDeletedRows) === 1;
  }

  async touch(id: string, at: Date): Promise<void> {
    await this.db.updateTable('api_keys').set({ last_used_at: at }).where('id', '=', id).execute();
  }
}
