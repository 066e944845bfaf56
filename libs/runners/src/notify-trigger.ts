import type { Execution, NewTriggerInstance } from '@tempest/db';
import { dueNotifications, NOTIFY_TRIGGER, type ExecutionStatus } from '@tempest/domain';
import { compileTemplate, KeyValueSession, renderRuleTemplate, type KeyValueLookup } from '@tempest/rules';
import { executionTraceTag } from './action-trigger';

/**
 * What `message` and `data` render against, as StackStorm's notifier builds it
 * (_build_jinja_context): the parameters as recorded, so secret values are
 * masked and never sent in clear, the execution's context and its result;
 * `st2kv.system` comes from the session.
 */
function renderContext(execution: Execution): Record<string, unknown> {
  return { action_parameters: execution.parameters, action_context: execution.context, action_results: execution.result ?? null };
}

/**
 * Wall-clock time all of one execution's notify templates may take together:
 * each has the templating budget (MAX_TEMPLATE_MS), and a notify may hold many.
 */
export const MAX_NOTIFY_RENDER_MS = 2_000;

interface Rendering {
  context: Record<string, unknown>;
  session: KeyValueSession;
  problems: string[];
  deadline: number;
}

/**
 * The datastore as a notification may read it: `st2kv.system`, a secret as its
 * ciphertext (as StackStorm's KeyValueLookup gives it). decrypt_kv is refused:
 * the notification is stored and sent in clear.
 */
function notifySession(datastore: KeyValueLookup | undefined): KeyValueSession {
  const lookup: KeyValueLookup | undefined = datastore && {
    get: (scope, key, options) => (options.decrypt ? Promise.reject(new Error(`decrypt_kv: st2kv.${scope}.${key} would be sent in clear in the notification; not decrypted`)) : datastore.get(scope, key, options)),
  };
  return new KeyValueSession(lookup, undefined, ['system']);
}

/**
 * Renders one value within the templating budget. Like StackStorm's notifier,
 * a template that cannot be rendered is sent as written (with the reason, for
 * the log) rather than losing the notification.
 */
async function rendered(value: unknown, rendering: Rendering, where: string): Promise<unknown> {
  const { context, session, problems } = rendering;
  if (typeof value === 'string') {
    if (Date.now() > rendering.deadline) {
      problems.push(`${where}: not rendered, the execution's notify templates took more than ${MAX_NOTIFY_RENDER_MS} ms`);
      return value;
    }
    try {
      return await renderRuleTemplate(compileTemplate(value), context, session);
    } catch (error) {
      problems.push(`${where}: ${error instanceof Error ? error.message : String(error)}`);
      return value;
    }
  }
  // One after the other: the deadline is for all of them together.
  if (Array.isArray(value)) {
    const items: unknown[] = [];
    for (const [i, item] of value.entries()) items.push(await rendered(item, rendering, `${where}[${i}]`));
    return items;
  }
  if (typeof value === 'object' && value !== null) {
    const entries: [string, unknown][] = [];
    for (const [key, item] of Object.entries(value)) entries.push([key, await rendered(item, rendering, `${where}.${key}`)]);
    return Object.fromEntries(entries);
  }
  return value;
}

/**
 * StackStorm's core.st2.generic.notifytrigger instances for an execution that
 * ended (notifier._post_notify_subsection_triggers): one per route of each due
 * section of its notify, in the execution's trace. Keyed by the execution,
 * section and route, so each is stored once however often the end is written.
 * `problems` collects templates that could not be rendered; `datastore` gives
 * templates st2kv.system.
 */
export async function notifyTriggerInstances(execution: Execution, newId: () => string, options: { datastore?: KeyValueLookup; problems?: string[] } = {}): Promise<NewTriggerInstance[]> {
  const status = execution.status as ExecutionStatus;
  const rendering: Rendering = { context: renderContext(execution), session: notifySession(options.datastore), problems: options.problems ?? [], deadline: Date.now() + MAX_NOTIFY_RENDER_MS };
  const traceTag = executionTraceTag(execution);
  const instances: NewTriggerInstance[] = [];
  for (const due of dueNotifications(execution.notify, execution.action_ref, status)) {
    const rawMessage = await rendered(due.message, rendering, `notify.${due.event}.message`);
    const message = typeof rawMessage === 'string' ? rawMessage : JSON.stringify(rawMessage);
    const data = (await rendered(due.data, rendering, `notify.${due.event}.data`)) as Record<string, unknown>;
    const payload = {
      message,
      // As StackStorm sends it: the result as a JSON string.
      data: { ...data, result: JSON.stringify(execution.result ?? null) },
      execution_id: execution.id,
      status,
      start_timestamp: execution.created_at.toISOString(),
      end_timestamp: (execution.finished_at ?? new Date()).toISOString(),
      action_ref: execution.action_ref,
      runner_ref: execution.runner_type,
    };
    for (const route of due.routes) {
      instances.push({
        id: newId(),
        trigger: NOTIFY_TRIGGER,
        parameters: {},
        // `channel` is StackStorm's older name for the route, still sent.
        payload: { ...payload, route, channel: route },
        occurrenceTime: execution.finished_at ?? undefined,
        status: 'pending',
        traceTag,
        idempotencyKey: `${execution.id}:${due.event}:${route}`,
        source: 'notify',
        context: { execution_id: execution.id, notify: due.event },
      });
    }
  }
  return instances;
}
