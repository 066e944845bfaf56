import { Body, Controller, Delete, Get, HttpCode, Param, Post, Put, Req } from '@nestjs/common';
import { ApiBadRequestResponse, ApiCreatedResponse, ApiNoContentResponse, ApiNotFoundResponse, ApiOkResponse, ApiTags, ApiUnauthorizedResponse } from '@nestjs/swagger';
import type { AuthenticatedRequest } from './api-key.guard';
import { ApiKeyCreateDto, ApiKeyCreatedDto, ApiKeyResponseDto, ApiKeyUpdateDto } from './api-key.dto';
import { ApiKeyService } from './api-key.service';

// Without RBAC every authenticated user may manage keys (an action's token may not: see ActionTokenPolicy).
@ApiTags('apikeys')
@ApiUnauthorizedResponse({ description: 'No API key, or an unknown one' })
@Controller('apikeys')
export class ApiKeyController {
  constructor(private readonly service: ApiKeyService) {}

  @Get()
  @ApiOkResponse({ type: [ApiKeyResponseDto] })
  getApiKeys(): Promise<ApiKeyResponseDto[]> {
    return this.service.getAll();
  }

  @Post()
  @ApiCreatedResponse({ type: ApiKeyCreatedDto, description: 'The key is in this answer only' })
  @ApiBadRequestResponse({ description: 'A field of the wrong type, named' })
  createApiKey(@Body() body: ApiKeyCreateDto, @Req() request: AuthenticatedRequest): Promise<ApiKeyCreatedDto> {
    return this.service.create(body, request.principal!.user);
  }

  @Get(':keyOrId')
  @ApiOkResponse({ type: ApiKeyResponseDto })
  @ApiNotFoundResponse({ description: 'No key with this id, nor this key' })
  getApiKey(@Param('keyOrId') keyOrId: string): Promise<ApiKeyResponseDto> {
    return this.service.get(keyOrId);
  }

  @Put(':id')
  @ApiOkResponse({ type: ApiKeyResponseDto, description: 'A disabled key is refused from now on' })
  @ApiNotFoundResponse({ description: 'No key with this id' })
  updateApiKey(@Param('id') id: string, @Body() body: ApiKeyUpdateDto): Promise<ApiKeyResponseDto> {
    return this.service.update(id, body);
  }

  @Delete(':id')
  @HttpCode(204)
  @ApiNoContentResponse({ description: 'Deleted: the key is refused from now on' })
  @ApiNotFoundResponse({ description: 'No key with this id' })
  deleteApiKey(@Param('id') id: string): Promise<void> {
    return this.service.delete(id);
  }
}
