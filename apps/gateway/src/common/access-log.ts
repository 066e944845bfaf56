import type { FastifyInstance } from 'fastify';

/**
 * The access log: one line per request, written once it is answered, with
 * its method, URL, status and time (Fastify's own request logging, two lines
 * per request, is off). API keys travel in headers, which are not logged.
 */
export function logAnswered(fastify: FastifyInstance): void {
  fastify.addHook('onResponse', (request, reply, done) => {
    request.log.info({ method: request.method, url: request.url, statusCode: reply.statusCode, responseTime: Math.round(reply.elapsedTime * 10) / 10 }, 'request');
    done();
  });
}
