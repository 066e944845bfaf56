import { sql, type Insertable, type RawBuilder } from 'kysely';
import type { Database } from '../database';
import type { DB } from '../schema';
import type { UpsertOutcome } from './pack.repository';

/** What registering a pack did to one kind of its content, by ref. */
export interface ReplaceOutcome {
  created: string[];
  updated: string[];
  unchanged: string[];
  removed: string[];
}

/** The tables of what packs define: each row keyed by `ref`, owned through `pack`, stamped with `updated_at`. */
export type PackContentTable = 'actions' | 'action_aliases' | 'policies' | 'rules' | 'sensor_types' | 'trigger_types';

type Column<T extends PackContentTable> = keyof DB[T] & string;

/** A column as compared; `json` (not `jsonb`) has no equality operator, so such a column is compared as its text. */
export type ComparedColumn<T extends PackContentTable> = Column<T> | `${Column<T>}::text`;

/** How one kind of pack content is stored. */
export interface PackContent<T extends PackContentTable, R extends { ref: string }> {
  table: T;
  /** Every column the record writes (optional ones as null), so re-registration rewrites them all. */
  toRow(record: R): Insertable<DB[T]>;
  /**
   * The columns whose change makes re-registration rewrite the row. While they
   * are as stored, the row is left alone ('unchanged'): updated_at keeps its
   * meaning, no database trigger fires, and the columns not listed (such as
   * `enabled` set through the API) keep their stored values.
   */
  changedWhen: readonly ComparedColumn<T>[];
  /** Columns written when the row is created and kept when it is rewritten. */
  keptOnUpdate?: readonly Column<T>[];
  /** Rows without a metadata file (made through the API) stay when their pack is registered again. */
  keepsRowsWithoutFile?: boolean;
}

/**
 * Makes the pack's content of one kind exactly `records`: writes those that
 * changed, in the order given, and removes those no longer defined. Run it in
 * the transaction that registers the pack, so a pack is never half-registered.
 */
export async function replacePackContent<T extends PackContentTable, R extends { ref: string }>(
  db: Database,
  content: PackContent<T, R>,
  pack: string,
  records: readonly R[],
): Promise<ReplaceOutcome> {
  const outcome: ReplaceOutcome = { created: [], updated: [], unchanged: [], removed: [] };
  for (const record of records) outcome[await upsert(db, content, record)].push(record.ref);
  const table: PackContentTable = content.table;
  let removal = db.deleteFrom(table).where('pack', '=', pack);
  if (content.keepsRowsWithoutFile) removal = removal.where('metadata_file', 'is not', null);
  if (records.length > 0) removal = removal.where('ref', 'not in', records.map((r) => r.ref));
  outcome.removed = (await removal.returning('ref').execute()).map((r) => r.ref);
  return outcome;
}

async function upsert<T extends PackContentTable, R extends { ref: string }>(db: Database, content: PackContent<T, R>, record: R): Promise<UpsertOutcome> {
  const row = content.toRow(record);
  const kept = new Set<string>(['ref', ...(content.keptOnUpdate ?? [])]);
  const rewritten = Object.keys(row).filter((column) => !kept.has(column));
  const result = await db
    .insertInto(content.table)
    .values(row)
    .onConflict((oc) =>
      oc
        .column('ref')
        .doUpdateSet(Object.fromEntries([...rewritten.map((column) => [column, sql.ref(`excluded.${column}`)]), ['updated_at', sql`now()`]]))
        .where(changed(content.table, content.changedWhen)),
    )
    .returning(sql<boolean>`xmax = 0`.as('inserted'))
    .executeTakeFirst();
  if (!result) return 'unchanged';
  return result.inserted ? 'created' : 'updated';
}

/** `(stored columns) is distinct from (excluded columns)`: whether the incoming row differs where it counts. */
function changed(table: string, columns: readonly string[]): RawBuilder<boolean> {
  const side = (from: string) =>
    sql.join(
      columns.map((compared) => {
        const [column, cast] = compared.split('::');
        return cast ? sql`${sql.ref(`${from}.${column}`)}::${sql.raw(cast)}` : sql.ref(`${from}.${column}`);
      }),
    );
  return sql<boolean>`(${side(table)}) is distinct from (${side('excluded')})`;
}
