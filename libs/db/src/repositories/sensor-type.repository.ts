import { sql } from 'kysely';
import type { Database } from '../database';
import type { SensorType } from '../schema';
import type { ReplaceOutcome } from './action.repository';
import type { UpsertOutcome } from './pack.repository';

export interface SensorTypeRecord {
  ref: string;
  pack: string;
  name: string;
  className: string;
  entryPoint: string;
  description: string;
  enabled: boolean;
  pollInterval?: number;
  triggerTypes: string[];
  metadataFile: string;
  metadata: Record<string, unknown>;
}

/** A sensor with the folder of its pack, as the container needs it to run it. */
export type RunnableSensorType = SensorType & { pack_path: string };

/**
 * Pack sensors. Every change notifies channel `tempest_sensors` with the
 * sensor's ref (a database trigger does it), so containers follow at once.
 */
export class SensorTypeRepository {
  constructor(private readonly db: Database) {}

  search(filter: { pack?: string; enabled?: boolean } = {}): Promise<SensorType[]> {
    let query = this.db.selectFrom('sensor_types').selectAll();
    if (filter.pack) query = query.where('pack', '=', filter.pack);
    if (filter.enabled !== undefined) query = query.where('enabled', '=', filter.enabled);
    return query.orderBy('ref').execute();
  }

  getByRef(ref: string): Promise<SensorType | undefined> {
    return this.db.selectFrom('sensor_types').selectAll().where('ref', '=', ref).executeTakeFirst();
  }

  /** The enabled sensors, each with its pack's folder. */
  searchRunnable(): Promise<RunnableSensorType[]> {
    return this.db
      .selectFrom('sensor_types')
      .innerJoin('packs', 'packs.ref', 'sensor_types.pack')
      .selectAll('sensor_types')
      .select('packs.path as pack_path')
      .where('sensor_types.enabled', '=', true)
      .orderBy('sensor_types.ref')
      .execute();
  }

  setEnabled(ref: string, enabled: boolean): Promise<SensorType | undefined> {
    return this.db.updateTable('sensor_types').set({ enabled, updated_at: sql`now()` }).where('ref', '=', ref).returningAll().executeTakeFirst();
  }

  /** Makes the pack's sensors exactly `sensors`; run it in the pack's registration transaction. */
  async replaceForPack(pack: string, sensors: SensorTypeRecord[]): Promise<ReplaceOutcome> {
    const outcome: ReplaceOutcome = { created: [], updated: [], unchanged: [], removed: [] };
    for (const sensor of sensors) outcome[await this.upsert(sensor)].push(sensor.ref);
    let removal = this.db.deleteFrom('sensor_types').where('pack', '=', pack);
    if (sensors.length > 0) removal = removal.where('ref', 'not in', sensors.map((s) => s.ref));
    outcome.removed = (await removal.returning('ref').execute()).map((r) => r.ref);
    return outcome;
  }

  /** An unchanged metadata file leaves the row alone, so `enabled` set through the API stays. */
  private async upsert(sensor: SensorTypeRecord): Promise<UpsertOutcome> {
    const row = await this.db
      .insertInto('sensor_types')
      .values({
        ref: sensor.ref,
        pack: sensor.pack,
        name: sensor.name,
        class_name: sensor.className,
        entry_point: sensor.entryPoint,
        description: sensor.description,
        enabled: sensor.enabled,
        poll_interval: sensor.pollInterval ?? null,
        trigger_types: JSON.stringify(sensor.triggerTypes),
        metadata_file: sensor.metadataFile,
        metadata: JSON.stringify(sensor.metadata),
      })
      .onConflict((oc) =>
        oc
          .column('ref')
          .doUpdateSet((eb) => ({
            pack: eb.ref('excluded.pack'),
            name: eb.ref('excluded.name'),
            class_name: eb.ref('excluded.class_name'),
            entry_point: eb.ref('excluded.entry_point'),
            description: eb.ref('excluded.description'),
            enabled: eb.ref('excluded.enabled'),
            poll_interval: eb.ref('excluded.poll_interval'),
            trigger_types: eb.ref('excluded.trigger_types'),
            metadata_file: eb.ref('excluded.metadata_file'),
            metadata: eb.ref('excluded.metadata'),
            updated_at: sql`now()`,
          }))
          .where(sql<boolean>`(sensor_types.metadata, sensor_types.metadata_file) is distinct from (excluded.metadata, excluded.metadata_file)`),
      )
      .returning(sql<boolean>`xmax = 0`.as('inserted'))
      .executeTakeFirst();
    if (!row) return 'unchanged';
    return row.inserted ? 'created' : 'updated';
  }
}
