import { Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiAcceptedResponse, ApiNotFoundResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { ListingOrder, type SortOrder } from '../common/stackstorm-listing';
import { TriggerInstanceQueryDto, TriggerInstanceResponseDto } from '../triggers/trigger.dto';
import { ReEmitResponseDto } from './ingestion.dto';
import { TriggerInstanceService } from './trigger-instance.service';

@ApiTags('triggers')
@Controller('triggerinstances')
export class TriggerInstanceController {
  constructor(private readonly service: TriggerInstanceService) {}

  @Get()
  @ApiOkResponse({ type: [TriggerInstanceResponseDto], description: 'Newest first; the oldest first with sort_asc' })
  getTriggerInstances(@Query() query: TriggerInstanceQueryDto, @ListingOrder() order: SortOrder): Promise<TriggerInstanceResponseDto[]> {
    return this.service.search(query, order);
  }

  @Get(':id')
  @ApiOkResponse({ type: TriggerInstanceResponseDto })
  @ApiNotFoundResponse({ description: 'No such trigger instance' })
  getTriggerInstance(@Param('id') id: string): Promise<TriggerInstanceResponseDto> {
    return this.service.get(id);
  }

  @Post(':id/re_emit')
  @HttpCode(202)
  @ApiAcceptedResponse({ type: ReEmitResponseDto, description: 'The same payload, emitted again as a new trigger instance in the same trace; the rules ran on it' })
  @ApiNotFoundResponse({ description: 'No such trigger instance' })
  async reEmitTriggerInstance(@Param('id') id: string): Promise<ReEmitResponseDto> {
    const outcome = await this.service.reEmit(id);
    return { ...outcome, message: `Trigger instance ${id} successfully re-sent as ${outcome.trigger_instance_id}.` };
  }
}
