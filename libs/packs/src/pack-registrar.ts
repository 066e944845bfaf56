import type { PackRepository, UpsertOutcome } from '@tempest/db';
import { loadPacks } from './pack-loader';
import { formatProblem } from './yaml-file';

export interface RegistrationReport {
  created: string[];
  updated: string[];
  unchanged: string[];
  /** One line per problem, `file:line: field: message`. */
  problems: string[];
}

/**
 * Registers every valid pack in `packsDir`; broken ones are reported and
 * skipped. Idempotent: a pack whose metadata did not change is not rewritten.
 */
export async function registerPacks(repository: PackRepository, packsDir: string): Promise<RegistrationReport> {
  const loaded = await loadPacks(packsDir);
  const report: RegistrationReport = { created: [], updated: [], unchanged: [], problems: [] };
  for (const pack of loaded.packs) {
    const outcome: UpsertOutcome = await repository.upsert(pack);
    report[outcome].push(pack.ref);
  }
  report.problems = loaded.failed.flatMap((f) => f.problems.map(formatProblem));
  return report;
}
