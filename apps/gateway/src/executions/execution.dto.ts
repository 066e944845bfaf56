import { applyDecorators } from '@nestjs/common';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import { IsArray, IsIn, IsInt, IsObject, IsOptional, IsString, Max, Min, ValidateBy } from 'class-validator';
import { EXECUTION_STATUSES, notifyViolations } from '@tempest/domain';
import { TimeWindowQueryDto } from '../common/time-window-query.dto';

export class NotifySectionDto {
  @ApiPropertyOptional({ description: 'Jinja, rendered against action_parameters (secrets masked), action_context and action_results when the execution ends; default "Action <ref> succeeded." (completed., failed.)' })
  message?: string;

  @ApiPropertyOptional({ type: 'object', additionalProperties: true, description: 'Sent with the message; its strings rendered like the message' })
  data?: Record<string, unknown>;

  @ApiPropertyOptional({ type: [String], description: 'One core.st2.generic.notifytrigger per route' })
  routes?: string[];

  @ApiPropertyOptional({ type: [String], deprecated: true, description: "StackStorm's older name for routes" })
  channels?: string[];
}

/** StackStorm's notify: what an execution tells when it ends, and where. */
export class NotifyDto {
  @ApiPropertyOptional({ type: NotifySectionDto, description: 'Whatever the end' })
  'on-complete'?: NotifySectionDto;

  @ApiPropertyOptional({ type: NotifySectionDto, description: 'When it succeeded' })
  'on-success'?: NotifySectionDto;

  @ApiPropertyOptional({ type: NotifySectionDto, description: 'When it failed, timed out or was abandoned' })
  'on-failure'?: NotifySectionDto;
}

/** A notify as StackStorm's schema has it; the message names every field that breaks it. */
const IsNotify = () =>
  ValidateBy({
    name: 'isNotify',
    validator: {
      validate: (value: unknown) => notifyViolations('notify', value).length === 0,
      defaultMessage: (args) => notifyViolations('notify', args?.value).join('; '),
    },
  });

/** The longest `delay` taken: a day, in milliseconds. */
const MAX_DELAY_MS = 86_400_000;

/** StackStorm's `delay` (`st2 run --delay`, `st2 execution re-run --delay`): milliseconds the execution waits, `delayed`, before it runs. */
const IsDelay = () =>
  applyDecorators(
    ApiPropertyOptional({ type: Number, example: 0, minimum: 0, maximum: MAX_DELAY_MS, description: "StackStorm's: milliseconds the execution waits, `delayed`, before it runs" }),
    IsOptional(),
    IsInt({ message: 'delay must be an integer number of milliseconds' }),
    Min(0, { message: 'delay must be at least 0' }),
    Max(MAX_DELAY_MS, { message: `delay must be at most ${MAX_DELAY_MS} (a day)` }),
  );

export class ExecutionCreateDto {
  @ApiProperty({ example: 'core.local', description: 'The action to run' })
  @IsString({ message: 'action must be an action ref such as core.local' })
  action!: string;

  @ApiPropertyOptional({ type: 'object', additionalProperties: true, example: { cmd: 'uptime' } })
  @IsOptional()
  @IsObject({ message: 'parameters must be an object of parameter names to values' })
  parameters?: Record<string, unknown>;

  @ApiPropertyOptional({ type: NotifyDto, description: "StackStorm's notify; the action's own notify, if it has one, is used instead (as StackStorm does)" })
  @IsOptional()
  @IsNotify()
  notify?: NotifyDto;

  @ApiPropertyOptional({ description: "StackStorm's user to run as: null (as `st2 run` sends it) or the caller's own name; running as another user is refused" })
  @IsOptional()
  @Transform(({ value }) => value ?? undefined)
  @IsString({ message: 'user must be a user name' })
  user?: string;

  @IsDelay()
  delay?: number;
}

export class ExecutionRerunDto {
  @ApiPropertyOptional({ type: 'object', additionalProperties: true, description: 'Overrides of the original parameters' })
  @IsOptional()
  @IsObject({ message: 'parameters must be an object of parameter names to values' })
  parameters?: Record<string, unknown>;

  @ApiPropertyOptional({ type: [String], example: ['check'], description: 'A failed Orquesta workflow: the tasks to run again, keeping what the others published (as StackStorm)' })
  @IsOptional()
  @IsArray({ message: 'tasks must be a list of task names' })
  @IsString({ each: true, message: 'tasks must be a list of task names' })
  tasks?: string[];

  @ApiPropertyOptional({ type: [String], description: 'Of `tasks`, the with-items tasks whose every item runs again (by default only the items that failed)' })
  @IsOptional()
  @IsArray({ message: 'reset must be a list of task names' })
  @IsString({ each: true, message: 'reset must be a list of task names' })
  reset?: string[];

  @IsDelay()
  delay?: number;
}

/** The statuses PUT /executions/{id} asks for, as StackStorm's API takes them: pause, resume or cancel. */
export const EXECUTION_UPDATE_STATUSES = ['pausing', 'paused', 'resuming', 'canceling', 'canceled'] as const;
export type ExecutionUpdateStatus = (typeof EXECUTION_UPDATE_STATUSES)[number];

export class ExecutionUpdateDto {
  @ApiProperty({ enum: EXECUTION_UPDATE_STATUSES, description: '`pausing` (or `paused`) pauses a workflow, `resuming` resumes it, `canceling` (or `canceled`) cancels the execution' })
  @IsIn(EXECUTION_UPDATE_STATUSES, { message: `status must be one of ${EXECUTION_UPDATE_STATUSES.join(', ')}` })
  status!: ExecutionUpdateStatus;
}

/** Requested within the time window (TimeWindowQueryDto). */
export class ExecutionQueryDto extends TimeWindowQueryDto {
  @ApiPropertyOptional({ description: 'Action ref' })
  @IsOptional()
  @IsString()
  action?: string;

