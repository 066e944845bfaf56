import { Controller, Get, NotFoundException, Param, Query } from '@nestjs/common';
import { ApiNotFoundResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { POLICY_TYPES, type PolicyTypeDefinition } from '@tempest/domain';
import { PolicyTypeQueryDto, PolicyTypeResponseDto } from './policy.dto';

/** The policy types Tempest applies, as StackStorm's `st2 policy-type list/get` read them. */
@ApiTags('policytypes')
@Controller('policytypes')
export class PolicyTypeController {
  @Get()
  @ApiOkResponse({ type: [PolicyTypeResponseDto] })
  getPolicyTypes(@Query() query: PolicyTypeQueryDto): PolicyTypeResponseDto[] {
    return POLICY_TYPES.filter((t) => query.resource_type === undefined || t.resourceType === query.resource_type).map(toResponse);
  }

  @Get(':ref_or_id')
  @ApiOkResponse({ type: PolicyTypeResponseDto })
  @ApiNotFoundResponse({ description: 'No such policy type' })
  getPolicyType(@Param('ref_or_id') ref: string): PolicyTypeResponseDto {
    const found = POLICY_TYPES.find((t) => t.ref === ref);
    if (!found) throw new NotFoundException(`no policy type "${ref}" (Tempest applies ${POLICY_TYPES.map((t) => t.ref).join(', ')})`);
    return toResponse(found);
  }
}

const toResponse = (type: PolicyTypeDefinition): PolicyTypeResponseDto => ({
  id: type.ref,
  uid: `policy_type:${type.resourceType}:${type.name}`,
  ref: type.ref,
  resource_type: type.resourceType,
  name: type.name,
  description: type.description,
  enabled: true,
  parameters: type.parameters,
});
