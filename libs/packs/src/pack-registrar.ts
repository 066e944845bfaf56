import { ActionRepository, PackRepository, type Database } from '@tempest/db';
import { loadPack, loadPacks } from './pack-loader';
import { formatProblem } from './yaml-file';

export interface PackRegistration {
  ref: string;
  outcome: 'created' | 'updated' | 'unchanged';
  actions: { created: string[]; updated: string[]; unchanged: string[]; removed: string[] };
}

export interface RegistrationReport {
  packs: PackRegistration[];
  /** One line per problem, `file:line: field: message`; those packs were skipped. */
  problems: string[];
}

/**
 * Registers every valid pack in `packsDir` with its actions, each pack in one
 * transaction; broken packs are reported and skipped. Idempotent: what did
 * not change is not rewritten, and actions no longer defined are removed.
 */
export async function registerPacks(db: Database, packsDir: string): Promise<RegistrationReport> {
  const loaded = await loadPacks(packsDir);
  const report: RegistrationReport = { packs: [], problems: loaded.failed.flatMap((f) => f.problems.map(formatProblem)) };
  for (const { pack, actions } of loaded.packs) {
    report.packs.push(
      await db.transaction().execute(async (trx) => ({
        ref: pack.ref,
        outcome: await new PackRepository(trx).upsert(pack),
        actions: await new ActionRepository(trx).replaceForPack(pack.ref, actions),
      })),
    );
  }
  return report;
}

/** One line for people: how many packs and actions, and what changed. */
export function summarizeRegistration(report: RegistrationReport): string {
  const count = (outcome: string) => report.packs.filter((p) => p.outcome === outcome).length;
  const actions = report.packs.reduce((n, p) => n + p.actions.created.length + p.actions.updated.length + p.actions.unchanged.length, 0);
  const removed = report.packs.reduce((n, p) => n + p.actions.removed.length, 0);
  return `registered ${report.packs.length} pack${report.packs.length === 1 ? '' : 's'} with ${actions} action${actions === 1 ? '' : 's'} (${count('created')} new, ${count('updated')} updated${removed ? `, ${removed} actions removed` : ''})`;
}

/** Registers one pack folder (with its actions) in one transaction, or returns its problems. */
export async function registerPack(db: Database, packDir: string, displayRoot: string): Promise<PackRegistration | { problems: string[] }> {
  const loaded = await loadPack(packDir, displayRoot);
  if (Array.isArray(loaded)) return { problems: loaded.map(formatProblem) };
  const { pack, actions } = loaded;
  return db.transaction().execute(async (trx) => ({
    ref: pack.ref,
    outcome: await new PackRepository(trx).upsert(pack),
    actions: await new ActionRepository(trx).replaceForPack(pack.ref, actions),
  }));
}
