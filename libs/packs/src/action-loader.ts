import { statSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join, relative, resolve, sep } from 'node:path';
import { findRunnerType, OVERRIDABLE_RUNNER_FIELDS, TEMPORAL_WORKFLOW_RUNNER, toRef } from '@tempest/domain';
import { actionMetadataSchema, type ActionMetadata } from './action-metadata';
import { definitionProblems, runnerDialect } from './workflow-inspection';
import { readYamlFolder, type ContentProblem } from './yaml-file';

/** A TypeScript workflow's action: its name is the workflow type its pack's bundle registers, its entry point a module. */
function temporalWorkflowProblems(data: { name: string; entry_point?: string }, at: (path: (string | number)[], field: string, message: string) => ContentProblem): ContentProblem[] {
  const problems: ContentProblem[] = [];
  if (!/^[A-Za-z][A-Za-z0-9_]*$/.test(data.name)) problems.push(at(['name'], 'name', `is the workflow's Temporal workflow type: a letter, then letters, digits and _ (runner ${TEMPORAL_WORKFLOW_RUNNER})`));
  if (data.entry_point && !/\.(ts|mts|js|mjs)$/.test(data.entry_point)) problems.push(at(['entry_point'], 'entry_point', `must name a TypeScript or JavaScript module (.ts, .js) for runner ${TEMPORAL_WORKFLOW_RUNNER}`));
  return problems;
}

/**
 * Every action metadata file directly in `<pack>/actions/` (workflow
 * definitions live in actions/workflows/ and are not action metadata).
 */
export async function loadActions(packDir: string, packRef: string, displayRoot: string): Promise<{ actions: ActionMetadata[]; problems: ContentProblem[]; warnings: ContentProblem[] }> {
  const actionsDir = join(packDir, 'actions');
  const actions: ActionMetadata[] = [];
  const problems: ContentProblem[] = [];
  const warnings: ContentProblem[] = [];
  for (const yaml of await readYamlFolder(actionsDir, displayRoot)) {
    if (!('data' in yaml)) {
      problems.push(yaml);
      continue;
    }
    const { file, shown } = yaml;
    const at = (path: (string | number)[], field: string, message: string): ContentProblem => ({ file: shown, line: yaml.lineOf(path), field, message });
    const parsed = actionMetadataSchema.safeParse(yaml.data ?? {});
    if (!parsed.success) {
      for (const issue of parsed.error.issues) problems.push(at(issue.path as (string | number)[], issue.path.join('.'), issue.message));
      continue;
    }
    const data = parsed.data;
    const fileProblems: ContentProblem[] = [];
    if (data.pack !== undefined && data.pack !== packRef) fileProblems.push(at(['pack'], 'pack', `names pack "${data.pack}", but the file is in pack "${packRef}"`));
    const runner = findRunnerType(data.runner_type)!;
    if (runner.needsEntryPoint) {
      // A script or a workflow definition alike: a file of the pack's actions folder, where the worker looks for it.
      // Whether a script is executable is the worker's to say, on its own copy of the pack.
      const file = resolve(actionsDir, data.entry_point ?? '');
      const what = runner.name === TEMPORAL_WORKFLOW_RUNNER ? 'module' : runner.workflow ? 'workflow definition' : 'file';
      if (!data.entry_point) fileProblems.push(at(['entry_point'], 'entry_point', `required by runner ${runner.name}`));
      else if (!file.startsWith(resolve(actionsDir) + sep)) fileProblems.push(at(['entry_point'], 'entry_point', "must name a file inside the pack's actions folder"));
      else if (!statSync(file, { throwIfNoEntry: false })?.isFile()) fileProblems.push(at(['entry_point'], 'entry_point', `no ${what} actions/${data.entry_point} in the pack`));
    }
    if (runner.name === TEMPORAL_WORKFLOW_RUNNER) fileProblems.push(...temporalWorkflowProblems(data, at));
    for (const [name, spec] of Object.entries(data.parameters)) {
      const base = runner.parameters[name];
      if (!base || runner.actionDeclared?.includes(name)) continue;
      const changed = Object.keys(spec).filter((field) => !(OVERRIDABLE_RUNNER_FIELDS as readonly string[]).includes(field) && JSON.stringify(spec[field as keyof typeof spec]) !== JSON.stringify(base[field as keyof typeof base]));
      if (changed.length > 0) {
        fileProblems.push(at(['parameters', name], `parameters.${name}`, `overrides runner parameter ${name} of ${runner.name}: only ${OVERRIDABLE_RUNNER_FIELDS.join(', ')} may change, not ${changed.join(', ')}`));
      }
    }
    if (fileProblems.length > 0) {
      problems.push(...fileProblems);
      continue;
    }
    // As st2, which inspects a workflow's definition only when it runs: the action registers, and the
    // problems are a warning here and the failure of each run (conductor.activities, loadDefinition).
    if (runnerDialect(runner.name)) {
      const definition = resolve(actionsDir, data.entry_point!);
      warnings.push(...(await definitionProblems(await readFile(definition, 'utf8'), runner.name, relative(displayRoot, definition))));
    }
    actions.push({
      ref: toRef(packRef, data.name),
      pack: packRef,
      name: data.name,
      description: data.description ?? '',
      // An alias (`orchestra`) is stored as the runner's name, so that everything after sees one name.
      runnerType: runner.name,
      entryPoint: data.entry_point,
      enabled: data.enabled,
      parameters: data.parameters,
      outputSchema: data.output_schema,
      tags: data.tags,
      metadataFile: relative(packDir, file),
      metadata: yaml.data as Record<string, unknown>,
    });
  }
  const seen = new Map<string, string>();
  for (const action of actions) {
    const first = seen.get(action.name);
    if (first) problems.push({ file: relative(displayRoot, join(packDir, action.metadataFile)), field: 'name', message: `"${action.name}" is also the name of the action in ${first}` });
    else seen.set(action.name, action.metadataFile);
  }
  return { actions, problems, warnings };
}
