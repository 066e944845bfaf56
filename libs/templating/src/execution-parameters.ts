import { effectiveSpecs, MASK, resolveParameters, type ParameterSpecs, type ResolvedParameters, shellCommandParameters } from '@tempest/domain';
import { renderParameters, type ParameterContext } from './parameters';
import { isTemplate, renderTemplate } from './render';

/**
 * What an execution runs with: the caller's parameters validated against the
 * action's (runner's included), defaults applied, templates rendered in
 * dependency order, then checked again. A shell runner's `cmd` is rendered
 * last, as a shell command: every `{{ }}` output is one shell word after its
 * filters ran, so no value (parameter, payload key or text) can break out of
 * the command. Every problem is listed.
 *
 * `secrets` lists what must be masked and kept apart: parameters marked
 * secret, `secretProvided` (values the caller rendered from a decrypted
 * datastore key), and every parameter such a value or a secret config value
 * flows into, found by rendering again with them masked.
 */
export function prepareExecutionParameters(
  runnerType: string,
  runnerParameters: ParameterSpecs,
  actionParameters: ParameterSpecs,
  provided: Record<string, unknown>,
  context: ParameterContext,
  /** The pack's config with its secret values masked: parameters that render differently with it carry a secret. */
  maskedConfig?: Record<string, unknown>,
  /** Provided parameters whose values are secret whatever the action says of them. */
  secretProvided: readonly string[] = [],
): ResolvedParameters {
  const prepared = prepare(runnerType, runnerParameters, actionParameters, provided, context);
  const specs = effectiveSpecs(runnerParameters, actionParameters);
  const secretNames = [...new Set([...secretProvided, ...Object.keys(specs).filter((name) => specs[name].secret)])];
  if (!prepared.ok) {
    // A message may quote a rendered value ("expected integer, got string ..."): never a secret one.
    const given = secretNames.flatMap((name) => asTexts(provided[name]));
    const secrets = [...secretValues(context.config_context, maskedConfig), ...given].sort((a, b) => b.length - a.length);
    return { ok: false, violations: prepared.violations.map((v) => secrets.reduce((text, secret) => text.split(secret).join(MASK), v)) };
  }
  const declared = secretProvided.filter((name) => prepared.values[name] !== undefined);
  // Rendering twice costs: only when some secret has a value.
  if (maskedConfig === undefined && !secretNames.some((name) => prepared.values[name] !== undefined)) return { ...prepared, secrets: [...new Set([...prepared.secrets, ...declared])] };
  // Whatever a secret flows into (a secret config value through config_context, a
  // secret parameter through its name) is secret too: it is masked and kept apart like one.
  const maskedProvided = Object.fromEntries(Object.entries(provided).map(([name, value]) => [name, secretNames.includes(name) && value !== undefined && value !== null ? MASK : value]));
  const masked = prepare(runnerType, maskDefaults(runnerParameters), maskDefaults(actionParameters), maskedProvided, { ...context, config_context: maskedConfig ?? context.config_context });
  const derived = Object.keys(prepared.values).filter((name) => !masked.ok || JSON.stringify(masked.values[name]) !== JSON.stringify(prepared.values[name]));
  return { ...prepared, secrets: [...new Set([...prepared.secrets, ...declared, ...derived])] };
}

/** Specs whose secret parameters default to the mask, so what derives from their default shows. */
function maskDefaults(specs: ParameterSpecs): ParameterSpecs {
  return Object.fromEntries(Object.entries(specs).map(([name, spec]) => [name, spec.secret && spec.default !== undefined && spec.default !== null ? { ...spec, default: MASK } : spec]));
}

/** The config's values that its masked copy hides, as text. */
function secretValues(config: unknown, masked: unknown): string[] {
  if (masked === MASK && config !== MASK && config !== undefined && config !== null) return [typeof config === 'string' ? config : JSON.stringify(config)].filter((text) => text.length > 0);
  if (typeof config !== 'object' || config === null || typeof masked !== 'object' || masked === null) return [];
  return Object.keys(config).flatMap((key) => secretValues((config as Record<string, unknown>)[key], (masked as Record<string, unknown>)[key]));
}

/** A value as the texts a message could quote it by. */
function asTexts(value: unknown): string[] {
  if (value === undefined || value === null) return [];
  const text = typeof value === 'string' ? value : JSON.stringify(value);
  return text.length > 0 ? [text] : [];
}

function prepare(
  runnerType: string,
  runnerParameters: ParameterSpecs,
  actionParameters: ParameterSpecs,
  provided: Record<string, unknown>,
  context: ParameterContext,
): ResolvedParameters {
  const specs = effectiveSpecs(runnerParameters, actionParameters);
  const resolved = resolveParameters(specs, provided, isTemplate);
  if (!resolved.ok) return resolved;

  const { cmd, ...others } = resolved.values;
  const shellCmd = shellCommandParameters(runnerType).includes('cmd') && typeof cmd === 'string';
  const rendered = renderParameters({}, shellCmd ? others : resolved.values, context);
  if (!rendered.ok) return { ok: false, violations: rendered.violations };
  const values = { ...rendered.values };
  if (shellCmd) {
    try {
      values.cmd = renderTemplate(cmd, { ...values, ...context }, { shell: true });
    } catch (error) {
      return { ok: false, violations: [`cmd: ${error instanceof Error ? error.message : String(error)}`] };
    }
  }
  // Rendering may change a value's type ("{{ count }}" becomes a number): check what will run.
  const mutable = Object.fromEntries(Object.entries(specs).map(([name, spec]) => [name, { ...spec, immutable: false }]));
  const checked = resolveParameters(mutable, values);
  return checked.ok ? { ...checked, secrets: resolved.secrets } : checked;
}
