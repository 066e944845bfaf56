import { Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiAcceptedResponse, ApiNotFoundResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { TriggerInstanceQueryDto, TriggerInstanceResponseDto } from '../triggers/trigger.dto';
import { IngestionResponseDto } from './ingestion.dto';
import { TriggerInstanceService } from './trigger-instance.service';

@ApiTags('triggers')
@Controller('triggerinstances')
export class TriggerInstanceController {
  constructor(private readonly service: TriggerInstanceService) {}

  @Get()
  @ApiOkResponse({ type: [TriggerInstanceResponseDto], description: 'Newest first' })
  getTriggerInstances(@Query() query: TriggerInstanceQueryDto): Promise<TriggerInstanceResponseDto[]> {
    return this.service.search(query);
  }

  @Get(':id')
  @ApiOkResponse({ type: TriggerInstanceResponseDto })
  @ApiNotFoundResponse({ description: 'No such trigger instance' })
  getTriggerInstance(@Param('id') id: string): Promise<TriggerInstanceResponseDto> {
    return this.service.get(id);
  }

  @Post(':id/re_emit')
  @HttpCode(202)
  @ApiAcceptedResponse({ type: IngestionResponseDto, description: 'The same payload, emitted again as a new trigger instance in the same trace; the rules ran on it' })
  @ApiNotFoundResponse({ description: 'No such trigger instance' })
  reEmitTriggerInstance(@Param('id') id: string): Promise<IngestionResponseDto> {
    return this.service.reEmit(id);
  }
}
