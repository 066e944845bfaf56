import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { Allow, IsBoolean, IsIn, IsNotEmptyObject, IsObject, IsOptional, IsString, Matches, ValidateNested } from 'class-validator';
import { PageQueryDto } from '../common/page-query.dto';

export class RuleTriggerDto {
  @ApiProperty({ example: 'core.st2.webhook', description: 'Trigger type ref' })
  @IsString({ message: 'trigger.type must be a trigger type ref such as core.st2.webhook' })
  type!: string;

  @ApiPropertyOptional({ type: 'object', additionalProperties: true, example: { url: 'alerts' } })
  @IsOptional()
  @IsObject({ message: 'trigger.parameters must be an object' })
  parameters?: Record<string, unknown>;
}

export class RuleActionDto {
  @ApiProperty({ example: 'core.local' })
  @IsString({ message: 'action.ref must be an action ref such as core.local' })
  ref!: string;

  @ApiPropertyOptional({ type: 'object', additionalProperties: true, example: { cmd: 'echo {{ trigger.body.host }}' }, description: 'Jinja templates reading trigger, st2kv.system, st2kv.user' })
  @IsOptional()
  @IsObject({ message: 'action.parameters must be an object' })
  parameters?: Record<string, unknown>;
}

/** A rule as StackStorm writes it. */
export class RuleCreateDto {
  @ApiProperty({ example: 'restart_on_alert' })
  @Matches(/^[A-Za-z0-9_][A-Za-z0-9_.-]*$/, { message: 'name must be letters, digits, underscores, dots and dashes' })
  name!: string;

  @ApiPropertyOptional({ example: 'examples', description: 'A registered pack; without one, `default` (as StackStorm)' })
  @IsOptional()
  @IsString({ message: 'pack must be the ref of a registered pack' })
  pack?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  description?: string;

  @ApiPropertyOptional({ default: true })
  @IsOptional()
  @IsBoolean({ message: 'enabled must be true or false' })
  enabled?: boolean;

  @ApiPropertyOptional({ enum: ['standard', 'backstop'], default: 'standard', description: 'backstop rules fire only when no standard rule of the trigger matched' })
  @IsOptional()
  @IsIn(['standard', 'backstop'], { message: 'type must be standard or backstop' })
  type?: 'standard' | 'backstop';

  @ApiProperty({ type: RuleTriggerDto })
  @IsNotEmptyObject({}, { message: 'trigger must be an object: {type, parameters}' })
  @ValidateNested()
  @Type(() => RuleTriggerDto)
  trigger!: RuleTriggerDto;

  @ApiPropertyOptional({ type: 'object', additionalProperties: true, example: { 'trigger.body.severity': { type: 'equals', pattern: 'critical' } } })
  @IsOptional()
  @IsObject({ message: 'criteria must be an object of "trigger.path": {type, pattern}' })
  criteria?: Record<string, unknown>;

  @ApiProperty({ type: RuleActionDto })
  @IsNotEmptyObject({}, { message: 'action must be an object: {ref, parameters}' })
  @ValidateNested()
  @Type(() => RuleActionDto)
  action!: RuleActionDto;

  @ApiPropertyOptional({ type: 'object', additionalProperties: true })
  @IsOptional()
  @IsObject({ message: 'context must be an object' })
  context?: Record<string, unknown>;
}

/**
 * PUT /rules/{ref}: a rule as created, or as StackStorm's CLI sends it back
 * (`st2 rule enable|disable` PUTs the rule it read): the read-only fields it
 * echoes are taken and ignored.
 */
export class RuleReplaceDto extends RuleCreateDto {
  @ApiPropertyOptional({ readOnly: true })
  @Allow()
  id?: unknown;

  @ApiPropertyOptional({ readOnly: true })
  @Allow()
  uid?: unknown;

  @ApiPropertyOptional({ readOnly: true })
  @Allow()
  ref?: unknown;

  @ApiPropertyOptional({ readOnly: true })
  @Allow()
  metadata_file?: unknown;

  @ApiPropertyOptional({ readOnly: true })
  @Allow()
  created_by?: unknown;

  @ApiPropertyOptional({ readOnly: true })
  @Allow()
  registered_at?: unknown;

  @ApiPropertyOptional({ readOnly: true })
  @Allow()
  updated_at?: unknown;
}

export class RuleUpdateDto {
  @ApiProperty({ description: 'Whether the rule fires' })
  @IsBoolean({ message: 'enabled must be true or false' })
  enabled!: boolean;
}

export class RuleQueryDto extends PageQueryDto {
  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  pack?: string;

  @ApiPropertyOptional({ description: 'Trigger type ref' })
  @IsOptional()
  @IsString()
  trigger?: string;

  @ApiPropertyOptional({ description: 'Action ref' })
  @IsOptional()
  @IsString()
  action?: string;

  @ApiPropertyOptional({ enum: ['true', 'false'] })
  @IsOptional()
  @IsIn(['true', 'false'], { message: 'enabled must be true or false' })
  enabled?: string;
}

export class RuleTriggerResponseDto {
  @ApiProperty()
  type!: string;

  @ApiProperty({ type: 'object', additionalProperties: true, description: 'A literal hmac_secret is masked' })
  parameters!: Record<string, unknown>;
}

export class RuleActionResponseDto {
  @ApiProperty()
  ref!: string;

  @ApiProperty({ type: 'object', additionalProperties: true })
  parameters!: Record<string, unknown>;
}

/** A rule, with StackStorm's field names. */
export class RuleResponseDto {
  @ApiProperty({ example: 'examples.restart_on_alert', description: 'Its ref: rules are found by ref or id alike, as in StackStorm' })
  id!: string;

  @ApiProperty({ example: 'rule:examples:restart_on_alert', description: "StackStorm's uid form" })
  uid!: string;

  @ApiProperty({ example: 'examples.restart_on_alert' })
  ref!: string;

  @ApiProperty()
  pack!: string;

  @ApiProperty()
  name!: string;

  @ApiProperty()
  description!: string;

  @ApiProperty()
  enabled!: boolean;

  @ApiProperty({ enum: ['standard', 'backstop'] })
  type!: string;

  @ApiProperty({ type: RuleTriggerResponseDto })
  trigger!: RuleTriggerResponseDto;

  @ApiProperty({ type: 'object', additionalProperties: true })
  criteria!: Record<string, unknown>;

  @ApiProperty({ type: RuleActionResponseDto })
  action!: RuleActionResponseDto;

  @ApiProperty({ type: 'object', additionalProperties: true })
  context!: Record<string, unknown>;

  @ApiPropertyOptional({ description: 'The pack file it comes from; absent for rules made through the API', example: 'rules/restart_on_alert.yaml' })
  metadata_file?: string;

  @ApiProperty({ description: 'Who made it; its executions run as this user unless context.user says otherwise' })
  created_by!: string;

  @ApiProperty({ format: 'date-time' })
  registered_at!: string;

  @ApiProperty({ format: 'date-time' })
  updated_at!: string;
}
