import { Body, Controller, Get, HttpCode, Post, Req } from '@nestjs/common';
import { ApiAcceptedResponse, ApiBadRequestResponse, ApiBody, ApiHeader, ApiNotFoundResponse, ApiOkResponse, ApiParam, ApiPayloadTooLargeResponse, ApiSecurity, ApiTags, ApiUnauthorizedResponse } from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';
import { AllowActionToken } from '../auth/action-token.decorator';
import type { AuthenticatedRequest } from '../auth/api-key.guard';
import { Public } from '../auth/public.decorator';
import { IngestionResponseDto, WebhookDispatchDto } from '../ingestion/ingestion.dto';
import { describeOutcome } from '../ingestion/trigger-instance.service';
import { WholeItems } from '../common/stackstorm-listing';
import { WebhookResponseDto } from './webhook.dto';
import { WebhookService } from './webhook.service';

/** What a 202 means, on both webhook paths. */
const ACCEPTED =
  'Stored, and the matched rules\' executions started (status processed); or stored and queued (status pending) while Temporal is unreachable, or in a storm (the gateway is already processing several events): the queue starts them once each, as fast as Temporal takes them, so do not send it again';

type RawRequest = FastifyRequest<{ Params: { '*': string } }> & { rawBody?: Buffer };

@ApiTags('webhooks')
@ApiHeader({ name: 'Idempotency-Key', required: false, description: 'A retry with the same key is the same event: same trigger instance, nothing started twice' })
@ApiHeader({ name: 'St2-Trace-Tag', required: false, description: 'Groups what this event causes (GET /traces/{tag}); the trigger instance id otherwise' })
@Controller('webhooks')
export class WebhookController {
  constructor(private readonly service: WebhookService) {}

  @Get()
  // StackStorm's CLI asks include_attributes=url,... but reads parameters.url.
  @WholeItems()
  @ApiOkResponse({ type: [WebhookResponseDto], description: 'The urls enabled rules listen on, as core.st2.webhook triggers (what `st2 webhook list` shows)' })
  getWebhooks(): Promise<WebhookResponseDto[]> {
    return this.service.list();
  }

  @Post('st2')
  // As on /webhooks/{hook}: an action may dispatch triggers with its token (StackStorm's actions do, through the API).
  @AllowActionToken()
  @HttpCode(202)
  @ApiAcceptedResponse({
    type: IngestionResponseDto,
    description: ACCEPTED,
  })
  @ApiBadRequestResponse({ description: 'Unknown trigger type, or a payload that breaks its payload_schema (naming the field)' })
  async dispatchTrigger(@Body() body: WebhookDispatchDto, @Req() request: RawRequest): Promise<IngestionResponseDto> {
    return describeOutcome(await this.service.dispatch(body, request.headers, (request as AuthenticatedRequest).principal));
  }

  @Post('*')
  @Public()
  @HttpCode(202)
  @ApiSecurity('api-key')
  @ApiParam({ name: 'path', description: 'The url parameter of the hook\'s rules (core.st2.webhook); may contain slashes', example: 'alerts' })
  @ApiHeader({ name: 'X-Tempest-Signature', required: false, description: 'sha256=<hex HMAC-SHA256 of the body>, instead of an API key, for a hook whose rule sets hmac_secret (X-Hub-Signature-256 works too)' })
  @ApiBody({ required: false, description: 'Any JSON (or form, or text): the trigger\'s payload.body', schema: {} })
  @ApiAcceptedResponse({
    type: IngestionResponseDto,
    description: ACCEPTED,
  })
  @ApiBadRequestResponse({ description: 'Invalid JSON' })
  @ApiUnauthorizedResponse({ description: 'No valid API key, and no valid signature' })
  @ApiNotFoundResponse({ description: 'No enabled rule has this webhook url' })
  @ApiPayloadTooLargeResponse({ description: 'Body larger than TEMPEST_WEBHOOK_MAX_BYTES' })
  async receiveWebhook(@Req() request: RawRequest): Promise<IngestionResponseDto> {
    return describeOutcome(await this.service.receive(request.params['*'], { headers: request.headers, body: request.body, rawBody: request.rawBody }));
  }
}
