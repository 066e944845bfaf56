import { Controller, Get, Param, Query } from '@nestjs/common';
import { ApiNotFoundResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { ListingOrder, type SortOrder } from '../common/stackstorm-listing';
import { TraceQueryDto, TraceResponseDto, TraceSummaryDto } from './trace.dto';
import { TraceService } from './trace.service';

@ApiTags('traces')
@Controller('traces')
export class TraceController {
  constructor(private readonly service: TraceService) {}

  @Get()
  @ApiOkResponse({ type: [TraceSummaryDto], description: 'Newest first; the oldest first with sort_asc' })
  getTraces(@Query() query: TraceQueryDto, @ListingOrder() order: SortOrder): Promise<TraceSummaryDto[]> {
    return this.service.search(query, order);
  }

  @Get(':id')
  @ApiOkResponse({ type: TraceResponseDto })
  @ApiNotFoundResponse({ description: 'No trigger instance has this trace tag' })
  getTrace(@Param('id') id: string): Promise<TraceResponseDto> {
    return this.service.get(id);
  }
}