  @ApiPropertyOptional({ enum: EXECUTION_STATUSES })
  @IsOptional()
  @IsIn(EXECUTION_STATUSES, { message: `status must be one of ${EXECUTION_STATUSES.join(', ')}` })
  status?: string;

  @ApiPropertyOptional({ description: 'Id of the parent execution' })
  @IsOptional()
  @IsString()
  parent?: string;

  @ApiPropertyOptional({ description: 'Who asked for the execution' })
  @IsOptional()
  @IsString()
  user?: string;

  @ApiPropertyOptional({ description: 'Id of the trigger instance whose rule started it (StackStorm\'s `trigger_instance`)' })
  @IsOptional()
  @IsString()
  trigger_instance?: string;
}

/** Output chunk ids are Postgres bigints. */
const MAX_CHUNK_ID = 2n ** 63n - 1n;
export const MAX_WAIT_SECONDS = 30;

/** The streams an action's output is written on. */
export const OUTPUT_STREAMS = ['stdout', 'stderr'] as const;
export type OutputStream = (typeof OUTPUT_STREAMS)[number];

export class ExecutionOutputQueryDto {
  @ApiPropertyOptional({ description: 'Only chunks after this chunk id', pattern: '^[0-9]{1,19}$', example: '0' })
  @IsOptional()
  @ValidateBy({
    name: 'isChunkId',
    validator: {
      validate: (value: unknown) => typeof value === 'string' && /^[0-9]{1,19}$/.test(value) && BigInt(value) <= MAX_CHUNK_ID,
      defaultMessage: () => `after must be a chunk id: a whole number from 0 to ${MAX_CHUNK_ID}`,
    },
  })
  after?: string;

  @ApiPropertyOptional({ minimum: 0, maximum: MAX_WAIT_SECONDS, default: 0, description: `Seconds (up to ${MAX_WAIT_SECONDS}) to wait for new output while the execution runs: follow mode` })
  @IsOptional()
  @Type(() => Number)
  @IsInt({ message: 'wait must be a whole number of seconds' })
  @Min(0, { message: 'wait must be at least 0' })
  @Max(MAX_WAIT_SECONDS, { message: `wait must be at most ${MAX_WAIT_SECONDS}` })
  wait: number = 0;

  @ApiPropertyOptional({ enum: OUTPUT_STREAMS, description: "StackStorm's: only this stream, answered as text (what `st2 execution tail --type` asks)" })
  @IsOptional()
  @IsIn(OUTPUT_STREAMS, { message: `output_type must be ${OUTPUT_STREAMS.join(' or ')}` })
  output_type?: OutputStream;
}

export class ExecutionChildrenQueryDto {
  @ApiPropertyOptional({ default: -1, minimum: -1, description: "How many levels of descendants (StackStorm's depth): 1 lists the direct children, -1 every level" })
  @IsOptional()
  @Type(() => Number)
  @IsInt({ message: 'depth must be a whole number (-1 for every level)' })
  @Min(-1, { message: 'depth must be -1 (every level) or at least 1' })
  depth: number = -1;
}

export class ExecutionActionDto {
  @ApiProperty({ example: 'core.local' })
  ref!: string;

  @ApiProperty({ example: 'core' })
  pack!: string;

  @ApiProperty({ example: 'local-shell-cmd' })
  runner_type!: string;
}

export class StatusChangeDto {
  @ApiProperty({ enum: EXECUTION_STATUSES })
  status!: string;

  @ApiProperty({ format: 'date-time' })
  at!: string;
}

/** An execution, with StackStorm's field names. */
export class ExecutionResponseDto {
  @ApiProperty({ description: 'Execution id; also the Temporal workflow id' })
  id!: string;

  @ApiProperty({ type: ExecutionActionDto })
  action!: ExecutionActionDto;

  @ApiProperty({ type: 'object', additionalProperties: true, description: 'Secret values masked' })
  parameters!: Record<string, unknown>;

  @ApiProperty({ enum: EXECUTION_STATUSES })
  status!: string;

  @ApiProperty({ type: [StatusChangeDto] })
  status_history!: StatusChangeDto[];

  @ApiProperty({ type: 'object', additionalProperties: true, description: 'Who and what asked for it: user, source (api, cli, rule, ...)' })
  context!: Record<string, unknown>;

  @ApiPropertyOptional({ description: 'The runner\'s result, once finished' })
  result?: unknown;

  @ApiPropertyOptional({ type: NotifyDto, description: 'What it tells when it ends (a core.st2.generic.notifytrigger per route)' })
  notify?: NotifyDto;

  @ApiPropertyOptional()
  parent?: string;

  @ApiPropertyOptional({ type: [String], description: "GET /executions/{id} only: the executions it started directly (a workflow's tasks), as StackStorm's; `st2 execution tail` of a running workflow follows their output by it" })
  children?: string[];

  @ApiProperty({ format: 'date-time' })
  start_timestamp!: string;

  @ApiPropertyOptional({ format: 'date-time' })
  end_timestamp?: string;

  @ApiPropertyOptional({ description: 'Seconds from request to end' })
  elapsed_seconds?: number;

  @ApiProperty()
  workflow_id!: string;

  @ApiPropertyOptional()
  run_id?: string;

  @ApiProperty({ description: 'The workflow in Temporal Web' })
  web_url!: string;
}

export class OutputChunkDto {
  @ApiProperty({ description: 'Pass as `after` to read only what follows' })
  id!: string;

  @ApiProperty({ enum: ['stdout', 'stderr'] })
  stream!: string;

  @ApiProperty()
  data!: string;

  @ApiProperty({ format: 'date-time' })
  timestamp!: string;
}
