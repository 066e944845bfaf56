import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { Allow, IsBoolean, IsIn, IsInt, IsOptional, IsString, Length, Max, Min } from 'class-validator';
import { MAX_TTL_SECONDS } from '@tempest/datastore';

const SCOPES = ['system', 'user', 'st2kv.system', 'st2kv.user'];
const SCOPE_MESSAGE = 'scope must be system or user (or st2kv.system, st2kv.user)';

/** `?decrypt=true` as StackStorm's clients send it; anything else but false is refused. */
const queryBoolean = ({ value }: { value: unknown }) => (value === 'true' || value === '1' ? true : value === 'false' || value === '0' ? false : value);

/** A datastore key, with StackStorm's field names. */
export class KeyValueResponseDto {
  @ApiProperty({ example: 'smtp.host' })
  name!: string;

  @ApiProperty({ description: 'The value; a secret\'s is masked as ******** unless read with decrypt=true by a caller allowed to' })
  value!: string;

  @ApiProperty({ description: 'Stored encrypted (AES-256-GCM)' })
  secret!: boolean;

  @ApiProperty({ description: 'True when `value` is not the secret itself (masked)' })
  encrypted!: boolean;

  @ApiProperty({ enum: ['st2kv.system', 'st2kv.user'] })
  scope!: string;

  @ApiPropertyOptional({ description: 'Owner of a user-scope key' })
  user?: string;

  @ApiPropertyOptional({ format: 'date-time', description: 'When the key expires (set with ttl)' })
  expire_timestamp?: string;
}

export class KeyValueSetDto {
  @ApiPropertyOptional({ description: 'The key\'s name again, as StackStorm\'s CLI sends it (`id`); ignored' })
  @Allow()
  id?: unknown;

  @ApiPropertyOptional({ description: 'The key\'s name, as StackStorm clients repeat it; must match the path' })
  @IsOptional()
  @IsString({ message: 'name must be the key\'s name' })
  name?: string;

  @ApiProperty({ description: 'Text; store objects as JSON', example: 'mail.internal' })
  @IsString({ message: 'value must be a string (StackStorm stores text; serialise objects as JSON)' })
  value!: string;

  @ApiPropertyOptional({ description: 'Encrypt at rest and mask in answers (default false)' })
  @IsOptional()
  @IsBoolean({ message: 'secret must be true or false' })
  secret?: boolean;

  @ApiPropertyOptional({ minimum: 1, maximum: MAX_TTL_SECONDS, description: 'Seconds until the key expires; none: never' })
  @IsOptional()
  @IsInt({ message: 'ttl must be a whole number of seconds' })
  @Min(1, { message: 'ttl must be at least 1 second' })
  @Max(MAX_TTL_SECONDS, { message: `ttl must be at most ${MAX_TTL_SECONDS} seconds` })
  ttl?: number;

  @ApiPropertyOptional({ enum: SCOPES, description: 'Default system' })
  @IsOptional()
  @IsIn(SCOPES, { message: SCOPE_MESSAGE })
  scope?: string;

  @ApiPropertyOptional({ description: 'Owner of a user-scope key; default: the caller. null (as StackStorm\'s CLI sends it) is none' })
  @IsOptional()
  @Transform(({ value }) => value ?? undefined)
  @IsString()
  @Length(1, 255, { message: 'user must be 1 to 255 characters' })
  user?: string;
}

export class KeyValueScopeQueryDto {
  @ApiPropertyOptional({ enum: SCOPES, default: 'system' })
  @IsOptional()
  @IsIn(SCOPES, { message: SCOPE_MESSAGE })
  scope?: string;

  @ApiPropertyOptional({ description: 'Owner of a user-scope key; default: the caller' })
  @IsOptional()
  @IsString()
  @Length(1, 255, { message: 'user must be 1 to 255 characters' })
  user?: string;
}

export class KeyValueQueryDto extends KeyValueScopeQueryDto {
  @ApiPropertyOptional({ type: Boolean, default: false, description: 'Answer a secret in clear (system keys: any caller; user keys: their owner)' })
  @IsOptional()
  @Transform(queryBoolean)
  @IsBoolean({ message: 'decrypt must be true or false' })
  decrypt?: boolean;
}

export class KeyValueListQueryDto {
  @ApiPropertyOptional({ description: 'Only keys whose name starts with this', example: 'smtp.' })
  @IsOptional()
  @IsString()
  prefix?: string;

  @ApiPropertyOptional({ enum: [...SCOPES, 'all'], default: 'system', description: 'all: system keys and the user\'s' })
  @IsOptional()
  @IsIn([...SCOPES, 'all'], { message: 'scope must be system, user or all (or st2kv.system, st2kv.user)' })
  scope?: string;

  @ApiPropertyOptional({ description: 'Whose user-scope keys; default: the caller' })
  @IsOptional()
  @IsString()
  @Length(1, 255, { message: 'user must be 1 to 255 characters' })
  user?: string;

  @ApiPropertyOptional({ type: Boolean, default: false, description: 'Answer secrets in clear (system keys: any caller; user keys: their owner)' })
  @IsOptional()
  @Transform(queryBoolean)
  @IsBoolean({ message: 'decrypt must be true or false' })
  decrypt?: boolean;
}
