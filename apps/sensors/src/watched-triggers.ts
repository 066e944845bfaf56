import { createHash } from 'node:crypto';
import type { Rule } from '@tempest/db';
import type { SensorTrigger } from '@tempest/sensor-api';

/** JSON with keys sorted at every level: equal parameters give equal text. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonical(v)}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

/** A trigger is its type and parameters, as in StackStorm: its id is derived from both. */
export function triggerOf(type: string, parameters: Record<string, unknown>): SensorTrigger {
  const id = createHash('sha256').update(`${type}\u0000${canonical(parameters)}`).digest('hex').slice(0, 32);
  return { id, type, parameters };
}

/** The distinct triggers the enabled rules watch, by trigger type. */
export function watchedTriggers(rules: Pick<Rule, 'enabled' | 'trigger_type' | 'trigger_parameters'>[]): Map<string, Map<string, SensorTrigger>> {
  const byType = new Map<string, Map<string, SensorTrigger>>();
  for (const rule of rules) {
    if (!rule.enabled) continue;
    const trigger = triggerOf(rule.trigger_type, rule.trigger_parameters ?? {});
    const triggers = byType.get(trigger.type) ?? new Map<string, SensorTrigger>();
    triggers.set(trigger.id, trigger);
    byType.set(trigger.type, triggers);
  }
  return byType;
}

/** What changed between the triggers a sensor has and those it should have. */
export function triggerChanges(before: Map<string, SensorTrigger>, after: Map<string, SensorTrigger>): { added: SensorTrigger[]; removed: SensorTrigger[] } {
  return {
    added: [...after.values()].filter((t) => !before.has(t.id)),
    removed: [...before.values()].filter((t) => !after.has(t.id)),
  };
}
