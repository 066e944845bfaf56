import { sql } from 'kysely';
import type { Database } from '../database';
import type { Pack } from '../schema';

export interface PackRecord {
  ref: string;
  name: string;
  description: string;
  version: string;
  author: string;
  email?: string;
  keywords: string[];
  dependencies: string[];
  path: string;
  metadata: Record<string, unknown>;
}

export type UpsertOutcome = 'created' | 'updated' | 'unchanged';

export class PackRepository {
  constructor(private readonly db: Database) {}

  search(): Promise<Pack[]> {
    return this.db.selectFrom('packs').selectAll().orderBy('ref').execute();
  }

  getByRef(ref: string): Promise<Pack | undefined> {
    return this.db.selectFrom('packs').selectAll().where('ref', '=', ref).executeTakeFirst();
  }

  /** Removes the pack and, through the foreign key, its actions. */
  async delete(ref: string): Promise<boolean> {
    const { numDeletedRows } = await this.db.deleteFrom('packs').where('ref', '=', ref).executeTakeFirst();
    return Number(numDeletedRows) === 1;
  }

  /** Writes the pack only if something changed, so updated_at means what it says. */
  async upsert(pack: PackRecord): Promise<UpsertOutcome> {
    const values = {
      ref: pack.ref,
      name: pack.name,
      description: pack.description,
      version: pack.version,
      author: pack.author,
      email: pack.email ?? null,
      keywords: JSON.stringify(pack.keywords),
      dependencies: JSON.stringify(pack.dependencies),
      path: pack.path,
      metadata: JSON.stringify(pack.metadata),
    };
    const row = await this.db
      .insertInto('packs')
      .values(values)
      .onConflict((oc) =>
        oc
          .column('ref')
          .doUpdateSet((eb) => ({
            name: eb.ref('excluded.name'),
            description: eb.ref('excluded.description'),
            version: eb.ref('excluded.version'),
            author: eb.ref('excluded.author'),
            email: eb.ref('excluded.email'),
            keywords: eb.ref('excluded.keywords'),
            dependencies: eb.ref('excluded.dependencies'),
            path: eb.ref('excluded.path'),
            metadata: eb.ref('excluded.metadata'),
            updated_at: sql`now()`,
          }))
          .where(sql<boolean>`(packs.metadata, packs.path) is distinct from (excluded.metadata, excluded.path)`),
      )
      .returning(sql<boolean>`xmax = 0`.as('inserted'))
      .executeTakeFirst();
    if (!row) return 'unchanged';
    return row.inserted ? 'created' : 'updated';
  }
}
