import { ArgumentsHost, Catch, ExceptionFilter, HttpException, HttpStatus } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { isDatabaseUnavailable } from '@tempest/db';
import type { Logger } from '@tempest/logging';
import { DatabaseError } from 'pg';

/** What a 503 for a database outage tells a retrying sender to wait; a Postgres restart takes seconds. */
const DATABASE_RETRY_AFTER_SECONDS = 5;

export interface ErrorBody {
  statusCode: number;
  error: string;
  message: string | string[];
  /** The message as one text, where StackStorm's clients (st2client) read it. */
  faultstring: string;
  requestId: string;
}

/**
 * The one shape of every error answer, with StackStorm's `faultstring` (the
 * message as one text) beside Tempest's fields. Expected errors keep their message;
 * a database outage is a 503 with Retry-After;
 * anything else is logged with its stack and answered as a 500 that carries
 * only the request id, never internals.
 */
@Catch()
export class ErrorFilter implements ExceptionFilter {
  constructor(private readonly logger: Logger) {}

  catch(exception: unknown, host: ArgumentsHost): void {
    const request = host.switchToHttp().getRequest<FastifyRequest>();
    const reply = host.switchToHttp().getResponse<FastifyReply>();
    const requestId = String(request.id);
    let body: Omit<ErrorBody, 'faultstring'>;
    if (exception instanceof HttpException) {
      const status = exception.getStatus();
      const response = exception.getResponse();
      const message = typeof response === 'string' ? response : ((response as { message?: string | string[] }).message ?? exception.message);
      body = { statusCode: status, error: HttpStatus[status] ?? 'Error', message, requestId };
    } else if (isClientError(exception)) {
      // Fastify's own 4xx (bad JSON, body too large, bad content type).
      body = { statusCode: exception.statusCode, error: HttpStatus[exception.statusCode] ?? 'Error', message: exception.message, requestId };
    } else if (isDataException(exception)) {
      // A backstop: validation should have refused the value, so it is logged to be fixed there.
      this.logger.warn({ err: exception, requestId, url: request.url }, 'input reached Postgres unvalidated');
      body = { statusCode: 400, error: 'BAD_REQUEST', message: `a value in the request cannot be stored or compared (Postgres SQLSTATE ${exception.code})`, requestId };
    } else if (isDatabaseUnavailable(exception)) {
      // Postgres is down, restarting or unreachable: not the sender's fault, and it passes.
      this.logger.warn({ err: exception, requestId, url: request.url }, 'database unavailable');
      void reply.header('retry-after', String(DATABASE_RETRY_AFTER_SECONDS));
      body = { statusCode: 503, error: 'SERVICE_UNAVAILABLE', message: 'the database is unavailable; try again', requestId };
    } else {
      this.logger.error({ err: exception, requestId, url: request.url }, 'unhandled error');
      body = { statusCode: 500, error: 'INTERNAL_SERVER_ERROR', message: `internal error; quote request id ${requestId} when reporting it`, requestId };
    }
    const faultstring = Array.isArray(body.message) ? body.message.join('; ') : body.message;
    void reply.status(body.statusCode).header('content-type', 'application/json').send({ ...body, faultstring });
  }
}

/**
 * Postgres class 22, "data exception": a value Postgres refuses (NUL in text,
 * a number out of range, text where a number belongs), which only input can cause.
 * Its message is not repeated: it can quote the value.
 */
function isDataException(e: unknown): e is DatabaseError & { code: string } {
  return e instanceof DatabaseError && typeof e.code === 'string' && e.code.startsWith('22');
}

function isClientError(e: unknown): e is { statusCode: number; message: string } {
  const code = (e as { statusCode?: unknown })?.statusCode;
  return typeof code === 'number' && code >= 400 && code < 500;
}
