import { isTerminal, type ExecutionStatus } from './execution-status';

/**
 * StackStorm's `notify` (st2common/models/api/notification.py): what to tell,
 * and to which routes, when an execution ends. Each due route becomes one
 * core.st2.generic.notifytrigger instance, which rules route to chat or paging.
 */
export interface NotifySection {
  message?: string;
  data?: Record<string, unknown>;
  /** Where to send it; StackStorm's older `channels` is read as routes. */
  routes?: string[];
}

export type NotifyEvent = 'on-complete' | 'on-success' | 'on-failure';
export type Notify = Partial<Record<NotifyEvent, NotifySection>>;

export const NOTIFY_TRIGGER = 'core.st2.generic.notifytrigger';

/** In StackStorm's order of dispatch (notifier.py: complete, then success, then failure). */
export const NOTIFY_EVENTS: readonly NotifyEvent[] = ['on-complete', 'on-success', 'on-failure'];

/** StackStorm's LIVEACTION_FAILED_STATES: canceled is neither a success nor a failure. */
const FAILED: readonly ExecutionStatus[] = ['failed', 'timeout', 'abandoned'];

const SECTION_KEYS = ['message', 'data', 'routes', 'channels'];

const isMapping = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

/** Every way `value` breaks StackStorm's notify schema, each naming the field (`notify.on-success.routes: ...`). */
export function notifyViolations(path: string, value: unknown): string[] {
  return notifyProblems(path, value).map((p) => `${p.path}: ${p.message}`);
}

/** notifyViolations(), with each problem's path apart from its message. */
export function notifyProblems(path: string, value: unknown): { path: string; message: string }[] {
  if (value === undefined || value === null) return [];
  if (!isMapping(value)) return [{ path, message: 'expected an object with on-complete, on-success or on-failure' }];
  const problems: { path: string; message: string }[] = [];
  const add = (at: string, message: string) => problems.push({ path: at, message });
  for (const [event, section] of Object.entries(value)) {
    const at = `${path}.${event}`;
    if (!(NOTIFY_EVENTS as readonly string[]).includes(event)) {
      add(at, `not a notify event (expected ${NOTIFY_EVENTS.join(', ')})`);
      continue;
    }
    if (section === null) continue;
    if (!isMapping(section)) {
      add(at, 'expected an object with message, data and routes');
      continue;
    }
    for (const key of Object.keys(section).filter((k) => !SECTION_KEYS.includes(k))) add(`${at}.${key}`, 'not a notify field (expected message, data, routes)');
    if (section.message !== undefined && section.message !== null && typeof section.message !== 'string') add(`${at}.message`, 'expected a string');
    if (section.data !== undefined && section.data !== null && !isMapping(section.data)) add(`${at}.data`, 'expected an object');
    for (const key of ['routes', 'channels']) {
      const routes = section[key];
      if (routes === undefined || routes === null) continue;
      if (!Array.isArray(routes) || routes.some((r) => typeof r !== 'string' || r === '')) add(`${at}.${key}`, 'expected a list of route names');
    }
  }
  return problems;
}

/**
 * The notify as StackStorm keeps it (NotificationsHelper.to_model/from_model):
 * `channels` read as `routes`, empty parts dropped; undefined when nothing is
 * left (StackStorm's _is_notify_empty). `value` must have passed notifyViolations.
 */
export function normalizeNotify(value: unknown): Notify | undefined {
  if (!isMapping(value)) return undefined;
  const notify: Notify = {};
  for (const event of NOTIFY_EVENTS) {
    const section = value[event];
    // StackStorm skips a falsy section (`{}` included).
    if (!isMapping(section) || Object.keys(section).length === 0) continue;
    const routes = nonEmpty(section.routes) ?? nonEmpty(section.channels) ?? [];
    notify[event] = {
      ...(typeof section.message === 'string' && section.message !== '' ? { message: section.message } : {}),
      ...(isMapping(section.data) && Object.keys(section.data).length > 0 ? { data: section.data } : {}),
      ...(routes.length > 0 ? { routes: routes as string[] } : {}),
    };
  }
  return Object.keys(notify).length > 0 ? notify : undefined;
}

const nonEmpty = (value: unknown): unknown[] | undefined => (Array.isArray(value) && value.length > 0 ? value : undefined);

/** One notification due when an execution ended: its section, to be sent to each route. */
export interface DueNotification {
  event: NotifyEvent;
  /** The message as written, else StackStorm's default (`Action core.local succeeded.`). */
  message: string;
  data: Record<string, unknown>;
  routes: string[];
}

/** The notifications an execution of `actionRef` that ended `status` sends, in StackStorm's order; a section without routes sends nothing. */
export function dueNotifications(notify: Notify | null | undefined, actionRef: string, status: ExecutionStatus): DueNotification[] {
  // As StackStorm's notifier: only an execution that ended (LIVEACTION_COMPLETED_STATES) notifies; paused is not an end.
  if (!notify || !isTerminal(status)) return [];
  const due: [NotifyEvent, string][] = [['on-complete', 'completed.']];
  if (status === 'succeeded') due.push(['on-success', 'succeeded.']);
  if (FAILED.includes(status)) due.push(['on-failure', 'failed.']);
  return due.flatMap(([event, suffix]) => {
    const section = notify[event];
    const routes = [...new Set(section?.routes ?? [])];
    if (!section || routes.length === 0) return [];
    return [{ event, message: section.message ?? `Action ${actionRef} ${suffix}`, data: section.data ?? {}, routes }];
  });
}

/**
 * The notify of an execution asked for with `requested` (the API's, a chain
 * task's): the action's own when it has one, as StackStorm's create_request
 * sets it over whatever the request carried.
 */
export function executionNotify(actionNotify: Notify | undefined, requested: Notify | undefined): Notify | undefined {
  return actionNotify ?? requested;
}

/**
 * The notify of a workflow task's child execution, as StackStorm decides it.
 * ActionChain (action_chain_runner._get_notify, services/action._is_notify_skipped):
 * none for a task in the chain's `skip_notify`; else the action's own, else
 * the task's `notify`, else the chain's. Orquesta (services/workflows.request):
 * only tasks named in the workflow's `notify` runner parameter notify, and
 * only when the workflow has a notify: the action's own, else the workflow's.
 */
export function taskNotify(input: {
  runnerType: string;
  task: string;
  /** The workflow execution's parameters (skip_notify, or Orquesta's notify list). */
  workflowParameters: Record<string, unknown>;
  workflowNotify: Notify | undefined;
  taskNotify?: Notify;
  actionNotify: Notify | undefined;
}): Notify | undefined {
  const { runnerType, task, workflowParameters } = input;
  const listed = (name: string) => Array.isArray(workflowParameters[name]) && (workflowParameters[name] as unknown[]).includes(task);
  if (runnerType === 'action-chain') return listed('skip_notify') ? undefined : (input.actionNotify ?? input.taskNotify ?? input.workflowNotify);
  if (runnerType === 'orquesta') return listed('notify') && input.workflowNotify ? (input.actionNotify ?? input.workflowNotify) : undefined;
  return undefined;
}
