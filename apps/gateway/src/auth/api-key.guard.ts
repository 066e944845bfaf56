import { CanActivate, ExecutionContext, Injectable, UnauthorizedException } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { FastifyRequest } from 'fastify';
import { ApiKeyService, type Principal } from './api-key.service';
import { ACTION_TOKEN_SCOPE, type ActionTokenScope } from './action-token.decorator';
import { ActionTokenPolicy } from './action-token.policy';
import { IS_PUBLIC } from './public.decorator';

/** StackStorm clients send St2-Api-Key, or X-Auth-Token (an action's ST2_ACTION_AUTH_TOKEN); ours send X-Api-Key. */
export const API_KEY_HEADERS = ['x-api-key', 'st2-api-key', 'x-auth-token'] as const;

export type AuthenticatedRequest = FastifyRequest & { principal?: Principal };

/**
 * The API key or token a request carries: in one of API_KEY_HEADERS, or as
 * `Authorization: Bearer <key>`, the one form tools such as Alertmanager can send.
 */
export function apiKeyOf(headers: FastifyRequest['headers']): string | undefined {
  const key = API_KEY_HEADERS.map((h) => headers[h]).find((v): v is string => typeof v === 'string' && v !== '');
  return key ?? /^Bearer\s+(\S+)\s*$/i.exec(headers.authorization ?? '')?.[1];
}

@Injectable()
export class ApiKeyGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly apiKeys: ApiKeyService,
    private readonly actionTokens: ActionTokenPolicy,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    if (this.reflector.getAllAndOverride<boolean>(IS_PUBLIC, [context.getHandler(), context.getClass()])) return true;
    const request = context.switchToHttp().getRequest<AuthenticatedRequest>();
    const key = apiKeyOf(request.headers);
    if (!key) throw new UnauthorizedException('missing API key: send it in the X-Api-Key header');
    const principal = await this.apiKeys.authenticate(key);
    if (!principal) throw new UnauthorizedException('invalid, disabled or expired API key or token');
    if (principal.executionId) {
      const scope = this.reflector.getAllAndOverride<ActionTokenScope | undefined>(ACTION_TOKEN_SCOPE, [context.getHandler(), context.getClass()]);
      await this.actionTokens.assertAllowed(request, principal.executionId, scope);
    }
    request.principal = principal;
    return true;
  }
}
