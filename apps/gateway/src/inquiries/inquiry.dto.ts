import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsObject, IsOptional, IsString } from 'class-validator';

/** An inquiry as StackStorm's API shows it (InquiryResponseAPI): the execution waiting, and what it asks. */
export class InquiryDto {
  @ApiProperty({ description: 'The id of the execution of core.ask (or any inquirer action) that waits' })
  id!: string;

  @ApiProperty({ description: 'For rules to pick whom to ask (the core.st2.generic.inquiry payload carries it)' })
  route!: string;

  @ApiProperty({ description: 'Minutes from its start before it times out; 0: never' })
  ttl!: number;

  @ApiProperty({ type: [String], description: 'Who may respond (empty: anyone)' })
  users!: string[];

  @ApiProperty({ type: [String], description: 'Roles that may respond (empty: any). Tempest has no roles: a non-empty list admits only the admin user' })
  roles!: string[];

  @ApiProperty({ type: 'object', additionalProperties: true, description: 'The JSON schema a response must match' })
  schema!: Record<string, unknown>;

  @ApiPropertyOptional({ description: 'The workflow execution it is a task of' })
  parent?: string;

  @ApiProperty({ description: 'pending while it waits; then succeeded (responded), timeout or canceled' })
  status!: string;

  @ApiPropertyOptional({ type: 'object', additionalProperties: true, description: 'The response, once given' })
  response?: Record<string, unknown>;
}

/** StackStorm's PUT body: `{"id": ..., "response": {...}}` (`id`, if given, must be the inquiry's). */
export class InquiryRespondDto {
  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  id?: string;

  @ApiProperty({ type: 'object', additionalProperties: true, example: { continue: true } })
  @IsObject({ message: 'response must be an object (the answer, matching the inquiry\'s schema)' })
  response!: Record<string, unknown>;
}

export class InquiryRespondedDto {
  @ApiProperty()
  id!: string;

  @ApiProperty({ type: 'object', additionalProperties: true })
  response!: Record<string, unknown>;
}
