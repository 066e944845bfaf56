import { createHash, randomBytes } from 'node:crypto';
import type { ActionTokenRepository } from '@tempest/db';

/** Told apart from API keys (`tpst_`) by people and secret scanners. */
const PREFIX = 'tpat_';
/** Beyond the action's timeout: the workflow's own margin before it gives up on a worker. */
const MARGIN_SECONDS = 60;

/**
 * Mints the API token one run of an execution gets as ST2_ACTION_AUTH_TOKEN:
 * random, stored only as its sha256, acting as the execution's user, expiring
 * `timeoutSeconds` (plus a margin) from now unless revoked before.
 */
export async function mintActionToken(tokens: ActionTokenRepository, grant: { executionId: string; user: string; timeoutSeconds: number }): Promise<string> {
  const token = `${PREFIX}${randomBytes(32).toString('base64url')}`;
  await tokens.deleteExpired();
  await tokens.create({
    tokenHash: createHash('sha256').update(token).digest('hex'),
    executionId: grant.executionId,
    user: grant.user,
    expiresAt: new Date(Date.now() + (grant.timeoutSeconds + MARGIN_SECONDS) * 1000),
  });
  return token;
}
