import { Body, Controller, Delete, Get, HttpCode, Param, Put, Query, Req } from '@nestjs/common';
import { ApiBadRequestResponse, ApiForbiddenResponse, ApiNoContentResponse, ApiNotFoundResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { AllowActionToken } from '../auth/action-token.decorator';
import type { AuthenticatedRequest } from '../auth/api-key.guard';
import { KeyValueListQueryDto, KeyValueQueryDto, KeyValueResponseDto, KeyValueScopeQueryDto, KeyValueSetDto } from './key-value.dto';
import { KeyValueService } from './key-value.service';

@ApiTags('keys')
@AllowActionToken()
@Controller('keys')
export class KeyValueController {
  constructor(private readonly service: KeyValueService) {}

  @Get()
  @ApiOkResponse({ type: [KeyValueResponseDto], description: 'By name; expired keys are never listed' })
  @ApiForbiddenResponse({ description: 'Another user\'s keys, or decrypting another user\'s secrets' })
  getKeys(@Query() query: KeyValueListQueryDto, @Req() request: AuthenticatedRequest): Promise<KeyValueResponseDto[]> {
    return this.service.list(query, request.principal!);
  }

  @Get(':name')
  @ApiOkResponse({ type: KeyValueResponseDto })
  @ApiForbiddenResponse({ description: 'Another user\'s key, or decrypting another user\'s secret' })
  @ApiNotFoundResponse({ description: 'No such key in that scope (or it expired)' })
  getKey(@Param('name') name: string, @Query() query: KeyValueQueryDto, @Req() request: AuthenticatedRequest): Promise<KeyValueResponseDto> {
    return this.service.get(name, query, request.principal!);
  }

  @Put(':name')
  @ApiOkResponse({ type: KeyValueResponseDto, description: 'Created or replaced (value, secrecy and TTL as given)' })
  @ApiBadRequestResponse({ description: 'A bad name, value, scope or TTL, or a secret without a datastore key' })
  @ApiForbiddenResponse({ description: 'Another user\'s key' })
  setKey(@Param('name') name: string, @Body() body: KeyValueSetDto, @Req() request: AuthenticatedRequest): Promise<KeyValueResponseDto> {
    return this.service.set(name, body, request.principal!);
  }

  @Delete(':name')
  @HttpCode(204)
  @ApiNoContentResponse({ description: 'Deleted' })
  @ApiForbiddenResponse({ description: 'Another user\'s key' })
  @ApiNotFoundResponse({ description: 'No such key in that scope (or it expired)' })
  deleteKey(@Param('name') name: string, @Query() query: KeyValueScopeQueryDto, @Req() request: AuthenticatedRequest): Promise<void> {
    return this.service.delete(name, query, request.principal!);
  }
}
