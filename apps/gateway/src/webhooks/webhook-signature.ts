import { createHmac, timingSafeEqual } from 'node:crypto';

/** Where senders put the signature: ours, and GitHub's (same form). */
export const SIGNATURE_HEADERS = ['x-tempest-signature', 'x-hub-signature-256'] as const;

const FORM = /^sha256=([0-9a-fA-F]{64})$/;

/** `sha256=<hex>`, the HMAC-SHA256 of the body as sent, as GitHub signs webhooks. */
export function signBody(secret: string, body: Buffer): string {
  return `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;
}

/** Whether `signature` is the body's HMAC under `secret`, compared in constant time. */
export function verifySignature(secret: string, body: Buffer, signature: string): boolean {
  const given = FORM.exec(signature.trim())?.[1];
  if (!given) return false;
  const expected = createHmac('sha256', secret).update(body).digest();
  return timingSafeEqual(expected, Buffer.from(given, 'hex'));
}
