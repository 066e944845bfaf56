import { Controller, Get, HttpCode, Param, Post } from '@nestjs/common';
import { ApiNotFoundResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { PackResponseDto, RegistrationReportDto } from './pack.dto';
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

  @Post('register')
  @HttpCode(200)
  @ApiOkResponse({ type: RegistrationReportDto, description: 'What each pack\'s registration changed, and the problems of the packs skipped' })
  registerPacks(): Promise<RegistrationReportDto> {
    return this.service.register();
  }

  @Get(':ref')
  @ApiOkResponse({ type: PackResponseDto })
  @ApiNotFoundResponse({ description: 'No pack with that ref is registered' })
  getPack(@Param('ref') ref: string): Promise<PackResponseDto> {
    return this.service.get(ref);
  }
}
