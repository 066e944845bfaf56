import { join, relative } from 'node:path';
import { z } from 'zod';
import { RESOURCE_NAME, toRef, validateTimerParameters } from '@tempest/domain';
import { formatRulePath, validateRule, type RuleDefinition } from '@tempest/rules';
import { readYamlFolder, type ContentProblem } from './yaml-file';

const mapping = (what: string) => z.record(z.string(), z.unknown(), { error: `expected a mapping of ${what}` });

/**
 * rules/*.yaml as StackStorm defines a rule (st2common/models/api/rule.py):
 * unknown top-level and action fields are refused, as StackStorm does. A
 * rule without `enabled` is disabled, as in StackStorm.
 */
const ruleFileSchema = z.strictObject({
  name: z.string({ error: 'required' }).regex(RESOURCE_NAME, 'expected letters, digits, underscores, dots and dashes'),
  pack: z.string().optional(),
  ref: z.string().optional(),
  uid: z.string().optional(),
  id: z.string().optional(),
  description: z.string().optional(),
  enabled: z.boolean({ error: 'expected true or false' }).default(false),
  type: z
    .strictObject({
      ref: z.enum(['standard', 'backstop'], { error: 'expected standard or backstop' }),
      parameters: mapping('parameters').optional(),
    })
    .optional(),
  trigger: z.looseObject(
    {
      type: z.string({ error: 'required: the trigger type ref, e.g. core.st2.webhook' }).min(1, 'required: the trigger type ref, e.g. core.st2.webhook'),
      parameters: mapping('trigger parameters').nullish(),
    },
    { error: (issue) => (issue.code === 'invalid_type' ? 'required: {type, parameters}' : undefined) },
  ),
  criteria: mapping('criteria keys to {type, pattern}').nullish(),
  action: z.strictObject(
    {
      ref: z.string({ error: 'required: the action ref, <pack>.<name>' }),
      description: z.string().optional(),
      parameters: mapping('action parameters').nullish(),
    },
    { error: (issue) => (issue.code === 'invalid_type' ? 'required: {ref, parameters}' : undefined) },
  ),
  context: mapping('context values').optional(),
  tags: z.array(z.object({ name: z.string(), value: z.string().optional() }), { error: 'expected a list of {name, value}' }).default([]),
  metadata_file: z.string().optional(),
});

/** A validated rule of a pack, as it is registered. */
export interface RuleMetadata extends RuleDefinition {
  tags: { name: string; value?: string }[];
  /** The file it came from, relative to the pack. */
  metadataFile: string;
}

/**
 * Every rule file directly in `<pack>/rules/`, compiled with libs/rules so
 * that a bad operator, key or pattern is reported at load. Problems name the
 * file, the line and the field, as for actions.
 */
export async function loadRules(packDir: string, packRef: string, displayRoot: string): Promise<{ rules: RuleMetadata[]; problems: ContentProblem[] }> {
  const dir = join(packDir, 'rules');
  const rules: RuleMetadata[] = [];
  const problems: ContentProblem[] = [];
  for (const yaml of await readYamlFolder(dir, displayRoot)) {
    if (!('data' in yaml)) {
      problems.push(yaml);
      continue;
    }
    const { file, shown } = yaml;
    const at = (path: (string | number)[], message: string): ContentProblem => ({ file: shown, line: yaml.lineOf(path), field: formatRulePath(path) || undefined, message });
    const parsed = ruleFileSchema.safeParse(yaml.data ?? {});
    if (!parsed.success) {
      for (const issue of parsed.error.issues) {
        const path = issue.path as (string | number)[];
        if (issue.code === 'unrecognized_keys') problems.push(...issue.keys.map((key) => at([...path, key], 'unknown field')));
        else problems.push(at(path, issue.message));
      }
      continue;
    }
    const data = parsed.data;
    const ref = toRef(packRef, data.name);
    const fileProblems: ContentProblem[] = [];
    if (data.pack !== undefined && data.pack !== packRef) fileProblems.push(at(['pack'], `names pack "${data.pack}", but the file is in pack "${packRef}"`));
    if (data.ref !== undefined && data.ref !== ref) fileProblems.push(at(['ref'], `is "${data.ref}", but the rule's ref is "${ref}" (pack.name)`));
    const duplicate = rules.find((rule) => rule.name === data.name);
    if (duplicate) fileProblems.push(at(['name'], `"${data.name}" is also the name of the rule in ${duplicate.metadataFile}`));
    const rule: RuleMetadata = {
      ref,
      pack: packRef,
      name: data.name,
      description: data.description,
      enabled: data.enabled,
      type: data.type?.ref ?? 'standard',
      trigger: { type: data.trigger.type, parameters: data.trigger.parameters ?? {} },
      criteria: data.criteria ?? {},
      action: { ref: data.action.ref, parameters: data.action.parameters ?? {} },
      context: data.context,
      tags: data.tags,
      metadataFile: relative(packDir, file),
    };
    fileProblems.push(...validateRule(rule).map((problem) => at(problem.path, problem.message)));
    // A timer the schema accepts but Temporal cannot schedule (hour: 25) is refused here, not at fire time.
    for (const problem of validateTimerParameters(rule.trigger.type, rule.trigger.parameters)) {
      const [, name, message] = /^parameters\.(\w+): (.*)$/s.exec(problem) ?? [];
      fileProblems.push(name ? at(['trigger', 'parameters', name], message) : at(['trigger', 'parameters'], problem));
    }
    if (fileProblems.length > 0) problems.push(...fileProblems);
    else rules.push(rule);
  }
  return { rules, problems };
}
