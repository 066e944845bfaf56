import { existsSync } from 'node:fs';
import { join, relative } from 'node:path';
import { z } from 'zod';
import type { ParameterSpecs } from '@tempest/domain';
import { parameterSpecSchema } from './action-metadata';
import { validateConfig } from './config-validation';
import { readYamlFile, type ContentProblem } from './yaml-file';

/** A pack's config as it is registered. */
export interface PackConfig {
  /** config.schema.yaml: key → JSON schema with StackStorm's `required` and `secret`. */
  schema: ParameterSpecs;
  /** configs/<pack>.yaml validated, with the schema's defaults applied; secrets in clear. */
  values: Record<string, unknown>;
}

const configSchemaSchema = z.record(z.string(), parameterSpecSchema, { error: 'expected a mapping of config keys to their schema' });

/**
 * The pack's config: its `config.schema.yaml` and its values from
 * `<configsDir>/<pack ref>.yaml`, as StackStorm keeps them in
 * /opt/stackstorm/configs. No config when the pack has neither; problems name
 * the file, line and key.
 */
export async function loadPackConfig(packDir: string, packRef: string, configsDir: string, displayRoot: string): Promise<{ config?: PackConfig } | ContentProblem[]> {
  const schemaFile = join(packDir, 'config.schema.yaml');
  const valuesFile = join(configsDir, `${packRef}.yaml`);
  const hasSchema = existsSync(schemaFile);
  const hasValues = existsSync(valuesFile);
  if (!hasSchema && !hasValues) return {};

  let schema: ParameterSpecs = {};
  if (hasSchema) {
    const shown = relative(displayRoot, schemaFile);
    const yaml = await readYamlFile(schemaFile);
    if (!('data' in yaml)) return [{ ...yaml, file: shown }];
    const parsed = configSchemaSchema.safeParse(yaml.data ?? {});
    if (!parsed.success) {
      return parsed.error.issues.map((issue) => ({ file: shown, line: yaml.lineOf(issue.path as (string | number)[]), field: issue.path.join('.') || undefined, message: issue.message }));
    }
    schema = parsed.data;
  }

  let given: Record<string, unknown> = {};
  const shown = relative(displayRoot, valuesFile);
  let lineOf: (path: (string | number)[]) => number | undefined = () => undefined;
  if (hasValues) {
    const yaml = await readYamlFile(valuesFile);
    if (!('data' in yaml)) return [{ ...yaml, file: shown }];
    const data = yaml.data ?? {};
    if (typeof data !== 'object' || Array.isArray(data)) return [{ file: shown, line: yaml.lineOf([]), message: 'expected a mapping of config keys to their values' }];
    given = data as Record<string, unknown>;
    lineOf = yaml.lineOf;
  }
  // Without a schema there is nothing to check against, as in StackStorm.
  if (!hasSchema) return { config: { schema, values: given } };

  const { values, issues } = validateConfig(schema, given, hasValues);
  if (issues.length > 0) {
    const problems = issues.map((issue) => ({ file: shown, line: lineOf(issue.path), field: issue.path.join('.'), message: issue.message }));
    return problems.sort((a, b) => (a.line ?? 0) - (b.line ?? 0));
  }
  return { config: { schema, values } };
}
