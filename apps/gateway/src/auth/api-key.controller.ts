import { Controller, Get } from '@nestjs/common';
import { ApiOkResponse, ApiTags, ApiUnauthorizedResponse } from '@nestjs/swagger';
import { ApiKeyResponseDto } from './api-key.dto';
import { ApiKeyService } from './api-key.service';

@ApiTags('apikeys')
@Controller('apikeys')
export class ApiKeyController {
  constructor(private readonly service: ApiKeyService) {}

  @Get()
  @ApiOkResponse({ type: [ApiKeyResponseDto] })
  @ApiUnauthorizedResponse({ description: 'No API key, or an unknown one' })
  getApiKeys(): Promise<ApiKeyResponseDto[]> {
    return this.service.getAll();
  }
}
