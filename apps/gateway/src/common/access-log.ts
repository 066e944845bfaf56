import { LogController, type FastifyReply, type FastifyRequest } from 'fastify';

/**
 * The access log: one line per request, written once it is answered, with
 * its method, URL, status and time, where Fastify writes two (incoming and
 * completed). API keys travel in headers, which are not logged.
 */
export class AccessLog extends LogController {
  override incomingRequest(): void {
    // Told with the answer instead.
  }

  override requestCompleted(error: Error | null | undefined, request: FastifyRequest, reply: FastifyReply): void {
    const line = { method: request.method, url: request.url, statusCode: reply.statusCode, responseTime: Math.round(reply.elapsedTime * 10) / 10 };
    if (error) reply.log.error({ ...line, err: error }, 'request errored');
    else reply.log.info(line, 'request');
  }
}
