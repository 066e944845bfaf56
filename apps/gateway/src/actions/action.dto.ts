import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsBoolean } from 'class-validator';

/** An action, with StackStorm's field names. */
export class ActionResponseDto {
  @ApiProperty({ example: 'core.local', description: 'Its ref: actions are found by ref or id alike, as in StackStorm' })
  id!: string;

  @ApiProperty({ example: 'action:core:local', description: "StackStorm's uid form" })
  uid!: string;

  @ApiProperty({ example: 'core.local' })
  ref!: string;

  @ApiProperty({ example: 'core' })
  pack!: string;

  @ApiProperty({ example: 'local' })
  name!: string;

  @ApiProperty()
  description!: string;

  @ApiProperty({ example: 'local-shell-cmd' })
  runner_type!: string;

  @ApiPropertyOptional({ description: 'File the runner executes, relative to the pack\'s actions folder' })
  entry_point?: string;

  @ApiProperty()
  enabled!: boolean;

  @ApiProperty({ type: 'object', additionalProperties: true, description: 'Parameter name to JSON schema with StackStorm\'s extensions' })
  parameters!: Record<string, unknown>;

  @ApiPropertyOptional({ type: 'object', additionalProperties: true })
  output_schema?: Record<string, unknown>;

  @ApiProperty({ type: 'array', items: { type: 'object', properties: { name: { type: 'string' }, value: { type: 'string' } } } })
  tags!: { name: string; value?: string }[];

  @ApiProperty({ example: 'actions/local.yaml' })
  metadata_file!: string;

  @ApiProperty({ format: 'date-time' })
  registered_at!: string;

  @ApiProperty({ format: 'date-time' })
  updated_at!: string;
}

export class ActionUpdateDto {
  @ApiProperty({ description: 'Whether the action may run' })
  @IsBoolean({ message: 'enabled must be true or false' })
  enabled!: boolean;
}
