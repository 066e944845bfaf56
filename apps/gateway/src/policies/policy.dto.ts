import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString } from 'class-validator';

/** The filters StackStorm's `st2 policy list` sends (`--pack`, `--resource-ref`, `--policy-type`). */
export class PolicyQueryDto {
  @ApiPropertyOptional({ description: 'Only the policies of this pack' })
  @IsOptional()
  @IsString()
  pack?: string;

  @ApiPropertyOptional({ example: 'core.http', description: 'Only the policies applied to this action' })
  @IsOptional()
  @IsString()
  resource_ref?: string;

  @ApiPropertyOptional({ example: 'action.retry', description: 'Only the policies of this type' })
  @IsOptional()
  @IsString()
  policy_type?: string;
}

/** A pack's policy as StackStorm's API shows it (PolicyAPI). */
export class PolicyResponseDto {
  @ApiProperty({ example: 'examples.http.retry', description: 'Its ref (StackStorm gives a database id here)' })
  id!: string;

  @ApiProperty({ example: 'policy:examples:http.retry' })
  uid!: string;

  @ApiProperty({ example: 'examples.http.retry' })
  ref!: string;

  @ApiProperty({ example: 'http.retry' })
  name!: string;

  @ApiProperty()
  pack!: string;

  @ApiProperty()
  description!: string;

  @ApiProperty({ description: 'A disabled policy is registered but not applied' })
  enabled!: boolean;

  @ApiProperty({ example: 'core.http', description: 'The action it applies to' })
  resource_ref!: string;

  @ApiProperty({ example: 'action.retry', description: 'A ref of /api/v1/policytypes' })
  policy_type!: string;

  @ApiProperty({ type: 'object', additionalProperties: true, description: 'As the policy file gives them' })
  parameters!: Record<string, unknown>;

  @ApiProperty({ example: 'policies/http_retry.yaml' })
  metadata_file!: string;
}

export class PolicyTypeQueryDto {
  @ApiPropertyOptional({ example: 'action', description: 'Only the policy types for this kind of resource (`st2 policy-type list -r`)' })
  @IsOptional()
  @IsString()
  resource_type?: string;
}

/** A policy type as StackStorm's API shows it (PolicyTypeAPI). */
export class PolicyTypeResponseDto {
  @ApiProperty({ example: 'action.retry', description: 'Its ref: policy types have no other identity' })
  id!: string;

  @ApiProperty({ example: 'policy_type:action:retry' })
  uid!: string;

  @ApiProperty({ example: 'action.retry' })
  ref!: string;

  @ApiProperty({ example: 'action' })
  resource_type!: string;

  @ApiProperty({ example: 'retry' })
  name!: string;

  @ApiProperty()
  description!: string;

  @ApiProperty({ description: 'Always true: Tempest lists only the types it applies' })
  enabled!: boolean;

  @ApiProperty({ type: 'object', additionalProperties: true, description: 'JSON Schema of each parameter a policy of this type takes' })
  parameters!: Record<string, unknown>;
}
