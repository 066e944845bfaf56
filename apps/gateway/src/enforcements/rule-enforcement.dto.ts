import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString } from 'class-validator';
import type { RuleEnforcement } from '@tempest/db';
import { PageQueryDto } from '../common/page-query.dto';

/** What one matched rule did for one trigger instance. */
export class RuleEnforcementResponseDto {
  @ApiProperty()
  id!: string;

  @ApiProperty({ example: 'examples.restart_on_alert', description: 'Rule ref' })
  rule!: string;

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

  @ApiPropertyOptional({ description: 'Trigger instance id' })
  @IsOptional()
  @IsString()
  trigger_instance?: string;

  @ApiPropertyOptional({ description: 'Execution id' })
  @IsOptional()
  @IsString()
  execution?: string;

}

export function mapEnforcement(enforcement: RuleEnforcement): RuleEnforcementResponseDto {
  return {
    id: enforcement.id,
    rule: enforcement.rule_ref,
    trigger_instance_id: enforcement.trigger_instance_id,
    execution_id: enforcement.execution_id ?? undefined,
    status: enforcement.status,
    failure_reason: enforcement.failure_reason ?? undefined,
    enforced_at: enforcement.enforced_at.toISOString(),
  };
}
