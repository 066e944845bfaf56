import { Body, Controller, Delete, Get, HttpCode, NotFoundException, Param, Post } from '@nestjs/common';
import { ApiBadRequestResponse, ApiCreatedResponse, ApiNoContentResponse, ApiNotFoundResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { PackConfigResponseDto, PackInstallDto, PackRegistrationDto, PackResponseDto, RegistrationReportDto } from './pack.dto';
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

  @Post('install')
  @ApiCreatedResponse({ type: PackRegistrationDto, description: 'Installed (or upgraded) and registered' })
  @ApiBadRequestResponse({ description: 'Could not fetch it, or it is not a valid pack (every problem listed); nothing changed' })
  installPack(@Body() body: PackInstallDto): Promise<PackRegistrationDto> {
    return this.service.install(body.source, body.ref);
  }

  @Post('index/search')
  @HttpCode(404)
  @ApiNotFoundResponse({ description: "Always: Tempest keeps no pack index (what `st2 pack search` and `st2 pack show` ask)" })
  searchPackIndex(): never {
    throw new NotFoundException('Tempest keeps no pack index and does not search StackStorm Exchange: install a pack from its git URL or a folder (tempest pack install)');
  }

  @Delete(':ref')
  @HttpCode(204)
  @ApiNoContentResponse({ description: 'Unregistered and its folder deleted' })
  @ApiNotFoundResponse({ description: 'No pack with that ref is registered' })
  removePack(@Param('ref') ref: string): Promise<void> {
    return this.service.remove(ref);
  }

  @Get(':ref/config')
  @ApiOkResponse({ type: PackConfigResponseDto, description: "The pack's config and its schema, secrets masked" })
  @ApiNotFoundResponse({ description: 'No pack with that ref is registered' })
  getPackConfig(@Param('ref') ref: string): Promise<PackConfigResponseDto> {
    return this.service.getConfig(ref);
  }

  @Get(':ref')
  @ApiOkResponse({ type: PackResponseDto })
  @ApiNotFoundResponse({ description: 'No pack with that ref is registered' })
  getPack(@Param('ref') ref: string): Promise<PackResponseDto> {
    return this.service.get(ref);
  }
}
