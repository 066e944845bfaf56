import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsObject, IsOptional, IsString, Length } from 'class-validator';
import type { TriggerInstance } from '@tempest/db';
import { RuleEnforcementResponseDto } from '../enforcements/rule-enforcement.dto';
import type { TriggerInstanceResponseDto } from '../triggers/trigger.dto';

/** What became of an event: stored, matched, and the executions started. */
export class IngestionResponseDto {
  @ApiProperty()
  trigger_instance_id!: string;

  @ApiProperty({ description: 'GET /api/v1/traces/{trace_tag} shows everything this event caused' })
  trace_tag!: string;

  @ApiProperty({ example: 'core.st2.webhook' })
  trigger!: string;

  @ApiProperty({ enum: ['processed', 'processing_failed', 'pending'], description: 'pending: stored and queued, its executions start shortly (rule_enforcements is empty until then)' })
  status!: string;

  @ApiProperty({ description: 'False when the Idempotency-Key named an event already received: nothing new was started' })
  created!: boolean;

  @ApiProperty({ type: [RuleEnforcementResponseDto], description: 'One per matched rule' })
  rule_enforcements!: RuleEnforcementResponseDto[];
}

/** A trigger instance emitted again. */
export class ReEmitResponseDto extends IngestionResponseDto {
  @ApiProperty({ example: 'Trigger instance 5b0c… successfully re-sent as 9f3a….', description: 'What `st2 trigger-instance re-emit` prints' })
  message!: string;
}

/** StackStorm's generic webhook: any trigger type, by name. */
export class WebhookDispatchDto {
  @ApiProperty({ example: 'examples.alert', description: 'Trigger type ref' })
  @IsString({ message: 'trigger must be a trigger type ref' })
  trigger!: string;

  @ApiProperty({ type: 'object', additionalProperties: true })
  @IsObject({ message: 'payload must be an object' })
  payload!: Record<string, unknown>;

  @ApiPropertyOptional({ description: 'Groups what this event causes; the trigger instance id otherwise' })
  @IsOptional()
  @IsString()
  @Length(1, 256, { message: 'trace_tag must be 1 to 256 characters' })
  trace_tag?: string;
}

export function mapTriggerInstance(instance: TriggerInstance): TriggerInstanceResponseDto {
  return {
    id: instance.id,
    trigger: instance.trigger,
    parameters: instance.parameters,
    payload: instance.payload,
    occurrence_time: instance.occurrence_time.toISOString(),
    status: instance.status,
    trace_tag: instance.trace_tag,
    source: instance.source,
    idempotency_key: instance.idempotency_key ?? undefined,
    context: instance.context,
    error: instance.error ?? undefined,
  };
}
