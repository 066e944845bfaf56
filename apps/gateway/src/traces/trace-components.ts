import type { TraceContents } from '@tempest/db';
import { ruleReference } from '../enforcements/rule-enforcement.dto';
import type { TraceComponentDto } from './trace.dto';

/**
 * A trace's trigger instances, rules and executions as StackStorm's
 * TraceComponents, each linked to its cause (`caused_by`), so that
 * `st2 trace get -e <execution>` walks the chain back to the event.
 */
export function traceComponents({ instances, enforcements, executions }: TraceContents): { trigger_instances: TraceComponentDto[]; rules: TraceComponentDto[]; action_executions: TraceComponentDto[] } {
  const enforcementOf = new Map(enforcements.flatMap((e) => (e.execution_id === null ? [] : [[e.execution_id, e] as const])));
  return {
    trigger_instances: instances.map((i) => {
      // An actiontrigger or notifytrigger names the execution that emitted it.
      const execution = i.context.execution_id;
      return { object_id: i.id, ref: i.trigger, updated_at: i.occurrence_time.toISOString(), caused_by: typeof execution === 'string' ? { type: 'action_execution', id: execution } : {} };
    }),
    rules: enforcements.map((e) => ({ object_id: ruleReference(e.rule_ref).id, ref: e.rule_ref, updated_at: e.enforced_at.toISOString(), caused_by: { type: 'trigger_instance', id: e.trigger_instance_id } })),
    action_executions: executions.map((e) => {
      const enforcement = enforcementOf.get(e.id);
      const caused_by =
        e.parent_id !== null
          ? { type: 'action_execution', id: e.parent_id }
          : enforcement
            ? { type: 'rule', id: `${ruleReference(enforcement.rule_ref).id}:${enforcement.trigger_instance_id}` }
            : {};
      return { object_id: e.id, ref: e.action_ref, updated_at: e.created_at.toISOString(), caused_by };
    }),
  };
}
