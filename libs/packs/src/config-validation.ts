import { jsonSchemaPattern, jsonSchemaPatternProblem, type ParameterSpec, type ParameterSpecs, type ParameterType } from '@tempest/domain';

/** A problem with one config value, located by its path in the values file. */
export interface ConfigIssue {
  path: (string | number)[];
  message: string;
}

// A value such as "{{ st2kv.system.api_key }}" is rendered later; its type is checked then.
const TEMPLATE = /{{|{%/;

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function typeOf(value: unknown): ParameterType {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  if (typeof value === 'number') return Number.isInteger(value) ? 'integer' : 'number';
  return typeof value as ParameterType;
}

class Validator {
  readonly issues: ConfigIssue[] = [];

  /**
   * The object's values with defaults applied. Keys its schema does not list
   * are refused unless `additionalProperties` allows them; `enforce` says
   * whether required keys must be there (not inside an object nobody wrote).
   */
  object(properties: ParameterSpecs, additional: ParameterSpec['additionalProperties'], given: Record<string, unknown>, path: (string | number)[], enforce: boolean): Record<string, unknown> {
    const result: Record<string, unknown> = {};
    const known = Object.keys(properties).sort();
    for (const [key, value] of Object.entries(given)) {
      if (Object.hasOwn(properties, key)) continue;
      if (isObject(additional)) result[key] = this.value(additional as ParameterSpec, value, [...path, key], enforce);
      else if (additional === true) result[key] = value;
      else this.issues.push({ path: [...path, key], message: `unknown key (known: ${known.join(', ') || 'none'})` });
    }
    for (const [key, spec] of Object.entries(properties)) {
      const value = given[key];
      if (value !== undefined && value !== null) {
        result[key] = this.value(spec, value, [...path, key], enforce);
      } else if (spec.default !== undefined) {
        result[key] = structuredClone(spec.default);
      } else if (spec.properties) {
        // As StackStorm does: an object nobody wrote still gets its properties' defaults.
        const filled = this.object(spec.properties, spec.additionalProperties, {}, [...path, key], enforce && spec.required === true);
        if (Object.keys(filled).length > 0) result[key] = filled;
        else if (enforce && spec.required) this.issues.push({ path: [...path, key], message: 'required' });
      } else if (enforce && spec.required) {
        this.issues.push({ path: [...path, key], message: 'required' });
      }
    }
    return result;
  }

  value(spec: ParameterSpec, value: unknown, path: (string | number)[], enforce: boolean): unknown {
    if (typeof value === 'string' && TEMPLATE.test(value)) return value;
    const types = spec.type === undefined ? [] : Array.isArray(spec.type) ? spec.type : [spec.type];
    const actual = typeOf(value);
    if (types.length > 0 && !types.some((t) => t === actual || (t === 'number' && actual === 'integer'))) {
      this.issues.push({ path, message: `expected ${types.join(' or ')}, got ${actual}` });
      return value;
    }
    if (spec.enum && !spec.enum.some((allowed) => JSON.stringify(allowed) === JSON.stringify(value))) {
      this.issues.push({ path, message: `${spec.secret ? 'the value' : JSON.stringify(value)} is not one of ${spec.enum.map((v) => JSON.stringify(v)).join(', ')}` });
    }
    if (typeof value === 'number') {
      if (spec.minimum !== undefined && value < spec.minimum) this.issues.push({ path, message: `less than the minimum ${spec.minimum}` });
      if (spec.maximum !== undefined && value > spec.maximum) this.issues.push({ path, message: `more than the maximum ${spec.maximum}` });
    }
    if (typeof value === 'string') {
      if (spec.minLength !== undefined && value.length < spec.minLength) this.issues.push({ path, message: `shorter than ${spec.minLength} characters` });
      if (spec.maxLength !== undefined && value.length > spec.maxLength) this.issues.push({ path, message: `longer than ${spec.maxLength} characters` });
      if (spec.pattern !== undefined) this.pattern(spec.pattern, value, path);
    }
    if (Array.isArray(value) && spec.items) return value.map((item, i) => this.value(spec.items!, item, [...path, i], enforce));
    if (isObject(value) && spec.properties) return this.object(spec.properties, spec.additionalProperties, value, path, enforce);
    if (isObject(value) && isObject(spec.additionalProperties)) return this.object({}, spec.additionalProperties, value, path, enforce);
    return value;
  }

  /** A JSON-schema `pattern`, matched in linear time (the schema's file already refused one that cannot be). */
  private pattern(pattern: string, value: string, path: (string | number)[]): void {
    const problem = jsonSchemaPatternProblem(pattern);
    if (problem) this.issues.push({ path, message: `the pattern ${pattern} cannot be checked: ${problem}` });
    else if (!jsonSchemaPattern(pattern).test(value)) this.issues.push({ path, message: `does not match ${pattern}` });
  }
}

/**
 * A pack's config values checked against its config.schema.yaml as
 * StackStorm does: defaults applied (inside objects too), types, enums and
 * bounds checked, keys the schema does not list refused. `required` is
 * enforced only when the pack has a config file (`enforceRequired`): without
 * one, StackStorm registers the pack with its defaults. Values that are Jinja
 * templates are kept as written. Secret values never appear in messages.
 */
export function validateConfig(schema: ParameterSpecs, values: Record<string, unknown>, enforceRequired: boolean): { values: Record<string, unknown>; issues: ConfigIssue[] } {
  const validator = new Validator();
  const result = validator.object(schema, undefined, values, [], enforceRequired);
  return { values: result, issues: validator.issues };
}
