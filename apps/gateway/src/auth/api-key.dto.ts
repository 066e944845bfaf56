import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Allow, IsBoolean, IsNotEmpty, IsObject, IsOptional, IsString } from 'class-validator';

export class ApiKeyResponseDto {
  @ApiProperty({ format: 'uuid' })
  id!: string;

  @ApiProperty({ example: 'api_key:1b4e28ba-2fa1-11d2-883f-0016d3cca427', description: "StackStorm's uid form" })
  uid!: string;

  @ApiProperty()
  name!: string;

  @ApiProperty({ description: 'The user the key acts as' })
  user!: string;

  @ApiProperty({ description: 'First characters of the key; the key itself is never stored or shown' })
  key_prefix!: string;

  @ApiProperty({ type: 'object', additionalProperties: true, example: { used_by: 'nightly deploys' }, description: 'What the key is for' })
  metadata!: Record<string, unknown>;

  @ApiProperty()
  enabled!: boolean;

  @ApiProperty({ format: 'date-time' })
  created_at!: string;

  @ApiProperty({ format: 'date-time', nullable: true, type: String })
  last_used_at!: string | null;
}

/** A key just made: the only answer that holds the key itself. */
export class ApiKeyCreatedDto extends ApiKeyResponseDto {
  @ApiProperty({ example: 'tpst_…', description: 'The key. Shown this once: only its hash is kept' })
  key!: string;
}

/** POST /apikeys, as `st2 apikey create [-u user] [-m metadata]` sends it. */
export class ApiKeyCreateDto {
  @ApiPropertyOptional({ description: 'The user the key acts as; the caller when absent' })
  @IsOptional()
  @IsString({ message: 'user must be a string' })
  @IsNotEmpty({ message: 'user must not be empty' })
  user?: string;

  @ApiPropertyOptional({ type: 'object', additionalProperties: true, description: 'What the key is for' })
  @IsOptional()
  @IsObject({ message: 'metadata must be an object' })
  metadata?: Record<string, unknown>;

  @ApiPropertyOptional({ default: true })
  @IsOptional()
  @IsBoolean({ message: 'enabled must be true or false' })
  enabled?: boolean;
}

/**
 * PUT /apikeys/{id}: `st2 apikey enable|disable` PUTs the key it read with
 * `enabled` changed. Only `enabled` and `metadata` change; the read-only
 * fields it echoes are taken and ignored.
 */
export class ApiKeyUpdateDto {
  @ApiPropertyOptional()
  @IsOptional()
  @IsBoolean({ message: 'enabled must be true or false' })
  enabled?: boolean;

  @ApiPropertyOptional({ type: 'object', additionalProperties: true })
  @IsOptional()
  @IsObject({ message: 'metadata must be an object' })
  metadata?: Record<string, unknown>;

  @ApiPropertyOptional({ readOnly: true })
  @Allow()
  id?: unknown;

  @ApiPropertyOptional({ readOnly: true })
  @Allow()
  uid?: unknown;

  @ApiPropertyOptional({ readOnly: true })
  @Allow()
  name?: unknown;

  @ApiPropertyOptional({ readOnly: true })
  @Allow()
  user?: unknown;

  @ApiPropertyOptional({ readOnly: true })
  @Allow()
  key_prefix?: unknown;

  @ApiPropertyOptional({ readOnly: true })
  @Allow()
  created_at?: unknown;

  @ApiPropertyOptional({ readOnly: true })
  @Allow()
  last_used_at?: unknown;
}
