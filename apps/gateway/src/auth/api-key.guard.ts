import { CanActivate, ExecutionContext, Injectable, UnauthorizedException } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { FastifyRequest } from 'fastify';
import { ApiKeyService, type Principal } from './api-key.service';
import { IS_PUBLIC } from './public.decorator';

/** StackStorm clients send St2-Api-Key; ours send X-Api-Key. */
export const API_KEY_HEADERS = ['x-api-key', 'st2-api-key'] as const;

export type AuthenticatedRequest = FastifyRequest & { principal?: Principal };

@Injectable()
export class ApiKeyGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly apiKeys: ApiKeyService,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    if (this.reflector.getAllAndOverride<boolean>(IS_PUBLIC, [context.getHandler(), context.getClass()])) return true;
    const request = context.switchToHttp().getRequest<AuthenticatedRequest>();
    const key = API_KEY_HEADERS.map((h) => request.headers[h]).find((v): v is string => typeof v === 'string' && v !== '');
    if (!key) throw new UnauthorizedException('missing API key: send it in the X-Api-Key header');
    const principal = await this.apiKeys.authenticate(key);
    if (!principal) throw new UnauthorizedException('invalid or disabled API key');
    request.principal = principal;
    return true;
  }
}
