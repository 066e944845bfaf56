import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional } from 'class-validator';
import { TIMER_TRIGGER_TYPES } from '@tempest/domain';
import type { TimerInUse } from './timers-in-use';

export class TimerQueryDto {
  @ApiPropertyOptional({ enum: TIMER_TRIGGER_TYPES, description: 'Only timers of this trigger type' })
  @IsOptional()
  @IsIn(TIMER_TRIGGER_TYPES, { message: `timer_type must be one of ${TIMER_TRIGGER_TYPES.join(', ')}` })
  timer_type?: string;
}

/**
 * A timer as StackStorm lists it (`st2 timer list`): the trigger of one timer
 * type and parameters that rules use. Tempest runs each on a Temporal
 * Schedule, whose id is the timer's id.
 */
export class TimerResponseDto {
  @ApiProperty({ example: 'tempest-timer-core.st2.IntervalTimer-e4c6c021807da195', description: 'Its Temporal schedule id' })
  id!: string;

  @ApiProperty({ example: 'trigger:core:tempest-timer-core.st2.IntervalTimer-e4c6c021807da195' })
  uid!: string;

  @ApiProperty({ example: 'core.tempest-timer-core.st2.IntervalTimer-e4c6c021807da195' })
  ref!: string;

  @ApiProperty()
  name!: string;

  @ApiProperty({ example: 'core' })
  pack!: string;

  @ApiProperty({ enum: TIMER_TRIGGER_TYPES, description: 'The timer trigger type' })
  type!: string;

  @ApiProperty({ type: 'object', additionalProperties: true, example: { unit: 'minutes', delta: 5 } })
  parameters!: Record<string, unknown>;

  @ApiProperty({ type: [String], description: 'The rules that use it' })
  rules!: string[];

  @ApiProperty({ description: 'Whether an enabled rule uses it (its schedule runs); false while only disabled rules do (paused)' })
  enabled!: boolean;
}

export function mapTimer({ id, timer, rules, paused }: TimerInUse): TimerResponseDto {
  return { id, uid: `trigger:core:${id}`, ref: `core.${id}`, name: id, pack: 'core', type: timer.type, parameters: timer.parameters, rules, enabled: !paused };
}
