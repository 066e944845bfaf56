import type { FastifyInstance } from 'fastify';

/**
 * A request that sends no body has nothing to parse, whatever Content-Type it
 * names: many clients (StackStorm's among them) send `application/json` on
 * every request, DELETE included, and Fastify's JSON parser refuses an empty
 * body. Call before routes are added.
 */
export function ignoreContentTypeWithoutBody(fastify: FastifyInstance): void {
  fastify.addHook('onRequest', (request, _reply, done) => {
    const { headers } = request;
    const noBody = headers['transfer-encoding'] === undefined && (headers['content-length'] === undefined || headers['content-length'] === '0');
    if (noBody && headers['content-type'] !== undefined) delete headers['content-type'];
    done();
  });
}
