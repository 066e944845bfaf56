import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, Put, Query, Req } from '@nestjs/common';
import { ApiBadRequestResponse, ApiConflictResponse, ApiCreatedResponse, ApiNoContentResponse, ApiNotFoundResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import type { AuthenticatedRequest } from '../auth/api-key.guard';
import { RuleCreateDto, RuleQueryDto, RuleReplaceDto, RuleResponseDto, RuleUpdateDto } from './rule.dto';
import { RuleService } from './rule.service';

@ApiTags('rules')
@Controller('rules')
export class RuleController {
  constructor(private readonly service: RuleService) {}

  @Get()
  @ApiOkResponse({ type: [RuleResponseDto] })
  getRules(@Query() query: RuleQueryDto): Promise<RuleResponseDto[]> {
    return this.service.search(query);
  }

  @Get(':ref')
  @ApiOkResponse({ type: RuleResponseDto })
  @ApiNotFoundResponse({ description: 'No such rule' })
  getRule(@Param('ref') ref: string): Promise<RuleResponseDto> {
    return this.service.get(ref);
  }

  @Post()
  @ApiCreatedResponse({ type: RuleResponseDto, description: 'Stored, and in force on every gateway within a second' })
  @ApiBadRequestResponse({ description: 'Every problem, naming the field (a criterion, the trigger parameters, the action)' })
  @ApiConflictResponse({ description: 'A rule with that pack and name exists' })
  createRule(@Body() body: RuleCreateDto, @Req() request: AuthenticatedRequest): Promise<RuleResponseDto> {
    return this.service.create(body, request.principal!);
  }

  @Put(':ref')
  @ApiOkResponse({ type: RuleResponseDto })
  @ApiBadRequestResponse({ description: 'Every problem, naming the field' })
  @ApiNotFoundResponse({ description: 'No such rule' })
  replaceRule(@Param('ref') ref: string, @Body() body: RuleReplaceDto, @Req() request: AuthenticatedRequest): Promise<RuleResponseDto> {
    return this.service.replace(ref, body, request.principal!);
  }

  @Patch(':ref')
  @ApiOkResponse({ type: RuleResponseDto, description: 'Enabled or disabled' })
  @ApiNotFoundResponse({ description: 'No such rule' })
  updateRule(@Param('ref') ref: string, @Body() body: RuleUpdateDto): Promise<RuleResponseDto> {
    return this.service.setEnabled(ref, body.enabled);
  }

  @Delete(':ref')
  @HttpCode(204)
  @ApiNoContentResponse({ description: 'Deleted' })
  @ApiNotFoundResponse({ description: 'No such rule' })
  deleteRule(@Param('ref') ref: string): Promise<void> {
    return this.service.delete(ref);
  }
}
