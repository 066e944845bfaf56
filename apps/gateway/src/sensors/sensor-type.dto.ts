import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsBoolean } from 'class-validator';

/** A pack sensor, with StackStorm's field names. */
export class SensorTypeResponseDto {
  @ApiProperty({ example: 'examples.FileTailSensor', description: 'Its ref: sensors are found by ref or id alike, as in StackStorm' })
  id!: string;

  @ApiProperty({ example: 'sensor_type:examples:FileTailSensor', description: "StackStorm's uid form" })
  uid!: string;

  @ApiProperty({ example: 'examples.FileTailSensor' })
  ref!: string;

  @ApiProperty({ example: 'examples' })
  pack!: string;

  @ApiProperty({ example: 'FileTailSensor' })
  name!: string;

  @ApiProperty({ example: 'FileTailSensor', description: 'The class the module exports' })
  class_name!: string;

  @ApiProperty({ example: 'file_tail.ts', description: "The module, relative to the pack's sensors folder" })
  entry_point!: string;

  @ApiProperty()
  description!: string;

  @ApiProperty({ description: 'Whether a sensor container runs it' })
  enabled!: boolean;

  @ApiPropertyOptional({ description: 'Seconds between polls of a polling sensor; absent: the default (5)' })
  poll_interval?: number;

  @ApiProperty({ type: [String], example: ['examples.file_line'], description: 'Refs of the trigger types it dispatches' })
  trigger_types!: string[];

  @ApiProperty({ example: 'sensors/file_tail.yaml' })
  metadata_file!: string;

  @ApiProperty({ format: 'date-time' })
  registered_at!: string;

  @ApiProperty({ format: 'date-time' })
  updated_at!: string;
}

export class SensorTypeUpdateDto {
  @ApiProperty({ description: 'Whether a sensor container runs it; takes effect within a second, without a restart' })
  @IsBoolean({ message: 'enabled must be true or false' })
  enabled!: boolean;
}
