import type { FastifyInstance } from 'fastify';

export const WEBHOOKS_PATH = '/api/v1/webhooks';

/** Webhook bodies have a limit of their own (TEMPEST_WEBHOOK_MAX_BYTES): 413 beyond it. Call before routes are added. */
export function limitWebhookBodies(fastify: FastifyInstance, maxBytes: number): void {
  fastify.addHook('onRoute', (route) => {
    if (route.url.startsWith(`${WEBHOOKS_PATH}/`)) route.bodyLimit = maxBytes;
  });
}
