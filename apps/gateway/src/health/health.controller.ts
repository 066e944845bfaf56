import { Controller, Get, Res } from '@nestjs/common';
import { ApiOkResponse, ApiServiceUnavailableResponse, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { Public } from '../auth/public.decorator';
import { HealthResponseDto } from './health.dto';
import { HealthService } from './health.service';

@ApiTags('health')
@Controller('health')
export class HealthController {
  constructor(private readonly service: HealthService) {}

  @Public()
  @Get()
  @ApiOkResponse({ type: HealthResponseDto, description: 'Postgres and Temporal are reachable' })
  @ApiServiceUnavailableResponse({ type: HealthResponseDto, description: 'A dependency is down' })
  async getHealth(@Res({ passthrough: true }) reply: FastifyReply): Promise<HealthResponseDto> {
    const health = await this.service.check();
    reply.status(health.status === 'ok' ? 200 : 503);
    return health;
  }
}
