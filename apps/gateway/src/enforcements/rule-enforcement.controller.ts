import { Controller, Get, Query } from '@nestjs/common';
import { ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { RuleEnforcementQueryDto, RuleEnforcementResponseDto } from './rule-enforcement.dto';
import { RuleEnforcementService } from './rule-enforcement.service';

@ApiTags('rules')
@Controller('ruleenforcements')
export class RuleEnforcementController {
  constructor(private readonly service: RuleEnforcementService) {}

  @Get()
  @ApiOkResponse({ type: [RuleEnforcementResponseDto], description: 'Newest first' })
  getRuleEnforcements(@Query() query: RuleEnforcementQueryDto): Promise<RuleEnforcementResponseDto[]> {
    return this.service.search(query);
  }
}
