import { sql } from 'kysely';
import type { Database } from '../database';
import type { SensorLease } from '../schema';

/**
 * Sensor leases: one owner per sensor. Times are the database's, so the
 * containers' clocks never have to agree.
 */
export class SensorLeaseRepository {
  constructor(private readonly db: Database) {}

  /**
   * Takes or renews the leases of `sensorRefs` for `owner` until `seconds`
   * from now. A lease held by another owner is taken only once it has
   * expired. Returns the refs `owner` holds afterwards.
   */
  async acquire(owner: string, sensorRefs: string[], seconds: number): Promise<string[]> {
    if (sensorRefs.length === 0) return [];
    const expiresAt = sql<Date>`now() + make_interval(secs => ${seconds})`;
    const rows = await this.db
      .insertInto('sensor_leases')
      .values(sensorRefs.map((ref) => ({ sensor_ref: ref, owner, expires_at: expiresAt })))
      .onConflict((oc) =>
        oc
          .column('sensor_ref')
          .doUpdateSet((eb) => ({
            owner: eb.ref('excluded.owner'),
            expires_at: eb.ref('excluded.expires_at'),
            acquired_at: sql`case when sensor_leases.owner = excluded.owner then sensor_leases.acquired_at else now() end`,
          }))
          .where(sql<boolean>`sensor_leases.owner = excluded.owner or sensor_leases.expires_at <= now()`),
      )
      .returning('sensor_ref')
      .execute();
    return rows.map((r) => r.sensor_ref);
  }

  /**
   * Gives up the leases of `sensorRefs` (all of them when absent), so another
   * owner may take them at once; `except` keeps those.
   */
  async release(owner: string, filter: { sensorRefs?: string[]; except?: string[] } = {}): Promise<void> {
    if (filter.sensorRefs?.length === 0) return;
    let query = this.db.deleteFrom('sensor_leases').where('owner', '=', owner);
    if (filter.sensorRefs) query = query.where('sensor_ref', 'in', filter.sensorRefs);
    if (filter.except?.length) query = query.where('sensor_ref', 'not in', filter.except);
    await query.execute();
  }

  /**
   * Whether `owner` holds an unexpired lease on the sensor. In a transaction
   * it locks the lease row, so the lease cannot pass to another owner before
   * the transaction ends: a write guarded by it is never made by two owners.
   */
  async isHeld(owner: string, sensorRef: string): Promise<boolean> {
    const row = await this.db
      .selectFrom('sensor_leases')
      .select('sensor_ref')
      .where('sensor_ref', '=', sensorRef)
      .where('owner', '=', owner)
      .where('expires_at', '>', sql<Date>`now()`)
      .forShare()
      .executeTakeFirst();
    return row !== undefined;
  }

  search(): Promise<SensorLease[]> {
    return this.db.selectFrom('sensor_leases').selectAll().orderBy('sensor_ref').execute();
  }
}
