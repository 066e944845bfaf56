import { Controller, ForbiddenException, Get, Inject, Query, Req, Res, UnauthorizedException } from '@nestjs/common';
import { ApiOkResponse, ApiProduces, ApiQuery, ApiTags, ApiUnauthorizedResponse } from '@nestjs/swagger';
import type { TempestConfig } from '@tempest/config';
import type { Logger } from '@tempest/logging';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { apiKeyOf } from '../auth/api-key.guard';
import { ApiKeyService } from '../auth/api-key.service';
import { Public } from '../auth/public.decorator';
import { CONFIG, LOGGER } from '../tokens';
import { StreamConnection } from './stream-connection';
import { parseStreamQuery, QUERY_KEYS } from './stream-filter';
import { StreamHub } from './stream-hub';

/** Outside the `api/v1` prefix: StackStorm serves its stream at /stream/v1/stream (see app.ts). */
export const STREAM_PATH = 'stream/v1/stream';

@ApiTags('stream')
@Controller()
export class StreamController {
  constructor(
    private readonly hub: StreamHub,
    private readonly apiKeys: ApiKeyService,
    @Inject(CONFIG) private readonly config: TempestConfig,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  // Public to the guard: StackStorm's client may send its key in the query, which the guard does not read.
  @Public()
  @Get(STREAM_PATH)
  @ApiProduces('text/event-stream')
  @ApiQuery({ name: 'events', required: false, type: String, description: 'Event names or globs, comma-separated (default: executions, liveactions, announcements; output only when named)' })
  @ApiQuery({ name: 'action_refs', required: false, type: String, description: 'Only events of these actions, comma-separated' })
  @ApiQuery({ name: 'execution_ids', required: false, type: String, description: 'Only events of these executions, comma-separated (also `execution_id`)' })
  @ApiQuery({ name: 'end_event', required: false, type: String, description: 'With end_execution_id: the stream ends after this event shows that execution ended' })
  @ApiQuery({ name: 'end_execution_id', required: false, type: String })
  @ApiOkResponse({ description: 'Server-sent events, StackStorm\'s names and shapes: st2.execution__create|update, st2.liveaction__create|update, st2.execution.output__create' })
  @ApiUnauthorizedResponse({ description: 'No valid API key or token (header, or st2-api-key / x-auth-token in the query)' })
  async getStream(@Query() query: Record<string, unknown>, @Req() request: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    const filter = parseStreamQuery(query);
    await this.authenticate(request, query);
    await this.hub.ready();
    reply.hijack();
    const connection = new StreamConnection(reply.raw, filter, { heartbeatMs: this.config.stream.heartbeatSeconds * 1000, maxBufferedBytes: this.config.stream.clientBufferBytes }, this.logger);
    const unsubscribe = this.hub.subscribe((event) => connection.send(event), () => connection.end());
    connection.open(unsubscribe);
  }

  private async authenticate(request: FastifyRequest, query: Record<string, unknown>): Promise<void> {
    const inQuery = QUERY_KEYS.map((name) => query[name]).find((v): v is string => typeof v === 'string' && v !== '');
    const key = apiKeyOf(request.headers) ?? inQuery;
    if (!key) throw new UnauthorizedException('missing API key: send it in the X-Api-Key header (or St2-Api-Key, or ?st2-api-key=)');
    const principal = await this.apiKeys.authenticate(key);
    if (!principal) throw new UnauthorizedException('invalid, disabled or expired API key or token');
    // An action's token reaches only what its own execution needs; the stream shows every execution.
    if (principal.executionId) throw new ForbiddenException("an action's token cannot read the event stream");
  }
}
