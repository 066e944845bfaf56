import { ApiProperty } from '@nestjs/swagger';
import { RuleEnforcementResponseDto } from '../enforcements/rule-enforcement.dto';
import { ExecutionResponseDto } from '../executions/execution.dto';
import { TriggerInstanceResponseDto } from '../triggers/trigger.dto';
import { PageQueryDto } from '../common/page-query.dto';

/** Traces are listed newest first, a page at a time. */
export class TraceQueryDto extends PageQueryDto {}

export class TraceSummaryDto {
  @ApiProperty({ description: 'The trace tag' })
  id!: string;

  @ApiProperty({ example: 'trace:incident-42', description: "StackStorm's uid form" })
  uid!: string;

  @ApiProperty()
  trace_tag!: string;

  @ApiProperty({ format: 'date-time', description: 'When its first trigger instance occurred' })
  start_timestamp!: string;

  @ApiProperty({ description: 'How many trigger instances it holds (re-emits and actiontriggers of its executions included)' })
  trigger_instances!: number;
}

/** One event and everything it caused. */
export class TraceResponseDto {
  @ApiProperty({ description: 'The trace tag' })
  id!: string;

  @ApiProperty()
  trace_tag!: string;

  @ApiProperty({ type: [TriggerInstanceResponseDto], description: 'Oldest first' })
  trigger_instances!: TriggerInstanceResponseDto[];

  @ApiProperty({ type: [RuleEnforcementResponseDto] })
  rule_enforcements!: RuleEnforcementResponseDto[];

  @ApiProperty({ type: [ExecutionResponseDto], description: 'The executions the rules started, and those these started in turn (parent)' })
  executions!: ExecutionResponseDto[];
}
