import type { ParameterSpecs } from '@tempest/domain';
import { ownParameters } from './action-env';

/** How StackStorm writes a positional argument of each type. */
function positional(type: unknown, value: unknown): string {
  if (value === undefined || value === null) return '';
  switch (type) {
    case 'boolean':
      return value ? '1' : '0';
    case 'array':
      return (value as unknown[]).map(String).join(',');
    case 'object':
      return JSON.stringify(value);
    default:
      return String(value);
  }
}

/**
 * A script's arguments as StackStorm passes them: the action's own
 * parameters (not its runner's) as `<kwarg_op>name=value`, a true boolean as
 * a bare `<kwarg_op>name`, false and empty values left out; then those with
 * a `position`, in order, with '' for a gap. Each is one argv element: no
 * shell parses them, so no value can be taken for anything but itself.
 */
export function scriptArguments(
  values: Record<string, unknown>,
  actionSpecs: ParameterSpecs,
  runnerSpecs: ParameterSpecs,
  kwargOp: string,
): string[] {
  const own = Object.keys(ownParameters(values, runnerSpecs));
  const positions = own.filter((name) => actionSpecs[name]?.position !== undefined);
  const named: string[] = [];
  for (const name of own.filter((n) => !positions.includes(n)).sort()) {
    const value = values[name];
    if (value === undefined || value === null || value === '' || value === false) continue;
    named.push(value === true ? `${kwargOp}${name}` : `${kwargOp}${name}=${typeof value === 'object' ? JSON.stringify(value) : String(value)}`);
  }
  const ordered: string[] = [];
  for (const name of positions) {
    const spec = actionSpecs[name];
    ordered[spec.position!] = positional(Array.isArray(spec.type) ? spec.type[0] : spec.type, values[name]);
  }
  return [...named, ...Array.from(ordered, (arg) => arg ?? '')];
}
