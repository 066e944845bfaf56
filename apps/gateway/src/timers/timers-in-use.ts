import type { RuleRepository } from '@tempest/db';
import { TIMER_TRIGGER_TYPES } from '@tempest/domain';
import { timerScheduleId, type TimerTrigger } from './timer-schedule';

/** One distinct timer trigger the rules use: its schedule, and the rules it fires. */
export interface TimerInUse {
  /** Its Temporal schedule's id. */
  id: string;
  timer: TimerTrigger;
  /** The refs of the rules that use it, in the order read. */
  rules: string[];
  /** No enabled rule uses it. */
  paused: boolean;
}

/**
 * The timers the rules in Postgres use, one per distinct trigger (type and
 * parameters), by schedule id: what the reconciler schedules and what
 * GET /timers lists.
 */
export async function timersInUse(rules: RuleRepository, taskQueue: string): Promise<Map<string, TimerInUse>> {
  const timers = new Map<string, TimerInUse>();
  const found = (await Promise.all(TIMER_TRIGGER_TYPES.map((type) => rules.search({ trigger: type })))).flat();
  for (const rule of found) {
    const timer = { type: rule.trigger_type, parameters: rule.trigger_parameters };
    const id = timerScheduleId(timer, taskQueue);
    const entry = timers.get(id) ?? { id, timer, rules: [], paused: true };
    entry.rules.push(rule.ref);
    entry.paused &&= !rule.enabled;
    timers.set(id, entry);
  }
  return timers;
}
