import { sql } from 'kysely';
import type { Database } from '../database';
import type { SensorType } from '../schema';
import { replacePackContent, type PackContent, type ReplaceOutcome } from './pack-content';

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

/** An unchanged metadata file leaves the row alone, so `enabled` set through the API stays. */
const sensorContent: PackContent<'sensor_types', SensorTypeRecord> = {
  table: 'sensor_types',
  toRow: (sensor) => ({
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
  }),
  changedWhen: ['metadata', 'metadata_file'],
};

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
  replaceForPack(pack: string, sensors: SensorTypeRecord[]): Promise<ReplaceOutcome> {
    return replacePackContent(this.db, sensorContent, pack, sensors);
  }
}
