import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString } from 'class-validator';
import { TimeWindowQueryDto } from '../common/time-window-query.dto';

export const TRIGGER_INSTANCE_STATUSES = ['pending', 'processing', 'processed', 'processing_failed'] as const;

/** A trigger type, with StackStorm's field names. */
export class TriggerTypeResponseDto {
  @ApiProperty({ example: 'core.st2.webhook' })
  ref!: string;

  @ApiProperty({ example: 'core' })
  pack!: string;

  @ApiProperty({ example: 'st2.webhook' })
  name!: string;

  @ApiProperty()
  description!: string;

  @ApiProperty({ type: 'object', additionalProperties: true, description: 'JSON schema of the parameters a rule gives the trigger' })
  parameters_schema!: Record<string, unknown>;

  @ApiProperty({ type: 'object', additionalProperties: true, description: 'JSON schema every payload of this trigger satisfies' })
  payload_schema!: Record<string, unknown>;

  @ApiProperty({ description: 'Built into Tempest (core.st2.*) rather than defined by a pack' })
  builtin!: boolean;

  @ApiPropertyOptional({ example: 'triggers/alert.yaml' })
  metadata_file?: string;
}

/** Occurred within the time window (TimeWindowQueryDto). */
export class TriggerInstanceQueryDto extends TimeWindowQueryDto {
  @ApiPropertyOptional({ description: 'Trigger type ref' })
  @IsOptional()
  @IsString()
  trigger?: string;

  @ApiPropertyOptional({ enum: TRIGGER_INSTANCE_STATUSES })
  @IsOptional()
  @IsIn(TRIGGER_INSTANCE_STATUSES, { message: `status must be one of ${TRIGGER_INSTANCE_STATUSES.join(', ')}` })
  status?: string;

  @ApiPropertyOptional({ description: 'Trace tag' })
  @IsOptional()
  @IsString()
  trace_tag?: string;

}

/** One event, as it was received. */
export class TriggerInstanceResponseDto {
  @ApiProperty()
  id!: string;

  @ApiProperty({ example: 'core.st2.webhook', description: 'Trigger type ref' })
  trigger!: string;

  @ApiProperty({ type: 'object', additionalProperties: true, example: { url: 'alerts' } })
  parameters!: Record<string, unknown>;

  @ApiProperty({ type: 'object', additionalProperties: true })
  payload!: Record<string, unknown>;

  @ApiProperty({ format: 'date-time' })
  occurrence_time!: string;

  @ApiProperty({ enum: TRIGGER_INSTANCE_STATUSES })
  status!: string;

  @ApiProperty({ description: 'Groups this event with the enforcements and executions it caused: GET /traces/{trace_tag}' })
  trace_tag!: string;

  @ApiProperty({ example: 'webhook', description: 'What emitted it: webhook, api, sensor, timer, datastore, actiontrigger, re_emit' })
  source!: string;

  @ApiPropertyOptional()
  idempotency_key?: string;

  @ApiProperty({ type: 'object', additionalProperties: true })
  context!: Record<string, unknown>;

  @ApiPropertyOptional({ description: 'Why processing failed' })
  error?: string;
}
