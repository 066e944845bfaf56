import { Controller, Get, NotFoundException, Param, Query } from '@nestjs/common';
import { ApiNotFoundResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { PolicyRepository, type Policy } from '@tempest/db';
import { PolicyQueryDto, PolicyResponseDto } from './policy.dto';

/** Packs' policies (policies/*.yaml), as StackStorm's `st2 policy list/get` read them; they change with their pack. */
@ApiTags('policies')
@Controller('policies')
export class PolicyController {
  constructor(private readonly policies: PolicyRepository) {}

  @Get()
  @ApiOkResponse({ type: [PolicyResponseDto], description: 'By ref' })
  async getPolicies(@Query() query: PolicyQueryDto): Promise<PolicyResponseDto[]> {
    return (await this.policies.search({ pack: query.pack, resourceRef: query.resource_ref, policyType: query.policy_type })).map(toResponse);
  }

  @Get(':ref_or_id')
  @ApiOkResponse({ type: PolicyResponseDto })
  @ApiNotFoundResponse({ description: 'No such policy' })
  async getPolicy(@Param('ref_or_id') ref: string): Promise<PolicyResponseDto> {
    // A policy's id is its ref, so either finds it.
    const policy = await this.policies.getByRef(ref);
    if (!policy) throw new NotFoundException(`no policy "${ref}"`);
    return toResponse(policy);
  }
}

function toResponse(policy: Policy): PolicyResponseDto {
  return {
    id: policy.ref,
    uid: `policy:${policy.pack}:${policy.name}`,
    ref: policy.ref,
    name: policy.name,
    pack: policy.pack,
    description: policy.description,
    enabled: policy.enabled,
    resource_ref: policy.resource_ref,
    policy_type: policy.policy_type,
    parameters: policy.parameters,
    metadata_file: policy.metadata_file,
  };
}
