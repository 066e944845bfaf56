import { effectiveSpecs, MASK, resolveParameters, type ParameterSpecs, type ResolvedParameters } from '@tempest/domain';
import { renderParameters, type ParameterContext } from './parameters';
import { isTemplate, renderTemplate } from './render';

/** Runners whose `cmd` is a shell command line. */
const SHELL_COMMAND_RUNNERS = ['local-shell-cmd', 'remote-shell-cmd'];

/**
 * What an execution runs with: the caller's parameters validated against the
 * action's (runner's included), defaults applied, templates rendered in
 * dependency order, then checked again. A shell runner's `cmd` is rendered
 * last, as a shell command: every `{{ }}` output is one shell word after its
 * filters ran, so no value (parameter, payload key or text) can break out of
 * the command. Every problem is listed.
 */
export function prepareExecutionParameters(
  runnerType: string,
  runnerParameters: ParameterSpecs,
  actionParameters: ParameterSpecs,
  provided: Record<string, unknown>,
  context: ParameterContext,
  /** The pack's config with its secret values masked: parameters that render differently with it carry a secret. */
  maskedConfig?: Record<string, unknown>,
): ResolvedParameters {
  const prepared = prepare(runnerType, runnerParameters, actionParameters, provided, context);
  if (maskedConfig === undefined) return prepared;
  if (!prepared.ok) {
    // A message may quote a rendered value ("expected integer, got string ..."): never a secret one.
    const secrets = secretValues(context.config_context, maskedConfig).sort((a, b) => b.length - a.length);
    return { ok: false, violations: prepared.violations.map((v) => secrets.reduce((text, secret) => text.split(secret).join(MASK), v)) };
  }
  // Whatever a secret config value flows into (through config_context, or through
  // another parameter) is secret too: it is masked and kept apart like one.
  const masked = prepare(runnerType, runnerParameters, actionParameters, provided, { ...context, config_context: maskedConfig });
  const derived = Object.keys(prepared.values).filter((name) => !masked.ok || JSON.stringify(masked.values[name]) !== JSON.stringify(prepared.values[name]));
  return { ...prepared, secrets: [...new Set([...prepared.secrets, ...derived])] };
}

/** The config's values that its masked copy hides, as text. */
function secretValues(config: unknown, masked: unknown): string[] {
  if (masked === MASK && config !== MASK && config !== undefined && config !== null) return [typeof config === 'string' ? config : JSON.stringify(config)].filter((text) => text.length > 0);
  if (typeof config !== 'object' || config === null || typeof masked !== 'object' || masked === null) return [];
  return Object.keys(config).flatMap((key) => secretValues((config as Record<string, unknown>)[key], (masked as Record<string, unknown>)[key]));
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
  const shellCmd = SHELL_COMMAND_RUNNERS.includes(runnerType) && typeof cmd === 'string';
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
