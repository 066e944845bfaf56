import { BadRequestException, ConflictException, ForbiddenException, Inject, Injectable, NotFoundException, ServiceUnavailableException } from '@nestjs/common';
import { WorkflowNotFoundError, WorkflowUpdateFailedError, type Client } from '@temporalio/client';
import { ExecutionRepository, type Execution } from '@tempest/db';
import { triggerSchemaViolations } from '@tempest/domain';
import type { InquiryRequest, InquiryResponse } from '@tempest/workflows';
import type { Principal } from '../auth/api-key.service';
import { TEMPORAL_CLIENT } from '../tokens';
import type { InquiryDto, InquiryRespondDto, InquiryRespondedDto } from './inquiry.dto';

const INQUIRER = 'inquirer';
/** The user the admin API key acts as: the only one who holds every role, Tempest having no RBAC. */
const ADMIN = 'admin';
const MAX_LISTED = 1000;

/** StackStorm's inquiries: executions of the inquirer runner, answered through their workflow. */
@Injectable()
export class InquiryService {
  constructor(
    private readonly executions: ExecutionRepository,
    @Inject(TEMPORAL_CLIENT) private readonly temporal: Client,
  ) {}

  async list(): Promise<InquiryDto[]> {
    const waiting = await this.executions.search({ runnerType: INQUIRER, status: 'pending', limit: MAX_LISTED, offset: 0 });
    return waiting.map(toInquiry);
  }

  async get(id: string): Promise<InquiryDto> {
    return toInquiry(await this.find(id));
  }

  /**
   * Checked here, before the workflow hears of it: the responder (StackStorm's
   * users and roles), then the response against the schema (every violation
   * named). The workflow takes the first response it is given and refuses any
   * later one, so two racing responders cannot both be told they answered.
   */
  async respond(id: string, body: InquiryRespondDto, principal: Principal): Promise<InquiryRespondedDto> {
    if (body.id !== undefined && body.id !== id) throw new BadRequestException(`id: "${body.id}" is not the inquiry of the path ("${id}")`);
    const execution = await this.find(id);
    const inquiry = toInquiry(execution);
    if (execution.status !== 'pending') throw new ConflictException(`inquiry ${id} is no longer waiting for a response (${execution.status})`);
    const allowedByUsers = inquiry.users.length === 0 || inquiry.users.includes(principal.user);
    const allowedByRoles = inquiry.roles.length === 0 || principal.user === ADMIN;
    if (!allowedByUsers || !allowedByRoles) throw new ForbiddenException(`user "${principal.user}" may not respond to inquiry ${id}`);
    const violations = triggerSchemaViolations('response', body.response, inquiry.schema);
    if (violations.length > 0) throw new BadRequestException(violations);
    const answer: InquiryResponse = { response: body.response, user: principal.user };
    try {
      await this.temporal.workflow.getHandle(execution.workflow_id ?? id).executeUpdate<{ accepted: true }, [InquiryResponse]>('respondToInquiry', { args: [answer] });
    } catch (error) {
      if (error instanceof WorkflowUpdateFailedError || error instanceof WorkflowNotFoundError) {
        throw new ConflictException(`inquiry ${id} is no longer waiting for a response`);
      }
      throw new ServiceUnavailableException(`could not give the response to inquiry ${id} (Temporal did not answer); nothing changed, try again`);
    }
    return { id, response: body.response };
  }

  private async find(id: string): Promise<Execution> {
    const execution = await this.executions.getById(id);
    if (!execution || execution.runner_type !== INQUIRER || execution.status === 'requested' || execution.status === 'scheduled') throw new NotFoundException(`no inquiry "${id}"`);
    return execution;
  }
}

/** The inquiry its execution recorded as its result when it opened (StackStorm's inquirer does the same). */
function toInquiry(execution: Execution): InquiryDto {
  const result = (execution.result ?? {}) as Partial<InquiryRequest> & { response?: Record<string, unknown> };
  const parameters = execution.parameters as Partial<InquiryRequest>;
  return {
    id: execution.id,
    route: result.route ?? parameters.route ?? '',
    ttl: result.ttl ?? parameters.ttl ?? 1440,
    users: result.users ?? parameters.users ?? [],
    roles: result.roles ?? parameters.roles ?? [],
    schema: result.schema ?? parameters.schema ?? {},
    parent: execution.parent_id ?? undefined,
    status: execution.status,
    ...(result.response && execution.status === 'succeeded' ? { response: result.response } : {}),
  };
}
