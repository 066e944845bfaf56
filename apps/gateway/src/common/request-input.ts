import { BadRequestException, Injectable, type CallHandler, type ExecutionContext, type NestInterceptor } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import type { Observable } from 'rxjs';

/** Deeper than any real payload (an Alertmanager alert is 5 levels), far from what overflows a recursive walk. */
export const MAX_JSON_DEPTH = 64;

const NUL = '\u0000';
/** A high surrogate not followed by a low one, or a low one not preceded by a high one. */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

function textProblem(text: string): string | undefined {
  if (text.includes(NUL)) return 'a NUL character (\\u0000)';
  if (LONE_SURROGATE.test(text)) return 'a lone UTF-16 surrogate (half of a pair, not a character)';
  return undefined;
}

/**
 * What in `value` cannot be stored or serialised, with its path: a NUL
 * character or a lone surrogate (Postgres refuses both in text and jsonb), or
 * nesting deeper than MAX_JSON_DEPTH (JSON.stringify and the validators recurse).
 */
export function inputProblem(value: unknown, path: string, depth = 0): string | undefined {
  if (typeof value === 'string') {
    const problem = textProblem(value);
    return problem && `${path}: contains ${problem}`;
  }
  if (value === null || typeof value !== 'object') return undefined;
  if (depth >= MAX_JSON_DEPTH) return `${path}: nested deeper than ${MAX_JSON_DEPTH} levels`;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const problem = inputProblem(value[i], `${path}[${i}]`, depth + 1);
      if (problem) return problem;
    }
    return undefined;
  }
  for (const [key, item] of Object.entries(value)) {
    const keyProblem = textProblem(key);
    if (keyProblem) return `${path}: has a key with ${keyProblem}`;
    const problem = inputProblem(item, `${path}.${key}`, depth + 1);
    if (problem) return problem;
  }
  return undefined;
}

/**
 * Refuses, for every route and before any pipe or handler sees it, input that
 * would otherwise fail deep inside as a 500: in the body, the query string or
 * the path. Runs after the guards, so an unauthenticated caller learns nothing.
 */
@Injectable()
export class RequestInputInterceptor implements NestInterceptor {
  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    if (context.getType() === 'http') {
      const request = context.switchToHttp().getRequest<FastifyRequest>();
      const problem =
        inputProblem(request.body, 'body') ??
        namedValuesProblem(request.query, 'query parameter') ??
        namedValuesProblem(request.params, 'path parameter');
      if (problem) throw new BadRequestException([problem]);
    }
    return next.handle();
  }
}

/** Query and path parameters: flat names to strings (or lists of strings, for a repeated query parameter). */
function namedValuesProblem(values: unknown, kind: string): string | undefined {
  if (values === null || typeof values !== 'object') return undefined;
  for (const [name, value] of Object.entries(values)) {
    const nameProblem = textProblem(name);
    if (nameProblem) return `${kind} names: one contains ${nameProblem}`;
    for (const item of [value].flat()) {
      const problem = typeof item === 'string' ? textProblem(item) : undefined;
      if (problem) return `${kind} ${name === '*' ? 'path' : name}: contains ${problem}`;
    }
  }
  return undefined;
}
