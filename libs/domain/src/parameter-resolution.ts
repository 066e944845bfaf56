import { jsonSchemaPattern } from './linear-regex';
import type { ParameterSpec, ParameterSpecs, ParameterType } from './parameters';

export type ResolvedParameters =
  | { ok: true; values: Record<string, unknown>; secrets: string[] }
  | { ok: false; violations: string[] };

/** The action's parameters: its runner's, with the action's overrides laid over them, plus its own. */
export function effectiveSpecs(runnerParameters: ParameterSpecs, actionParameters: ParameterSpecs): ParameterSpecs {
  const specs: ParameterSpecs = { ...runnerParameters };
  for (const [name, spec] of Object.entries(actionParameters)) specs[name] = { ...runnerParameters[name], ...spec };
  return specs;
}

function typeOf(value: unknown): ParameterType {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  if (typeof value === 'number') return Number.isInteger(value) ? 'integer' : 'number';
  return typeof value as ParameterType;
}

function matchesType(value: unknown, type: ParameterType): boolean {
  const actual = typeOf(value);
  return actual === type || (type === 'number' && actual === 'integer');
}

/** A JSON-schema `pattern`, matched in linear time; one that cannot be (lookahead, say) is reported, not thrown. */
function checkPattern(path: string, value: string, pattern: string, violations: string[]): void {
  let regex;
  try {
    regex = jsonSchemaPattern(pattern);
  } catch (error) {
    violations.push(`${path}: the pattern ${pattern} cannot be checked: ${(error as Error).message}`);
    return;
  }
  if (!regex.test(value)) violations.push(`${path}: does not match ${pattern}`);
}

/** JSON-schema checks of one value; `path` names it in messages. */
function check(path: string, value: unknown, spec: ParameterSpec, violations: string[]): void {
  const types = spec.type === undefined ? [] : Array.isArray(spec.type) ? spec.type : [spec.type];
  if (types.length > 0 && !types.some((t) => matchesType(value, t))) {
    violations.push(`${path}: expected ${types.join(' or ')}, got ${typeOf(value)} ${JSON.stringify(value)}`);
    return;
  }
  if (spec.enum && !spec.enum.some((allowed) => JSON.stringify(allowed) === JSON.stringify(value))) {
    violations.push(`${path}: ${JSON.stringify(value)} is not one of ${spec.enum.map((v) => JSON.stringify(v)).join(', ')}`);
  }
  if (typeof value === 'number') {
    if (spec.minimum !== undefined && value < spec.minimum) violations.push(`${path}: ${value} is less than the minimum ${spec.minimum}`);
    if (spec.maximum !== undefined && value > spec.maximum) violations.push(`${path}: ${value} is more than the maximum ${spec.maximum}`);
  }
  if (typeof value === 'string') {
    if (spec.minLength !== undefined && value.length < spec.minLength) violations.push(`${path}: shorter than ${spec.minLength} characters`);
    if (spec.maxLength !== undefined && value.length > spec.maxLength) violations.push(`${path}: longer than ${spec.maxLength} characters`);
    if (spec.pattern !== undefined) checkPattern(path, value, spec.pattern, violations);
  }
  if (Array.isArray(value) && spec.items) value.forEach((item, i) => check(`${path}[${i}]`, item, spec.items!, violations));
  if (typeOf(value) === 'object' && (spec.properties || spec.additionalProperties !== undefined)) {
    const object = value as Record<string, unknown>;
    for (const [key, propertySpec] of Object.entries(spec.properties ?? {})) {
      if (object[key] !== undefined) check(`${path}.${key}`, object[key], propertySpec, violations);
      else if (propertySpec.required) violations.push(`${path}.${key}: required`);
    }
    for (const key of Object.keys(object).filter((k) => !spec.properties?.[k])) {
      if (spec.additionalProperties === false) violations.push(`${path}.${key}: not allowed`);
      else if (typeof spec.additionalProperties === 'object') check(`${path}.${key}`, object[key], spec.additionalProperties, violations);
    }
  }
}

/** Every JSON-schema violation of `value`, each naming `path` and the offending field under it. */
export function schemaViolations(path: string, value: unknown, spec: ParameterSpec): string[] {
  const violations: string[] = [];
  check(path, value, spec, violations);
  return violations;
}

/**
 * Validates what a caller asked for against the action's parameters and
 * applies defaults, listing every violation at once: unknown names, values
 * given for immutable parameters, missing required ones, and schema checks.
 */
export function resolveParameters(
  specs: ParameterSpecs,
  provided: Record<string, unknown>,
  /** Values checked later (templates, checked once rendered). */
  deferred: (value: unknown) => boolean = () => false,
): ResolvedParameters {
  const violations: string[] = [];
  const values: Record<string, unknown> = {};
  const known = Object.keys(specs).sort();
  for (const name of Object.keys(provided).sort()) {
    if (!specs[name]) violations.push(`${name}: unknown parameter (known: ${known.join(', ') || 'none'})`);
    else if (specs[name].immutable && JSON.stringify(provided[name]) !== JSON.stringify(specs[name].default)) violations.push(`${name}: immutable, cannot be set`);
  }
  for (const [name, spec] of Object.entries(specs)) {
    const value = spec.immutable ? spec.default : (provided[name] ?? spec.default);
    if (value === undefined || value === null) {
      if (spec.required) violations.push(`${name}: required`);
      continue;
    }
    if (!deferred(value)) check(name, value, spec, violations);
    values[name] = value;
  }
  if (violations.length > 0) return { ok: false, violations };
  return { ok: true, values, secrets: Object.keys(specs).filter((name) => specs[name].secret) };
}

export const MASK = '********';

/** The values as people may see them: secret parameters replaced by a mask. */
export function maskSecrets(values: Record<string, unknown>, secrets: string[]): Record<string, unknown> {
  return Object.fromEntries(Object.entries(values).map(([name, value]) => [name, secrets.includes(name) ? MASK : value]));
}
