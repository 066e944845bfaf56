import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString } from 'class-validator';
import { RuleEnforcementResponseDto } from '../enforcements/rule-enforcement.dto';
import { ExecutionResponseDto } from '../executions/execution.dto';
import { TriggerInstanceResponseDto } from '../triggers/trigger.dto';
import { PageQueryDto } from '../common/page-query.dto';

/** Traces are listed newest first, a page at a time; StackStorm's filters each name something the trace holds. */
export class TraceQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ description: 'The trace tag' })
  @IsOptional()
  @IsString()
  trace_tag?: string;

  @ApiPropertyOptional({ description: 'An execution in it (a workflow task is in its workflow\'s trace)' })
  @IsOptional()
  @IsString()
  execution?: string;

  @ApiPropertyOptional({ description: 'A rule enforced in it, by id (its ref)' })
  @IsOptional()
  @IsString()
  rule?: string;

  @ApiPropertyOptional({ description: 'A trigger instance in it' })
  @IsOptional()
  @IsString()
  trigger_instance?: string;
}

/** What caused a trace component, as StackStorm links them; empty for the trace's first event. */
export class TraceCauseDto {
  @ApiPropertyOptional({ enum: ['trigger_instance', 'rule', 'action_execution'] })
  type?: string;

  @ApiPropertyOptional({ description: 'Its object_id; for a rule, `<rule id>:<trigger instance id>`', example: 'ops.restart_on_alert:8f0c…' })
  id?: string;
}

/** One trigger instance, rule or execution of a trace, in StackStorm's shape (TraceComponent). */
export class TraceComponentDto {
  @ApiProperty({ description: 'Its id (a rule\'s: its ref)' })
  object_id!: string;

  @ApiProperty({ description: 'Trigger ref, rule ref or action ref' })
  ref!: string;

  @ApiProperty({ format: 'date-time', description: 'When it joined the trace: occurred, enforced, requested' })
  updated_at!: string;

  @ApiProperty({ type: TraceCauseDto })
  caused_by!: TraceCauseDto;
}

/** A trace as StackStorm's API answers it (TraceAPI). */
export class TraceSummaryDto {
  @ApiProperty({ description: 'The trace tag' })
  id!: string;

  @ApiProperty({ example: 'trace:incident-42', description: "StackStorm's uid form" })
  uid!: string;

  @ApiProperty()
  trace_tag!: string;

  @ApiProperty({ format: 'date-time', description: 'When its first trigger instance occurred' })
  start_timestamp!: string;

  @ApiProperty({ type: [TraceComponentDto], description: 'Oldest first (re-emits and the actiontriggers and notifytriggers of its executions included)' })
  trigger_instances!: TraceComponentDto[];

  @ApiProperty({ type: [TraceComponentDto], description: 'The rules enforced, one per trigger instance it matched' })
  rules!: TraceComponentDto[];

  @ApiProperty({ type: [TraceComponentDto], description: 'The executions its rules started, and those these started in turn' })
  action_executions!: TraceComponentDto[];
}

/** One event and everything it caused: StackStorm's trace, and Tempest's detail under names StackStorm does not use. */
export class TraceResponseDto extends TraceSummaryDto {
  @ApiProperty({ type: [TriggerInstanceResponseDto], description: 'The trigger instances whole, oldest first' })
  trigger_instance_details!: TriggerInstanceResponseDto[];

  @ApiProperty({ type: [RuleEnforcementResponseDto] })
  rule_enforcements!: RuleEnforcementResponseDto[];

  @ApiProperty({ type: [ExecutionResponseDto], description: 'The executions the rules started, and those these started in turn (parent)' })
  executions!: ExecutionResponseDto[];
}
