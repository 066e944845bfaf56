import { Controller, Get, Param, Query } from '@nestjs/common';
import { ApiNotFoundResponse, ApiOkResponse, ApiQuery, ApiTags } from '@nestjs/swagger';
import { TriggerTypeResponseDto } from './trigger.dto';
import { TriggerTypeService } from './trigger-type.service';

@ApiTags('triggers')
@Controller('triggertypes')
export class TriggerTypeController {
  constructor(private readonly service: TriggerTypeService) {}

  @Get()
  @ApiQuery({ name: 'pack', required: false, description: 'Only the trigger types of this pack' })
  @ApiOkResponse({ type: [TriggerTypeResponseDto] })
  getTriggerTypes(@Query('pack') pack?: string): Promise<TriggerTypeResponseDto[]> {
    return this.service.getAll(pack);
  }

  @Get(':ref')
  @ApiOkResponse({ type: TriggerTypeResponseDto })
  @ApiNotFoundResponse({ description: 'No such trigger type' })
  getTriggerType(@Param('ref') ref: string): Promise<TriggerTypeResponseDto> {
    return this.service.get(ref);
  }
}
