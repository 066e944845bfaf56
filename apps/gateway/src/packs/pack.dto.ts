import { Allow, IsOptional, IsString, Matches, ValidateBy, ValidateIf } from 'class-validator';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

export class PackResponseDto {
  @ApiProperty({ example: 'core', description: 'Its ref: packs are found by ref or id alike, as in StackStorm' })
  id!: string;

  @ApiProperty({ example: 'pack:core', description: "StackStorm's uid form" })
  uid!: string;

  @ApiProperty({ example: 'core' })
  ref!: string;

  @ApiProperty()
  name!: string;

  @ApiProperty()
  description!: string;

  @ApiProperty({ example: '1.0.0' })
  version!: string;

  @ApiProperty()
  author!: string;

  @ApiPropertyOptional()
  email?: string;

  @ApiProperty({ type: [String] })
  keywords!: string[];

  @ApiProperty({ type: [String], description: 'Packs this pack needs' })
  dependencies!: string[];

  @ApiProperty({ format: 'date-time' })
  registered_at!: string;

  @ApiProperty({ format: 'date-time', description: 'When the registered metadata last changed' })
  updated_at!: string;
}

export class PackConfigResponseDto {
  @ApiProperty({ example: 'jira' })
  pack!: string;

  @ApiProperty({ type: 'object', additionalProperties: true, description: "config.schema.yaml: each key's type, description, default, required and secret (defaults of secret keys masked)" })
  schema!: Record<string, unknown>;

  @ApiProperty({ type: 'object', additionalProperties: true, description: 'The values from the configs folder with the defaults applied; secret values masked' })
  values!: Record<string, unknown>;

  @ApiPropertyOptional({ format: 'date-time', description: 'When the registered config last changed; absent when the pack has none' })
  updated_at?: string;
}

export class PackActionChangesDto {
  @ApiProperty({ type: [String] })
  created!: string[];

  @ApiProperty({ type: [String] })
  updated!: string[];

  @ApiProperty({ type: [String] })
  unchanged!: string[];

  @ApiProperty({ type: [String], description: 'Actions whose file is gone' })
  removed!: string[];
}

export class PackRegistrationDto {
  @ApiProperty({ example: 'core' })
  ref!: string;

  @ApiProperty({ enum: ['created', 'updated', 'unchanged'] })
  outcome!: string;

  @ApiProperty({ type: PackActionChangesDto })
  actions!: PackActionChangesDto;

  @ApiProperty({ type: PackActionChangesDto, description: 'Trigger types from triggers/*.yaml' })
  trigger_types!: PackActionChangesDto;

  @ApiProperty({ type: PackActionChangesDto, description: 'Sensors from sensors/*.yaml' })
  sensors!: PackActionChangesDto;

  @ApiProperty({ type: PackActionChangesDto, description: 'Rules from rules/*.yaml (rules made through the API are left alone)' })
  rules!: PackActionChangesDto;

  @ApiProperty({ type: PackActionChangesDto, description: 'Action aliases from aliases/*.yaml' })
  aliases!: PackActionChangesDto;

  @ApiProperty({ type: [String], description: 'file:line: field: problem of what registered but fails when run: a workflow whose definition fails inspection (StackStorm inspects it when it runs)' })
  warnings!: string[];
}

export class RegistrationReportDto {
  @ApiProperty({ type: [PackRegistrationDto] })
  packs!: PackRegistrationDto[];

  @ApiProperty({ type: [String], description: 'file:line: field: problem, one per line; those packs were skipped whole' })
  problems!: string[];
}

/** What `st2 pack install` is told: it follows an asynchronous packs.install execution, which Tempest does not run. */
const ST2_PACK_INSTALL =
  'packs: st2 pack install is not served (it follows an asynchronous packs.install execution): install with `tempest pack install <git URL or folder>`, or POST /api/v1/packs/install {"source": "<git URL or folder>"}';

export class PackInstallDto {
  @ApiProperty({ description: 'An absolute folder path on the gateway, or a git URL (https://, ssh://, git@host:...)', example: 'https://github.com/StackStorm-Exchange/stackstorm-jira.git' })
  // StackStorm's body (packs) is answered with what to do instead, alone.
  @ValidateIf((body: PackInstallDto) => body.packs === undefined)
  @IsString({ message: 'source must be a folder path or a git URL' })
  source!: string;

  @ApiPropertyOptional({ description: "StackStorm's `st2 pack install` body: refused, saying what to do instead", deprecated: true })
  @IsOptional()
  @ValidateBy({ name: 'notServed', validator: { validate: () => false, defaultMessage: () => ST2_PACK_INSTALL } })
  packs?: unknown;

  @ApiPropertyOptional({ description: "Sent by `st2 pack install` with packs; ignored", deprecated: true })
  @Allow()
  force?: unknown;

  @ApiPropertyOptional({ description: "Sent by `st2 pack install` with packs; ignored", deprecated: true })
  @Allow()
  skip_dependencies?: unknown;

  @ApiPropertyOptional({ description: 'A git branch, tag or commit', example: 'v1.2.0' })
  @IsOptional()
  @Matches(/^[\w.][\w./-]*$/, { message: 'ref must be a branch, tag or commit' })
  ref?: string;
}
