import { Controller, Get, Param } from '@nestjs/common';
import { ApiNotFoundResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { PackResponseDto } from './pack.dto';
import { PackService } from './pack.service';

@ApiTags('packs')
@Controller('packs')
export class PackController {
  constructor(private readonly service: PackService) {}

  @Get()
  @ApiOkResponse({ type: [PackResponseDto] })
  getPacks(): Promise<PackResponseDto[]> {
    return this.service.getAll();
  }

  @Get(':ref')
  @ApiOkResponse({ type: PackResponseDto })
  @ApiNotFoundResponse({ description: 'No pack with that ref is registered' })
  getPack(@Param('ref') ref: string): Promise<PackResponseDto> {
    return this.service.get(ref);
  }
}
