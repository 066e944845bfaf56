import { join, relative } from 'node:path';
import { z } from 'zod';
import type { TriggerTypeRecord } from '@tempest/db';
import { findBuiltinTriggerType, jsonSchemaPatternProblem, RESOURCE_NAME, toRef } from '@tempest/domain';
import { readYamlFolder, type ContentProblem } from './yaml-file';

const jsonSchema = z.record(z.string(), z.unknown(), { error: 'expected a JSON schema (a mapping)' });

/** triggers/*.yaml as StackStorm defines a trigger type; unknown fields are kept. */
const triggerTypeSchema = z.looseObject({
  name: z.string({ error: 'required' }).regex(RESOURCE_NAME, 'expected letters, digits, underscores, dots and dashes'),
  pack: z.string().optional(),
  description: z.string().optional(),
  parameters_schema: jsonSchema.default({}),
  payload_schema: jsonSchema.default({}),
});

const isMapping = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * Each `pattern` of a JSON schema (and of the schemas inside it) that cannot
 * be matched in linear time: payloads are checked against it on every event.
 */
function patternProblems(schema: unknown, path: (string | number)[]): { path: (string | number)[]; message: string }[] {
  if (!isMapping(schema)) return [];
  const problem = typeof schema.pattern === 'string' ? jsonSchemaPatternProblem(schema.pattern) : undefined;
  const properties = isMapping(schema.properties) ? Object.entries(schema.properties) : [];
  return [
    ...(problem ? [{ path: [...path, 'pattern'], message: problem }] : []),
    ...properties.flatMap(([name, child]) => patternProblems(child, [...path, 'properties', name])),
    ...patternProblems(schema.items, [...path, 'items']),
    ...patternProblems(schema.additionalProperties, [...path, 'additionalProperties']),
  ];
}

/**
 * Every trigger type file directly in `<pack>/triggers/`. Problems name the
 * file, the line and the field, as for actions.
 */
export async function loadTriggerTypes(packDir: string, packRef: string, displayRoot: string): Promise<{ triggerTypes: TriggerTypeRecord[]; problems: ContentProblem[] }> {
  const dir = join(packDir, 'triggers');
  const triggerTypes: TriggerTypeRecord[] = [];
  const problems: ContentProblem[] = [];
  for (const yaml of await readYamlFolder(dir, displayRoot)) {
    if (!('data' in yaml)) {
      problems.push(yaml);
      continue;
    }
    const { file, shown } = yaml;
    const at = (path: (string | number)[], message: string): ContentProblem => ({ file: shown, line: yaml.lineOf(path), field: path.join('.') || undefined, message });
    const parsed = triggerTypeSchema.safeParse(yaml.data ?? {});
    if (!parsed.success) {
      for (const issue of parsed.error.issues) problems.push(at(issue.path as (string | number)[], issue.message));
      continue;
    }
    const data = parsed.data;
    const patterns = [...patternProblems(data.parameters_schema, ['parameters_schema']), ...patternProblems(data.payload_schema, ['payload_schema'])];
    if (patterns.length > 0) {
      problems.push(...patterns.map((p) => at(p.path, p.message)));
      continue;
    }
    const ref = toRef(packRef, data.name);
    if (data.pack !== undefined && data.pack !== packRef) {
      problems.push(at(['pack'], `names pack "${data.pack}", but the file is in pack "${packRef}"`));
      continue;
    }
    if (findBuiltinTriggerType(ref)) {
      problems.push(at(['name'], `${ref} is a built-in trigger type`));
      continue;
    }
    const duplicate = triggerTypes.find((t) => t.ref === ref);
    if (duplicate) {
      problems.push(at(['name'], `"${data.name}" is also the name of the trigger type in ${duplicate.metadataFile}`));
      continue;
    }
    triggerTypes.push({
      ref,
      pack: packRef,
      name: data.name,
      description: data.description ?? '',
      parametersSchema: data.parameters_schema,
      payloadSchema: data.payload_schema,
      metadataFile: relative(packDir, file),
    });
  }
  return { triggerTypes, problems };
}
