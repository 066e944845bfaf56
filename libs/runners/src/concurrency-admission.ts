import { ConcurrencyRepository, type Database } from '@tempest/db';
import type { ConcurrencyPolicy } from '@tempest/domain';

/** A policy whose threshold a run would pass, and the runs that already hold its slots. */
export interface HeldBack {
  policy: ConcurrencyPolicy;
  running: number;
}

/**
 * StackStorm's action.concurrency(.attr) check, made where the run would
 * start: the first of `policies` whose threshold is reached by the runs of the
 * action already holding a slot (for .attr, those whose listed parameters have
 * this run's values; a listed parameter this run lacks is not compared, as in
 * StackStorm). Call it in the transaction that then starts the run: it locks
 * the action's slots until that transaction ends.
 */
export async function heldBackBy(slots: ConcurrencyRepository, run: { executionId: string; actionRef: string; parameters: Record<string, unknown> }, policies: readonly ConcurrencyPolicy[]): Promise<HeldBack | undefined> {
  await slots.lock(run.actionRef);
  for (const policy of policies) {
    const matching = Object.fromEntries((policy.attributes ?? []).filter((name) => run.parameters[name] !== undefined).map((name) => [name, run.parameters[name]]));
    const running = await slots.count(run.actionRef, run.executionId, matching);
    if (running >= policy.threshold) return { policy, running };
  }
  return undefined;
}

/**
 * Starts the run with `start` (the statement that marks it running) unless a
 * policy holds it back, in one transaction under the action's lock, so that
 * replicas racing to start runs of the same action never pass a threshold.
 * Held back by a `delay` policy, the run is marked `delayed`.
 */
export async function startWithinPolicies<T>(
  db: Database,
  run: { executionId: string; actionRef: string; parameters: Record<string, unknown> },
  policies: readonly ConcurrencyPolicy[],
  start: (trx: Database) => Promise<T>,
): Promise<{ held: HeldBack } | { started: T }> {
  return db.transaction().execute(async (trx) => {
    const slots = new ConcurrencyRepository(trx);
    const held = await heldBackBy(slots, run, policies);
    if (!held) return { started: await start(trx) };
    if (held.policy.action === 'delay') await slots.delay(run.executionId);
    return { held };
  });
}

/** What the result of a run canceled by a policy says. */
export function canceledByPolicy({ policy, running }: HeldBack, actionRef: string): string {
  const by = policy.attributes?.length ? ` with the same ${policy.attributes.join(', ')}` : '';
  return `canceled by policy "${policy.ref}" (${policy.type}, threshold ${policy.threshold}): ${running} run(s) of ${actionRef}${by} already running`;
}
