import { readdir, stat } from 'node:fs/promises';
import { join, relative } from 'node:path';
import type { ActionAliasRecord, PolicyRecord, SensorTypeRecord, TriggerTypeRecord } from '@tempest/db';
import { PACK_REF } from '@tempest/domain';
import { loadActions } from './action-loader';
import { loadAliases } from './alias-loader';
import type { ActionMetadata } from './action-metadata';
import { loadPolicies } from './policy-loader';
import { loadPackConfig, type PackConfig } from './pack-config-loader';
import { packMetadataSchema, type PackMetadata } from './pack-metadata';
import { loadTriggerTypes } from './trigger-loader';
import { loadSensors } from './sensor-loader';
import { loadRules, type RuleMetadata } from './rule-loader';
import { readYamlFile, type ContentProblem } from './yaml-file';

/** A pack with everything in it that passed validation. */
export interface LoadedPack {
  pack: PackMetadata;
  actions: ActionMetadata[];
  /** config.schema.yaml and configs/<pack>.yaml, when the pack has either. */
  config?: PackConfig;
  /** Trigger types from triggers/*.yaml, and those the pack's sensors declare. */
  triggerTypes: TriggerTypeRecord[];
  /** Sensors from sensors/*.yaml. */
  sensors: SensorTypeRecord[];
  /** Rules from rules/*.yaml, compiled by libs/rules (not registered by the pack registrar). */
  rules: RuleMetadata[];
  /** Action aliases from aliases/*.yaml. */
  aliases: ActionAliasRecord[];
  /** What registers but fails when run: a workflow action whose definition fails inspection. */
  warnings: ContentProblem[];
  /** Policies from policies/*.yaml as written (disabled ones too); what runs apply is on the actions. */
  policies: PolicyRecord[];
}

export interface LoadedPacks {
  packs: LoadedPack[];
  /** Packs skipped, each with every problem found in it. */
  failed: { path: string; problems: ContentProblem[] }[];
}

async function isDirectory(path: string): Promise<boolean> {
  return (await stat(path).catch(() => undefined))?.isDirectory() ?? false;
}

/**
 * Validates one pack: pack.yaml, its actions and its config (values from
 * `<configsDir>/<ref>.yaml`, by default the configs folder next to the packs
 * folder). Problems name the file, the line and the field; one problem
 * anywhere fails the whole pack, so it is never half-registered. A workflow
 * whose definition fails inspection is a warning, not a problem (st2 inspects it when it runs).
 */
export async function loadPack(packDir: string, displayRoot: string, configsDir = join(packDir, '..', '..', 'configs')): Promise<LoadedPack | ContentProblem[]> {
  const file = join(packDir, 'pack.yaml');
  const shown = relative(displayRoot, file) || file;
  const yaml = await readYamlFile(file);
  if (!('data' in yaml)) return [{ ...yaml, file: shown }];
  const parsed = packMetadataSchema.safeParse(yaml.data ?? {});
  if (!parsed.success) {
    return parsed.error.issues.map((issue) => ({
      file: shown,
      line: yaml.lineOf(issue.path as (string | number)[]),
      field: issue.path.join('.') || undefined,
      message: issue.message,
    }));
  }
  const data = parsed.data;
  const ref = data.ref ?? data.name;
  if (!PACK_REF.test(ref)) {
    return [{ file: shown, line: yaml.lineOf(['name']), field: 'name', message: `"${data.name}" cannot serve as the pack's ref: set ref to lowercase letters, digits and underscores` }];
  }
  const pack: PackMetadata = {
    ref,
    name: data.name,
    description: data.description,
    version: data.version,
    author: data.author,
    email: data.email,
    keywords: data.keywords ?? [],
    dependencies: data.dependencies ?? [],
    path: packDir,
    metadata: yaml.data as Record<string, unknown>,
  };
  const { actions, problems, warnings } = await loadActions(packDir, ref, displayRoot);
  const { policies, records: policyRecords, problems: policyProblems } = await loadPolicies(packDir, ref, actions.map((a) => a.ref), displayRoot);
  for (const policy of policies) {
    const action = actions.find((a) => a.ref === policy.actionRef)!;
    if ('concurrency' in policy) {
      action.concurrency = [...(action.concurrency ?? []), policy.concurrency];
      continue;
    }
    if (action.retry) policyProblems.push({ file: relative(displayRoot, join(packDir, 'policies')), field: 'resource_ref', message: `more than one retry policy for ${action.ref}` });
    action.retry = policy.retry;
  }
  const config = await loadPackConfig(packDir, ref, configsDir, displayRoot);
  const configProblems = Array.isArray(config) ? config : [];
  const { triggerTypes, problems: triggerProblems } = await loadTriggerTypes(packDir, ref, displayRoot);
  const { sensors, triggerTypes: sensorTriggerTypes, problems: sensorProblems } = await loadSensors(packDir, ref, displayRoot, triggerTypes);
  triggerProblems.push(...sensorProblems);
  triggerTypes.push(...sensorTriggerTypes);
  const { rules, problems: ruleProblems } = await loadRules(packDir, ref, displayRoot);
  const { aliases, problems: aliasProblems } = await loadAliases(packDir, ref, displayRoot);
  const all = [...problems, ...policyProblems, ...configProblems, ...triggerProblems, ...ruleProblems, ...aliasProblems];
  if (all.length > 0) return all;
  return { pack, actions, config: (config as { config?: PackConfig }).config, triggerTypes, sensors, rules, aliases, warnings, policies: policyRecords };
}

/**
 * Every pack in `packsDir` (one folder each). A broken pack is reported and
 * skipped; the others still load. Two folders claiming one ref both fail.
 */
export async function loadPacks(packsDir: string, configsDir = join(packsDir, '..', 'configs')): Promise<LoadedPacks> {
  const result: LoadedPacks = { packs: [], failed: [] };
  if (!(await isDirectory(packsDir))) return result;
  const displayRoot = join(packsDir, '..');
  for (const entry of (await readdir(packsDir)).sort()) {
    const dir = join(packsDir, entry);
    if (entry.startsWith('.') || !(await isDirectory(dir))) continue;
    const loaded = await loadPack(dir, displayRoot, configsDir);
    if (Array.isArray(loaded)) result.failed.push({ path: dir, problems: loaded });
    else result.packs.push(loaded);
  }
  const byRef = new Map<string, PackMetadata[]>();
  for (const { pack } of result.packs) byRef.set(pack.ref, [...(byRef.get(pack.ref) ?? []), pack]);
  for (const [ref, claimants] of byRef) {
    if (claimants.length < 2) continue;
    result.packs = result.packs.filter((p) => p.pack.ref !== ref);
    for (const pack of claimants) {
      const others = claimants.filter((p) => p !== pack).map((p) => relative(displayRoot, p.path));
      result.failed.push({ path: pack.path, problems: [{ file: relative(displayRoot, join(pack.path, 'pack.yaml')), field: 'ref', message: `"${ref}" is also the ref of ${others.join(', ')}` }] });
    }
  }
  return result;
}
