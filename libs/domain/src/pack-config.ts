import { MASK } from './parameter-resolution';
import type { ParameterSpec, ParameterSpecs } from './parameters';

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function maskValue(spec: ParameterSpec | undefined, value: unknown): unknown {
  if (value === undefined || value === null || !spec) return value;
  if (spec.secret) return MASK;
  if (Array.isArray(value) && spec.items) return value.map((item) => maskValue(spec.items, item));
  if (isObject(value) && (spec.properties || isObject(spec.additionalProperties))) {
    const extra = isObject(spec.additionalProperties) ? (spec.additionalProperties as ParameterSpec) : undefined;
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, maskValue(spec.properties?.[key] ?? extra, item)]));
  }
  return value;
}

/**
 * A pack's config as people may see it: every value its config.schema.yaml
 * marks `secret` (at any depth: object properties, array items) replaced by
 * the mask.
 */
export function maskConfig(schema: ParameterSpecs, values: Record<string, unknown>): Record<string, unknown> {
  return maskValue({ properties: schema }, values) as Record<string, unknown>;
}

function maskSpec(spec: ParameterSpec): ParameterSpec {
  const masked: ParameterSpec = { ...spec };
  if (spec.secret && spec.default !== undefined) masked.default = MASK;
  if (spec.items) masked.items = maskSpec(spec.items);
  if (spec.properties) masked.properties = maskConfigSchema(spec.properties);
  if (isObject(spec.additionalProperties)) masked.additionalProperties = maskSpec(spec.additionalProperties as ParameterSpec);
  return masked;
}

/** The schema as people may see it: the defaults of secret keys masked too. */
export function maskConfigSchema(schema: ParameterSpecs): ParameterSpecs {
  return Object.fromEntries(Object.entries(schema).map(([key, spec]) => [key, maskSpec(spec)]));
}
