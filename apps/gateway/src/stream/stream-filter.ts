import { BadRequestException } from '@nestjs/common';
import { isTerminal } from '@tempest/domain';

/** One event of the stream, as StackStorm names it (`st2.execution__update`), with what its filters look at. */
export interface StreamEvent {
  name: string;
  data: unknown;
  actionRef?: string;
  /** Unset for liveaction events: StackStorm's `execution_ids` filter leaves them out. */
  executionId?: string;
  status?: string;
}

export interface StreamFilter {
  events: RegExp[];
  actionRefs?: Set<string>;
  executionIds?: Set<string>;
  endEvent?: string;
  endExecutionId?: string;
}

/** What StackStorm streams when `events` is not given (st2stream controllers/v1/stream.py): output only when asked. */
export const DEFAULT_EVENTS = [
  'st2.announcement__*',
  'st2.execution__create',
  'st2.execution__update',
  'st2.execution__delete',
  'st2.liveaction__create',
  'st2.liveaction__update',
  'st2.liveaction__delete',
];

/** The API key a StackStorm client may put in the query instead of a header (st2client StreamManager). */
export const QUERY_KEYS = ['st2-api-key', 'x-auth-token'] as const;
const LISTS = ['events', 'action_refs', 'execution_ids', 'execution_id'] as const;
const SINGLES = ['end_event', 'end_execution_id'] as const;
const KNOWN = new Set<string>([...LISTS, ...SINGLES, ...QUERY_KEYS]);

/** fnmatch, as StackStorm matches `events` (`st2.announcement__*`). */
function glob(pattern: string): RegExp {
  const body = pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.');
  return new RegExp(`^${body}$`);
}

/** A list parameter as StackStorm's client sends it (`a,b`) or repeated (`?x=a&x=b`). */
function list(value: unknown): string[] {
  const values = Array.isArray(value) ? value : value === undefined ? [] : [value];
  return values.flatMap((v) => String(v).split(',')).map((v) => v.trim()).filter(Boolean);
}

function single(name: string, value: unknown): string | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'string' || value === '') throw new BadRequestException([`${name}: expected one non-empty value`]);
  return value;
}

/** The query of GET /stream/v1/stream; an unknown parameter is refused by name. */
export function parseStreamQuery(query: Record<string, unknown>): StreamFilter {
  const unknown = Object.keys(query).filter((name) => !KNOWN.has(name));
  if (unknown.length > 0) throw new BadRequestException(unknown.map((name) => `${name}: unknown query parameter (known: ${[...KNOWN].join(', ')})`));
  const events = list(query.events);
  const actionRefs = list(query.action_refs);
  const executionIds = [...list(query.execution_ids), ...list(query.execution_id)];
  return {
    events: (events.length > 0 ? events : DEFAULT_EVENTS).map(glob),
    actionRefs: actionRefs.length > 0 ? new Set(actionRefs) : undefined,
    executionIds: executionIds.length > 0 ? new Set(executionIds) : undefined,
    endEvent: single('end_event', query.end_event),
    endExecutionId: single('end_execution_id', query.end_execution_id),
  };
}

/** StackStorm's late filtering (st2common stream/listener.py): event name, then action ref, then execution id. */
export function accepts(filter: StreamFilter, event: StreamEvent): boolean {
  if (!filter.events.some((pattern) => pattern.test(event.name))) return false;
  if (filter.actionRefs && !(event.actionRef !== undefined && filter.actionRefs.has(event.actionRef))) return false;
  if (filter.executionIds && !(event.executionId !== undefined && filter.executionIds.has(event.executionId))) return false;
  return true;
}

/** `end_event` with `end_execution_id` (what `st2 execution tail` asks): the stream ends after that execution's last update. */
export function ends(filter: StreamFilter, event: StreamEvent): boolean {
  return filter.endEvent === event.name && filter.endExecutionId !== undefined && event.executionId === filter.endExecutionId && event.status !== undefined && isTerminal(event.status);
}
