import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsISO8601, IsOptional, IsString } from 'class-validator';
import type { RuleEnforcement } from '@tempest/db';
import { PageQueryDto } from '../common/page-query.dto';

/** The rule an enforcement applied, as StackStorm names it there. */
export class RuleEnforcementRuleDto {
  @ApiProperty({ example: 'examples.restart_on_alert' })
  ref!: string;

  @ApiProperty({ example: 'examples.restart_on_alert', description: 'The rule\'s id as GET /api/v1/rules answers it (its ref)' })
  id!: string;

  @ApiProperty({ example: 'rule:examples:restart_on_alert', description: "StackStorm's uid form" })
  uid!: string;
}

/** What one matched rule did for one trigger instance. */
export class RuleEnforcementResponseDto {
  @ApiProperty()
  id!: string;

  @ApiProperty({ type: RuleEnforcementRuleDto, description: "StackStorm's shape: `st2 rule-enforcement` shows rule.ref" })
  rule!: RuleEnforcementRuleDto;

  @ApiProperty({ example: 'examples.restart_on_alert', description: 'The rule\'s ref, flat' })
  rule_ref!: string;

  @ApiProperty()
  trigger_instance_id!: string;

  @ApiPropertyOptional({ description: 'The execution it started' })
  execution_id?: string;

  @ApiProperty({ enum: ['succeeded', 'failed'] })
  status!: string;

  @ApiPropertyOptional({ description: 'Why no execution started: rendering error, invalid parameters, action missing or disabled', example: 'rendering error: rule examples.x: action parameter cmd: "host" is undefined' })
  failure_reason?: string;

  @ApiProperty({ format: 'date-time' })
  enforced_at!: string;
}

export class RuleEnforcementQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ description: 'Rule ref' })
  @IsOptional()
  @IsString()
  rule?: string;

  @ApiPropertyOptional({ description: "Rule ref, as StackStorm's clients name it (`st2 rule-enforcement list --rule`)" })
  @IsOptional()
  @IsString()
  rule_ref?: string;

  @ApiPropertyOptional({ description: 'Rule id (as GET /api/v1/rules answers it: its ref)' })
  @IsOptional()
  @IsString()
  rule_id?: string;

  @ApiPropertyOptional({ description: 'Trigger instance id' })
  @IsOptional()
  @IsString()
  trigger_instance?: string;

  @ApiPropertyOptional({ description: 'Execution id' })
  @IsOptional()
  @IsString()
  execution?: string;

  @ApiPropertyOptional({ format: 'date-time', description: 'Enforced after this time (`st2 rule-enforcement list --timestamp-gt`)' })
  @IsOptional()
  @IsISO8601({ strict: true }, { message: 'enforced_at_gt must be an ISO 8601 time' })
  enforced_at_gt?: string;

  @ApiPropertyOptional({ format: 'date-time', description: 'Enforced before this time (`--timestamp-lt`)' })
  @IsOptional()
  @IsISO8601({ strict: true }, { message: 'enforced_at_lt must be an ISO 8601 time' })
  enforced_at_lt?: string;
}

/** StackStorm's reference to a rule: Tempest's rules are identified by their ref. */
export function ruleReference(ref: string): RuleEnforcementRuleDto {
  const dot = ref.indexOf('.');
  return { ref, id: ref, uid: `rule:${ref.slice(0, dot)}:${ref.slice(dot + 1)}` };
}

export function mapEnforcement(enforcement: RuleEnforcement): RuleEnforcementResponseDto {
  return {
    id: enforcement.id,
    rule: ruleReference(enforcement.rule_ref),
    rule_ref: enforcement.rule_ref,
    trigger_instance_id: enforcement.trigger_instance_id,
    execution_id: enforcement.execution_id ?? undefined,
    status: enforcement.status,
    failure_reason: enforcement.failure_reason ?? undefined,
    enforced_at: enforcement.enforced_at.toISOString(),
  };
}
