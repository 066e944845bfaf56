import { dirname, join, relative } from 'node:path';
import { ActionAliasRepository, ActionRepository, PackConfigRepository, PackRepository, PolicyRepository, RuleRepository, SensorTypeRepository, TriggerTypeRepository, type Database, type RuleRecord, type SecretCipher } from '@tempest/db';
import { SYSTEM_USER } from '@tempest/domain';
import { loadPack, loadPacks, type LoadedPack } from './pack-loader';
import type { RuleMetadata } from './rule-loader';
import { PackDependencyError, packPython } from './python-virtualenv';
import { formatProblem } from './yaml-file';

export interface PackRegistration {
  ref: string;
  outcome: 'created' | 'updated' | 'unchanged';
  actions: { created: string[]; updated: string[]; unchanged: string[]; removed: string[] };
  trigger_types: { created: string[]; updated: string[]; unchanged: string[]; removed: string[] };
  sensors: { created: string[]; updated: string[]; unchanged: string[]; removed: string[] };
  /** Rules from rules/*.yaml; rules made through the API are left alone. */
  rules: { created: string[]; updated: string[]; unchanged: string[]; removed: string[] };
  /** Action aliases from aliases/*.yaml. */
  aliases: { created: string[]; updated: string[]; unchanged: string[]; removed: string[] };
  /** `file:line: field: message` of what registered but fails when run (a workflow definition that fails inspection). */
  warnings: string[];
}

export interface RegistrationReport {
  packs: PackRegistration[];
  /** One line per problem, `file:line: field: message`; those packs were skipped. */
  problems: string[];
}

/**
 * Writes one loaded pack (metadata, actions, config) in one transaction. A
 * changed config counts as a change of the pack.
 */
function writePack(db: Database, { pack, actions, config, triggerTypes, sensors, rules, aliases, warnings, policies }: LoadedPack, cipher: SecretCipher | undefined): Promise<PackRegistration> {
  return db.transaction().execute(async (trx) => {
    const outcome = await new PackRepository(trx).upsert(pack);
    const configs = new PackConfigRepository(trx, cipher);
    const configChanged = config ? await configs.upsert({ pack: pack.ref, schema: config.schema, values: config.values }) : await configs.delete(pack.ref);
    // Shown by /api/v1/policies; a run applies the copies on the actions' rows.
    await new PolicyRepository(trx).replaceForPack(pack.ref, policies);
    return {
      ref: pack.ref,
      outcome: outcome === 'unchanged' && configChanged ? 'updated' : outcome,
      actions: await new ActionRepository(trx).replaceForPack(pack.ref, actions),
      trigger_types: await new TriggerTypeRepository(trx).replaceForPack(pack.ref, triggerTypes),
      sensors: await new SensorTypeRepository(trx).replaceForPack(pack.ref, sensors),
      // After actions and trigger types; every gateway's rules engine follows through NOTIFY.
      rules: await new RuleRepository(trx).replaceForPack(pack.ref, rules.map(ruleRecord)),
      aliases: await new ActionAliasRepository(trx).replaceForPack(pack.ref, aliases),
      warnings: warnings.map(formatProblem),
    };
  });
}

/**
 * Registers every valid pack in `packsDir` with its actions and config (values
 * from `configsDir`, sealed with `cipher`, the datastore key's), each pack in one transaction; broken packs are reported
 * and skipped. Idempotent: what did not change is not rewritten, and actions
 * no longer defined are removed.
 */
export async function registerPacks(db: Database, packsDir: string, configsDir?: string, cipher?: SecretCipher): Promise<RegistrationReport> {
  const loaded = await loadPacks(packsDir, configsDir);
  const report: RegistrationReport = { packs: [], problems: loaded.failed.flatMap((f) => f.problems.map(formatProblem)) };
  for (const pack of loaded.packs) {
    const dependencyProblem = await installDependencies(pack, dirname(packsDir));
    if (dependencyProblem) report.problems.push(dependencyProblem);
    else report.packs.push(await writePack(db, pack, cipher));
  }
  return report;
}

/** Installs the pack's requirements.txt into its virtualenv before anything of it is registered; the problem, if pip failed. */
async function installDependencies(pack: LoadedPack, displayRoot: string): Promise<string | undefined> {
  try {
    await packPython(pack.pack.path, pack.pack.ref);
    return undefined;
  } catch (error) {
    if (!(error instanceof PackDependencyError)) throw error;
    return formatProblem({ file: relative(displayRoot, join(pack.pack.path, 'requirements.txt')), message: `${error.message} (the pack was not registered)` });
  }
}

/** One line for people: how many packs and actions, and what changed. */
export function summarizeRegistration(report: RegistrationReport): string {
  const count = (outcome: string) => report.packs.filter((p) => p.outcome === outcome).length;
  const actions = report.packs.reduce((n, p) => n + p.actions.created.length + p.actions.updated.length + p.actions.unchanged.length, 0);
  const removed = report.packs.reduce((n, p) => n + p.actions.removed.length, 0);
  return `registered ${report.packs.length} pack${report.packs.length === 1 ? '' : 's'} with ${actions} action${actions === 1 ? '' : 's'} (${count('created')} new, ${count('updated')} updated${removed ? `, ${removed} actions removed` : ''})`;
}

/** Registers one pack folder (with its actions and config) in one transaction, or returns its problems. */
export async function registerPack(db: Database, packDir: string, displayRoot: string, configsDir?: string, cipher?: SecretCipher): Promise<PackRegistration | { problems: string[] }> {
  const loaded = await loadPack(packDir, displayRoot, configsDir);
  if (Array.isArray(loaded)) return { problems: loaded.map(formatProblem) };
  const dependencyProblem = await installDependencies(loaded, displayRoot);
  if (dependencyProblem) return { problems: [dependencyProblem] };
  return writePack(db, loaded, cipher);
}

/** A pack's rule as it is stored: its executions run as the system user unless its context names one. */
function ruleRecord(rule: RuleMetadata): RuleRecord {
  return {
    ref: rule.ref,
    pack: rule.pack,
    name: rule.name,
    description: rule.description ?? '',
    enabled: rule.enabled,
    type: rule.type,
    trigger: rule.trigger,
    criteria: rule.criteria,
    action: rule.action,
    context: rule.context ?? {},
    metadataFile: rule.metadataFile,
    createdBy: SYSTEM_USER,
  };
}
