import { Injectable, NotFoundException } from '@nestjs/common';
import { enabledFromEcho } from '../common/echoed-update';
import { SensorTypeRepository, type SensorType } from '@tempest/db';
import type { SensorTypeResponseDto } from './sensor-type.dto';

@Injectable()
export class SensorTypeService {
  constructor(private readonly sensors: SensorTypeRepository) {}

  async getAll(pack?: string): Promise<SensorTypeResponseDto[]> {
    return (await this.sensors.search({ pack })).map((sensor) => this.map(sensor));
  }

  async get(ref: string): Promise<SensorTypeResponseDto> {
    const sensor = await this.sensors.getByRef(ref);
    if (!sensor) throw new NotFoundException(`no sensor "${ref}" is registered`);
    return this.map(sensor);
  }

  /** The sensor containers follow the change at once (a database trigger notifies them). */
  /** A PUT of the resource as read, `enabled` changed (see enabledFromEcho). */
  async replace(ref: string, echoed: object): Promise<SensorTypeResponseDto> {
    const current = await this.get(ref);
    return this.setEnabled(ref, enabledFromEcho(echoed, current, current.metadata_file));
  }

  async setEnabled(ref: string, enabled: boolean): Promise<SensorTypeResponseDto> {
    const sensor = await this.sensors.setEnabled(ref, enabled);
    if (!sensor) throw new NotFoundException(`no sensor "${ref}" is registered`);
    return this.map(sensor);
  }

  private map(sensor: SensorType): SensorTypeResponseDto {
    return {
      id: sensor.ref,
      uid: `sensor_type:${sensor.pack}:${sensor.name}`,
      ref: sensor.ref,
      pack: sensor.pack,
      name: sensor.name,
      class_name: sensor.class_name,
      entry_point: sensor.entry_point,
      description: sensor.description,
      enabled: sensor.enabled,
      poll_interval: sensor.poll_interval ?? undefined,
      trigger_types: sensor.trigger_types,
      metadata_file: sensor.metadata_file,
      registered_at: sensor.registered_at.toISOString(),
      updated_at: sensor.updated_at.toISOString(),
    };
  }
}
