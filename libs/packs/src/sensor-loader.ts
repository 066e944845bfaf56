import { existsSync } from 'node:fs';
import { join, relative, resolve, sep } from 'node:path';
import { z } from 'zod';
import type { SensorTypeRecord, TriggerTypeRecord } from '@tempest/db';
import { findBuiltinTriggerType, RESOURCE_NAME, toRef } from '@tempest/domain';
import { readYamlFolder, type ContentProblem } from './yaml-file';

const jsonSchema = z.record(z.string(), z.unknown(), { error: 'expected a JSON schema (a mapping)' });

const declaredTriggerType = z.looseObject({
  name: z.string({ error: 'required' }).regex(RESOURCE_NAME, 'expected letters, digits, underscores, dots and dashes'),
  pack: z.string().optional(),
  description: z.string().optional(),
  parameters_schema: jsonSchema.default({}),
  payload_schema: jsonSchema.default({}),
});

/** sensors/*.yaml as StackStorm defines a sensor; unknown fields are kept. */
const sensorSchema = z.looseObject({
  class_name: z.string({ error: 'required' }).regex(/^[A-Za-z_$][\w$]*$/, 'expected the name of the class the module exports'),
  entry_point: z.string({ error: 'required' }).min(1, 'required'),
  description: z.string().optional(),
  enabled: z.boolean({ error: 'expected true or false' }).default(true),
  poll_interval: z.number({ error: 'expected seconds' }).int('expected whole seconds').min(1, 'expected at least 1 second').optional(),
  pack: z.string().optional(),
  trigger_types: z.array(declaredTriggerType, { error: 'expected a list of trigger types' }).default([]),
});

/** Tempest runs sensors as Node modules; StackStorm's Python sensors are refused with the reason. */
const MODULE_FILE = /\.(c|m)?ts$|\.c?js$|\.py$/;

/**
 * Every sensor metadata file directly in `<pack>/sensors/`, and the trigger
 * types the sensors declare (registered with the pack's other trigger types;
 * `known` are those from triggers/*.yaml, which a sensor may not declare
 * again). Problems name the file, the line and the field.
 */
export async function loadSensors(
  packDir: string,
  packRef: string,
  displayRoot: string,
  known: TriggerTypeRecord[] = [],
): Promise<{ sensors: SensorTypeRecord[]; triggerTypes: TriggerTypeRecord[]; problems: ContentProblem[] }> {
  const dir = join(packDir, 'sensors');
  const sensors: SensorTypeRecord[] = [];
  const triggerTypes: TriggerTypeRecord[] = [];
  const problems: ContentProblem[] = [];
  for (const yaml of await readYamlFolder(dir, displayRoot)) {
    if (!('data' in yaml)) {
      problems.push(yaml);
      continue;
    }
    const { file, shown } = yaml;
    const metadataFile = relative(packDir, file);
    const at = (path: (string | number)[], message: string): ContentProblem => ({ file: shown, line: yaml.lineOf(path), field: path.join('.') || undefined, message });
    const parsed = sensorSchema.safeParse(yaml.data ?? {});
    if (!parsed.success) {
      for (const issue of parsed.error.issues) problems.push(at(issue.path as (string | number)[], issue.message));
      continue;
    }
    const data = parsed.data;
    const fileProblems: ContentProblem[] = [];
    if (data.pack !== undefined && data.pack !== packRef) fileProblems.push(at(['pack'], `names pack "${data.pack}", but the file is in pack "${packRef}"`));
    const module = resolve(dir, data.entry_point);
    if (!module.startsWith(resolve(dir) + sep)) fileProblems.push(at(['entry_point'], 'must name a file inside the pack\'s sensors folder'));
    else if (!MODULE_FILE.test(data.entry_point)) fileProblems.push(at(['entry_point'], `Tempest runs sensors written in Python, TypeScript or JavaScript (.py, .ts, .js), not ${data.entry_point}`));
    else if (!existsSync(module)) fileProblems.push(at(['entry_point'], `no file sensors/${data.entry_point} in the pack`));
    const ref = toRef(packRef, data.class_name);
    const duplicate = sensors.find((s) => s.ref === ref);
    if (duplicate) fileProblems.push(at(['class_name'], `"${data.class_name}" is also the class of the sensor in ${duplicate.metadataFile}`));
    const declared: TriggerTypeRecord[] = [];
    data.trigger_types.forEach((type, i) => {
      const typeRef = toRef(packRef, type.name);
      const where = ['trigger_types', i, 'name'];
      if (type.pack !== undefined && type.pack !== packRef) fileProblems.push(at(['trigger_types', i, 'pack'], `names pack "${type.pack}", but the sensor is in pack "${packRef}"`));
      else if (findBuiltinTriggerType(typeRef)) fileProblems.push(at(where, `${typeRef} is a built-in trigger type`));
      else {
        const other = [...known, ...triggerTypes, ...declared].find((t) => t.ref === typeRef);
        if (other) fileProblems.push(at(where, `trigger type ${typeRef} is also declared in ${other.metadataFile}`));
      }
      declared.push({
        ref: typeRef,
        pack: packRef,
        name: type.name,
        description: type.description ?? '',
        parametersSchema: type.parameters_schema,
        payloadSchema: type.payload_schema,
        metadataFile,
      });
    });
    if (fileProblems.length > 0) {
      problems.push(...fileProblems);
      continue;
    }
    triggerTypes.push(...declared);
    sensors.push({
      ref,
      pack: packRef,
      name: data.class_name,
      className: data.class_name,
      entryPoint: data.entry_point,
      description: data.description ?? '',
      enabled: data.enabled,
      pollInterval: data.poll_interval,
      triggerTypes: declared.map((t) => t.ref),
      metadataFile,
      metadata: yaml.data as Record<string, unknown>,
    });
  }
  return { sensors, triggerTypes, problems };
}
