import { isDeepStrictEqual } from 'node:util';
import { BadRequestException } from '@nestjs/common';

/** Fields that move by themselves: an echo of an older read may hold other values. */
const MOVING_FIELDS = new Set(['enabled', 'registered_at', 'updated_at', 'created_at']);

/**
 * The `enabled` of a PUT that sends back a resource as read, as StackStorm's
 * CLI enables and disables actions and sensors (`st2 action disable x` GETs
 * x, sets enabled and PUTs the whole of it). Tempest keeps only `enabled`
 * from the API: the rest comes from the pack's files, so a PUT changing any
 * other field is refused, naming the field, rather than half applied.
 */
export function enabledFromEcho(body: unknown, current: object, metadataFile: string): boolean {
  if (body === null || typeof body !== 'object' || Array.isArray(body)) throw new BadRequestException('the body must be the resource as GET answers it, with enabled true or false');
  const echoed = body as Record<string, unknown>;
  const read = current as Record<string, unknown>;
  const problems: string[] = [];
  if (typeof echoed.enabled !== 'boolean') problems.push('enabled must be true or false');
  for (const [field, value] of Object.entries(echoed)) {
    if (MOVING_FIELDS.has(field)) continue;
    if (!(field in read)) problems.push(`property ${field} should not exist`);
    else if (!isDeepStrictEqual(value, read[field])) problems.push(`${field}: only enabled can be changed through the API; the rest comes from the pack's ${metadataFile}`);
  }
  if (problems.length > 0) throw new BadRequestException(problems);
  return echoed.enabled as boolean;
}
