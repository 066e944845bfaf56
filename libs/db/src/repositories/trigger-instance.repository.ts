import { sql, type OrderByDirection } from 'kysely';
import type { Database } from '../database';
import type { TriggerInstance, TriggerInstanceStatus } from '../schema';

export interface NewTriggerInstance {
  id: string;
  trigger: string;
  parameters: Record<string, unknown>;
  payload: Record<string, unknown>;
  occurrenceTime?: Date;
  /**
   * `pending` queues it for the gateways (a NOTIFY wakes them); `processing` when
   * the caller processes it now; `processed` when the caller knows no rule listens.
   */
  status: 'pending' | 'processing' | 'processed';
  traceTag: string;
  idempotencyKey?: string;
  source: string;
  context?: Record<string, unknown>;
}

export interface TriggerInstanceFilter {
  trigger?: string;
  status?: string;
  traceTag?: string;
  since?: Date;
  /** Occurred strictly after. */
  after?: Date;
  until?: Date;
  /** 'asc': the oldest first; newest first by default. */
  order?: OrderByDirection;
  limit: number;
  offset: number;
}

export class TriggerInstanceRepository {
  constructor(private readonly db: Database) {}

  /**
   * Stores the instance. With an idempotency key already used for the same
   * trigger (type and parameters), stores nothing and returns the first one.
   */
  async create(instance: NewTriggerInstance): Promise<{ instance: TriggerInstance; created: boolean }> {
    return (await this.createMany([instance]))[0];
  }

  /**
   * Stores the instances in one statement (one round trip, one commit), as
   * `create` each; answers in the order given. Two with the same idempotency
   * key are one event: the second answers the first's row.
   */
  async createMany(instances: NewTriggerInstance[]): Promise<{ instance: TriggerInstance; created: boolean }[]> {
    const rows = instances.map((instance) => ({
      id: instance.id,
      trigger: instance.trigger,
      parameters: JSON.stringify(instance.parameters),
      payload: JSON.stringify(instance.payload),
      occurrence_time: instance.occurrenceTime ?? new Date(),
      status: instance.status,
      trace_tag: instance.traceTag,
      idempotency_key: instance.idempotencyKey ?? null,
      source: instance.source,
      context: JSON.stringify(instance.context ?? {}),
    }));
    const inserted = await this.db
      .insertInto('trigger_instances')
      .values(rows)
      .onConflict((oc) => oc.columns(['trigger', 'parameters', 'idempotency_key']).doNothing())
      .returningAll()
      .execute();
    const byId = new Map(inserted.map((row) => [row.id, row]));
    return Promise.all(
      rows.map(async (row) => {
        const created = byId.get(row.id);
        if (created) return { instance: created, created: true };
        const existing = await this.db
          .selectFrom('trigger_instances')
          .selectAll()
          .where('trigger', '=', row.trigger)
          .where('parameters', '=', sql<Record<string, unknown>>`${row.parameters}::jsonb`)
          .where('idempotency_key', '=', row.idempotency_key)
          .executeTakeFirstOrThrow();
        return { instance: existing, created: false };
      }),
    );
  }

  getById(id: string): Promise<TriggerInstance | undefined> {
    return this.db.selectFrom('trigger_instances').selectAll().where('id', '=', id).executeTakeFirst();
  }

  /** Newest first (oldest with order 'asc'). */
  search(filter: TriggerInstanceFilter): Promise<TriggerInstance[]> {
    let query = this.db.selectFrom('trigger_instances').selectAll();
    if (filter.trigger) query = query.where('trigger', '=', filter.trigger);
    if (filter.status) query = query.where('status', '=', filter.status as TriggerInstanceStatus);
    if (filter.traceTag) query = query.where('trace_tag', '=', filter.traceTag);
    if (filter.since) query = query.where('occurrence_time', '>=', filter.since);
    if (filter.after) query = query.where('occurrence_time', '>', filter.after);
    if (filter.until) query = query.where('occurrence_time', '<', filter.until);
    return query.orderBy('occurrence_time', filter.order ?? 'desc').orderBy('id', filter.order ?? 'desc').limit(filter.limit).offset(filter.offset).execute();
  }

  async setStatus(id: string, status: TriggerInstanceStatus, error?: string): Promise<void> {
    await this.db.updateTable('trigger_instances').set({ status, error: error ?? null, updated_at: sql`now()` }).where('id', '=', id).execute();
  }

  /** `setStatus(id, 'processed')` for many instances in one statement. */
  async markProcessed(ids: string[]): Promise<void> {
    if (ids.length === 0) return;
    await this.db.updateTable('trigger_instances').set({ status: 'processed', error: null, updated_at: sql`now()` }).where('id', 'in', ids).execute();
  }

  /**
   * Takes up to `limit` unfinished instances for processing, oldest first:
   * `pending` ones, and `processing` ones last touched before
   * `staleBefore` (their gateway stopped renewing its claim: it died
   * mid-way). Concurrent callers never take the same row. `taken_over`: the
   * instance was another gateway's.
   */
  claim(options: { limit: number; staleBefore?: Date }): Promise<(TriggerInstance & { taken_over: boolean })[]> {
    const { staleBefore } = options;
    return this.db
      .with('candidates', (db) =>
        db
          .selectFrom('trigger_instances')
          .select(['id', 'status as previous_status'])
          .where((eb) =>
            eb.or([eb('status', '=', 'pending'), ...(staleBefore ? [eb.and([eb('status', '=', 'processing'), eb('updated_at', '<', staleBefore)])] : [])]),
          )
          .orderBy('occurrence_time')
          .limit(options.limit)
          .forUpdate()
          .skipLocked(),
      )
      .updateTable('trigger_instances')
      .from('candidates')
      .set({ status: 'processing', updated_at: sql`now()` })
      .whereRef('trigger_instances.id', '=', 'candidates.id')
      .returningAll('trigger_instances')
      .returning(sql<boolean>`candidates.previous_status = 'processing'`.as('taken_over'))
      .execute();
  }

  /** Renews a gateway's claim on an instance it is still processing, so no other gateway takes it over. */
  async renewClaim(id: string): Promise<void> {
    await this.db.updateTable('trigger_instances').set({ updated_at: sql`now()` }).where('id', '=', id).where('status', '=', 'processing').execute();
  }
}
