import type { ParameterSpecs } from '@tempest/domain';

/** Only what a command needs from the worker's own environment: never the worker's secrets. */
const INHERITED_ENV = ['PATH', 'HOME', 'LANG', 'LC_ALL', 'TZ', 'USER', 'LOGNAME', 'SHELL', 'TMPDIR'];

export function baseEnv(extra: Record<string, string>, userEnv: unknown): Record<string, string> {
  const env: Record<string, string> = {};
  for (const name of INHERITED_ENV) if (process.env[name] !== undefined) env[name] = process.env[name]!;
  for (const [name, value] of Object.entries((userEnv as Record<string, unknown>) ?? {})) env[name] = String(value);
  return { ...env, ...extra };
}

/** The action's own parameters: what its script or function receives, without its runner's. */
export function ownParameters(values: Record<string, unknown>, runnerParameters: ParameterSpecs): Record<string, unknown> {
  return Object.fromEntries(Object.entries(values).filter(([name]) => !(name in runnerParameters)));
}
