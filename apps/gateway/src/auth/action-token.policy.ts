import { ForbiddenException, Injectable } from '@nestjs/common';
import { ExecutionRepository } from '@tempest/db';
import type { AuthenticatedRequest } from './api-key.guard';
import type { ActionTokenScope } from './action-token.decorator';

/** What an action's token is for, said in every refusal so the action's author knows what to use instead. */
const ALLOWED = 'it may read and write datastore keys, start executions, dispatch triggers and read its own execution and those it started; use an API key for anything else';
/** Deeper than any real workflow nests: a cycle or a corrupt row cannot make the walk endless. */
const MAX_DEPTH = 64;

/**
 * The scope of a running action's token: the routes marked @AllowActionToken(),
 * and, on those naming an execution, only the token's own execution and its
 * descendants.
 */
@Injectable()
export class ActionTokenPolicy {
  constructor(private readonly executions: ExecutionRepository) {}

  async assertAllowed(request: AuthenticatedRequest, executionId: string, scope: ActionTokenScope | undefined): Promise<void> {
    const route = `${request.method} ${request.routeOptions?.url ?? request.url.split('?')[0]}`;
    if (!scope) throw new ForbiddenException(`an action's token may not call ${route}: ${ALLOWED}`);
    if (!scope.execution) return;
    const target = (request.params as Record<string, string | undefined>)[scope.execution];
    if (!target || !(await this.isSelfOrDescendant(target, executionId))) {
      throw new ForbiddenException(`an action's token may not read execution ${target ?? '(none)'}: only its own execution (${executionId}) and those it started`);
    }
  }

  private async isSelfOrDescendant(id: string, ancestorId: string): Promise<boolean> {
    let current: string | null = id;
    for (let depth = 0; current && depth < MAX_DEPTH; depth++) {
      if (current === ancestorId) return true;
      current = (await this.executions.getById(current))?.parent_id ?? null;
    }
    return false;
  }
}
