import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString } from 'class-validator';
import { PageQueryDto } from '../common/page-query.dto';

export class ActionAliasQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ description: 'Only the aliases of this pack' })
  @IsOptional()
  @IsString()
  pack?: string;
}

/** An action alias as StackStorm's API shows it (ActionAliasAPI). */
export class ActionAliasResponseDto {
  @ApiProperty({ example: 'examples.remote_shell_cmd', description: 'Its ref (StackStorm gives a database id here)' })
  id!: string;

  @ApiProperty({ example: 'examples.remote_shell_cmd' })
  ref!: string;

  @ApiProperty({ example: 'action_alias:examples:remote_shell_cmd' })
  uid!: string;

  @ApiProperty()
  name!: string;

  @ApiProperty()
  pack!: string;

  @ApiProperty()
  description!: string;

  @ApiProperty()
  enabled!: boolean;

  @ApiProperty({ example: 'core.remote' })
  action_ref!: string;

  @ApiProperty({ type: 'array', items: {}, example: ['run {{cmd}} on {{hosts}}'], description: 'Texts, or {display, representation: [texts]}' })
  formats!: unknown[];

  @ApiPropertyOptional({ type: 'object', additionalProperties: true })
  ack?: Record<string, unknown>;

  @ApiPropertyOptional({ type: 'object', additionalProperties: true })
  result?: Record<string, unknown>;

  @ApiPropertyOptional({ type: 'object', additionalProperties: true })
  immutable_parameters?: Record<string, unknown>;

  @ApiProperty({ example: 'aliases/remote_shell_cmd.yaml' })
  metadata_file!: string;
}
