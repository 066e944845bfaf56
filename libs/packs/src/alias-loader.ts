import { join, relative } from 'node:path';
import { z } from 'zod';
import type { ActionAliasRecord } from '@tempest/db';
import { RESOURCE_NAME, toRef } from '@tempest/domain';
import { readYamlFolder, type ContentProblem } from './yaml-file';

const text = z.string({ error: 'expected a text' });
/** A format: the text a user types (`run {{cmd}} on {{hosts}}`), or StackStorm's `{display, representation: [...]}`. */
const format = z.union([text.min(1), z.looseObject({ display: text.optional(), representation: z.array(text.min(1), { error: 'expected a list of texts' }).min(1) })], { error: 'expected a text, or {display, representation: [texts]}' });

/** aliases/*.yaml as StackStorm's ActionAliasAPI schema has them. */
const aliasSchema = z.looseObject({
  name: z.string({ error: 'required' }).regex(RESOURCE_NAME, 'letters, digits, dots, dashes and underscores'),
  pack: z.string().optional(),
  action_ref: z.string({ error: 'required: the action the alias runs' }).regex(/^[\w.-]+\.[\w.-]+$/, 'expected <pack>.<action>'),
  description: z.string().default(''),
  enabled: z.boolean({ error: 'expected true or false' }).default(true),
  formats: z.array(format, { error: 'expected a list of formats' }).min(1, 'at least one format'),
  ack: z.looseObject({ enabled: z.boolean().optional(), format: text.optional(), append_url: z.boolean().optional() }).optional(),
  result: z.looseObject({ enabled: z.boolean().optional(), format: text.optional() }).optional(),
  immutable_parameters: z.record(z.string(), z.unknown()).optional(),
});

/**
 * Every action alias directly in `<pack>/aliases/` (StackStorm's ChatOps words
 * for an action), registered and listed as StackStorm's are. Its action may be
 * in another pack (core.remote), so it is not checked here.
 */
export async function loadAliases(packDir: string, packRef: string, displayRoot: string): Promise<{ aliases: ActionAliasRecord[]; problems: ContentProblem[] }> {
  const aliases: ActionAliasRecord[] = [];
  const problems: ContentProblem[] = [];
  for (const yaml of await readYamlFolder(join(packDir, 'aliases'), displayRoot)) {
    if (!('data' in yaml)) {
      problems.push(yaml);
      continue;
    }
    const at = (path: (string | number)[], message: string): ContentProblem => ({ file: yaml.shown, line: yaml.lineOf(path), field: path.join('.') || undefined, message });
    const parsed = aliasSchema.safeParse(yaml.data ?? {});
    if (!parsed.success) {
      problems.push(...parsed.error.issues.map((i) => at(i.path as (string | number)[], i.message)));
      continue;
    }
    const alias = parsed.data;
    if (alias.pack !== undefined && alias.pack !== packRef) {
      problems.push(at(['pack'], `names pack "${alias.pack}", but the file is in pack "${packRef}"`));
      continue;
    }
    const ref = toRef(packRef, alias.name);
    const duplicate = aliases.find((a) => a.ref === ref);
    if (duplicate) {
      problems.push(at(['name'], `"${alias.name}" is also the name of the alias in ${duplicate.metadataFile}`));
      continue;
    }
    aliases.push({
      ref,
      pack: packRef,
      name: alias.name,
      description: alias.description,
      enabled: alias.enabled,
      actionRef: alias.action_ref,
      formats: alias.formats,
      metadataFile: relative(packDir, yaml.file),
      metadata: yaml.data as Record<string, unknown>,
    });
  }
  return { aliases, problems };
}
