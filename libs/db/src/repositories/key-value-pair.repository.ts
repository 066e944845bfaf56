import { sql, type Expression, type ExpressionBuilder, type SqlBool } from 'kysely';
import type { Database } from '../database';
import type { DB, KeyValuePairRow } from '../schema';

export type KeyValuePairScope = 'system' | 'user';

/** Identifies one key: system keys have user ''. */
export interface KeyValuePairKey {
  scope: KeyValuePairScope;
  user: string;
  name: string;
}

export interface KeyValuePairWrite extends KeyValuePairKey {
  /** Null for a secret, whose value is only in `encryptedValue`. */
  value: string | null;
  secret: boolean;
  encryptedValue: Buffer | null;
  /** Seconds from now (database time) until the key expires; undefined: never. */
  ttlSeconds?: number;
}

type Eb = ExpressionBuilder<DB, 'key_value_pairs'>;

/** Expired keys are never returned, whether or not they have been purged yet. */
const live = (eb: Eb) => eb.or([eb('expire_at', 'is', null), eb('expire_at', '>', sql<Date>`now()`)]);

const sameKey = (eb: Eb, key: KeyValuePairKey): Expression<SqlBool> =>
  eb.and([eb('scope', '=', key.scope), eb('user', '=', key.user), eb('name', '=', key.name)]);

export class KeyValuePairRepository {
  constructor(private readonly db: Database) {}

  /** Live keys of the given scope/user pairs, optionally only names starting with `prefix`, by name. */
  search(filter: { owners: { scope: KeyValuePairScope; user: string }[]; prefix?: string }): Promise<KeyValuePairRow[]> {
    if (filter.owners.length === 0) return Promise.resolve([]);
    let query = this.db
      .selectFrom('key_value_pairs')
      .selectAll()
      .where(live)
      .where((eb) => eb.or(filter.owners.map((o) => eb.and([eb('scope', '=', o.scope), eb('user', '=', o.user)]))));
    if (filter.prefix) query = query.where(sql<boolean>`starts_with(name, ${filter.prefix})`);
    return query.orderBy('name').orderBy('scope').orderBy('user').execute();
  }

  get(key: KeyValuePairKey): Promise<KeyValuePairRow | undefined> {
    return this.db.selectFrom('key_value_pairs').selectAll().where((eb) => sameKey(eb, key)).where(live).executeTakeFirst();
  }

  /**
   * Creates or replaces the key, returning it and the live key it replaced (if any), read
   * under a row lock so concurrent writers each see the value they overwrote.
   */
  upsert(write: KeyValuePairWrite): Promise<{ previous?: KeyValuePairRow; current: KeyValuePairRow }> {
    const run = async (db: Database) => {
      const existing = await db
        .selectFrom('key_value_pairs')
        .selectAll()
        .select(sql<boolean>`expire_at is null or expire_at > now()`.as('live'))
        .where((eb) => sameKey(eb, write))
        .forUpdate()
        .executeTakeFirst();
      const expireAt = write.ttlSeconds === undefined ? null : sql<Date>`now() + make_interval(secs => ${write.ttlSeconds})`;
      const current = await db
        .insertInto('key_value_pairs')
        .values({
          scope: write.scope,
          user: write.user,
          name: write.name,
          value: write.value,
          secret: write.secret,
          encrypted_value: write.encryptedValue,
          expire_at: expireAt,
        })
        .onConflict((oc) =>
          oc.columns(['scope', 'user', 'name']).doUpdateSet({
            value: write.value,
            secret: write.secret,
            encrypted_value: write.encryptedValue,
            expire_at: expireAt,
            updated_at: sql`now()`,
            // Writing over an expired key creates it anew.
            created_at: existing?.live ? sql`key_value_pairs.created_at` : sql`now()`,
          }),
        )
        .returningAll()
        .executeTakeFirstOrThrow();
      if (!existing?.live) return { current };
      const { live: _live, ...previous } = existing;
      return { previous, current };
    };
    return this.db.isTransaction ? run(this.db) : this.db.transaction().execute(run);
  }

  /** Deletes the key; returns it if it was live (an expired key is removed but counts as absent). */
  async delete(key: KeyValuePairKey): Promise<KeyValuePairRow | undefined> {
    const row = await this.db
      .deleteFrom('key_value_pairs')
      .where((eb) => sameKey(eb, key))
      .returningAll()
      .returning(sql<boolean>`expire_at is null or expire_at > now()`.as('live'))
      .executeTakeFirst();
    if (!row?.live) return undefined;
    const { live: _live, ...deleted } = row;
    return deleted;
  }

  /** Removes expired keys (they are already invisible); returns how many. */
  async purgeExpired(): Promise<number> {
    const { numDeletedRows } = await this.db.deleteFrom('key_value_pairs').where('expire_at', '<=', sql<Date>`now()`).executeTakeFirst();
    return Number(numDeletedRows);
  }
}
