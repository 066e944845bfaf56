import { BadRequestException, Body, Controller, Delete, Get, Headers, HttpCode, Param, Post, Put, Query, Req, Res } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { ApiExtraModels, ApiBadRequestResponse, ApiConflictResponse, ApiCreatedResponse, ApiHeader, ApiNotFoundResponse, ApiOkResponse, ApiServiceUnavailableResponse, ApiTags } from '@nestjs/swagger';
import { normalizeNotify } from '@tempest/domain';
import { ListingOrder, type SortOrder } from '../common/stackstorm-listing';
import { AllowActionToken } from '../auth/action-token.decorator';
import type { AuthenticatedRequest } from '../auth/api-key.guard';
import { ExecutionChildrenQueryDto, ExecutionCreateDto, ExecutionOutputQueryDto, ExecutionQueryDto, ExecutionRerunDto, ExecutionResponseDto, ExecutionUpdateDto, OutputChunkDto } from './execution.dto';
import { ExecutionService } from './execution.service';
import { wantsOutputText } from './output-format';

/** The CLI says so in this header; anything else is an API call. */
const CLIENT_HEADER = 'x-tempest-client';

@ApiTags('executions')
@ApiExtraModels(OutputChunkDto)
@ApiHeader({ name: 'X-Tempest-Client', required: false, description: 'Recorded as the execution\'s source (the CLI sends "cli")' })
@Controller('executions')
export class ExecutionController {
  constructor(private readonly service: ExecutionService) {}

  @Post()
  @AllowActionToken()
  @ApiCreatedResponse({ type: ExecutionResponseDto, description: 'Recorded and started' })
  @ApiBadRequestResponse({ description: 'Every parameter violation, listed; nothing was recorded or run' })
  @ApiNotFoundResponse({ description: 'No such action' })
  @ApiServiceUnavailableResponse({ description: 'Temporal did not accept the execution; nothing ran' })
  createExecution(@Body() body: ExecutionCreateDto, @Req() request: AuthenticatedRequest, @Headers(CLIENT_HEADER) client?: string): Promise<ExecutionResponseDto> {
    if (body.user !== undefined && body.user !== request.principal!.user) throw new BadRequestException(`user: running as another user ("${body.user}") is not supported; leave it out to run as "${request.principal!.user}"`);
    return this.service.run(body.action, body.parameters ?? {}, request.principal!, client === 'cli' ? 'cli' : 'api', [], normalizeNotify(body.notify), {}, body.delay ?? 0);
  }

  @Get()
  @ApiOkResponse({ type: [ExecutionResponseDto], description: 'Newest first; the oldest first with sort_asc' })
  getExecutions(@Query() query: ExecutionQueryDto, @ListingOrder() order: SortOrder): Promise<ExecutionResponseDto[]> {
    return this.service.search(query, order);
  }

  @Get(':id')
  @AllowActionToken({ execution: 'id' })
  @ApiOkResponse({ type: ExecutionResponseDto })
  @ApiNotFoundResponse({ description: 'No such execution' })
  getExecution(@Param('id') id: string): Promise<ExecutionResponseDto> {
    return this.service.get(id);
  }

  @Get(':id/children')
  @ApiOkResponse({ type: [ExecutionResponseDto], description: "The executions it started (a workflow's tasks), oldest first, each level after the one above" })
  @ApiNotFoundResponse({ description: 'No such execution' })
  getExecutionChildren(@Param('id') id: string, @Query() query: ExecutionChildrenQueryDto): Promise<ExecutionResponseDto[]> {
    return this.service.children(id, query.depth);
  }

  @Get(':id/output')
  @AllowActionToken({ execution: 'id' })
  @ApiOkResponse({
    description: "JSON chunks when asked for JSON (Accept) or with `after`/`wait`; otherwise the output as text, as StackStorm's API answers it",
    content: {
      'application/json': { schema: { type: 'object', properties: { status: { type: 'string' }, chunks: { type: 'array', items: { $ref: '#/components/schemas/OutputChunkDto' } } } } },
      'text/plain': { schema: { type: 'string' } },
    },
  })
  async getExecutionOutput(
    @Param('id') id: string,
    @Query() query: ExecutionOutputQueryDto,
    @Req() request: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<{ status: string; chunks: OutputChunkDto[] } | string> {
    if (wantsOutputText(request.query as Record<string, unknown>, request.headers.accept)) {
      const text = await this.service.outputText(id, query.output_type);
      reply.type('text/plain; charset=utf-8');
      return text;
    }
    return this.service.output(id, query.after, query.wait);
  }

  @Put(':id')
  @ApiOkResponse({ type: ExecutionResponseDto, description: 'Pause, resume or cancellation requested: the workflow shows `pausing` then `paused`, `resuming` then `running`' })
  @ApiBadRequestResponse({ description: 'Not a workflow, already ended, or not in a status it can be paused or resumed from (StackStorm\'s messages)' })
  @ApiNotFoundResponse({ description: 'No such execution' })
  @ApiServiceUnavailableResponse({ description: 'Temporal did not take the request; nothing changed' })
  updateExecution(@Param('id') id: string, @Body() body: ExecutionUpdateDto): Promise<ExecutionResponseDto> {
    return this.service.update(id, body.status);
  }

  @Delete(':id')
  // 200 with the execution, as StackStorm answers: its CLI takes nothing else for a cancellation.
  @HttpCode(200)
  @ApiOkResponse({ type: ExecutionResponseDto, description: 'Cancellation requested (status canceling); the execution ends as canceled' })
  @ApiConflictResponse({ description: 'The execution already ended' })
  cancelExecution(@Param('id') id: string): Promise<ExecutionResponseDto> {
    return this.service.cancel(id);
  }

  @Post(':id/re_run')
  @ApiCreatedResponse({ type: ExecutionResponseDto })
  reRunExecution(@Param('id') id: string, @Body() body: ExecutionRerunDto, @Req() request: AuthenticatedRequest, @Headers(CLIENT_HEADER) client?: string): Promise<ExecutionResponseDto> {
    return this.service.rerun(id, body, request.principal!, client === 'cli' ? 'cli' : 'api');
  }
}
