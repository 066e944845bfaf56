import { Controller, Get, Param, Query } from '@nestjs/common';
import { ApiNotFoundResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { ListingOrder, type SortOrder } from '../common/stackstorm-listing';
import { RuleEnforcementQueryDto, RuleEnforcementResponseDto } from './rule-enforcement.dto';
import { RuleEnforcementService } from './rule-enforcement.service';

@ApiTags('rules')
@Controller('ruleenforcements')
export class RuleEnforcementController {
  constructor(private readonly service: RuleEnforcementService) {}

  @Get()
  @ApiOkResponse({ type: [RuleEnforcementResponseDto], description: 'Newest first; the oldest first with sort_asc' })
  getRuleEnforcements(@Query() query: RuleEnforcementQueryDto, @ListingOrder() order: SortOrder): Promise<RuleEnforcementResponseDto[]> {
    return this.service.search(query, order);
  }

  @Get(':id')
  @ApiOkResponse({ type: RuleEnforcementResponseDto })
  @ApiNotFoundResponse({ description: 'No such rule enforcement' })
  getRuleEnforcement(@Param('id') id: string): Promise<RuleEnforcementResponseDto> {
    return this.service.get(id);
  }
}
