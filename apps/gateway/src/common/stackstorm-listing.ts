import { BadRequestException, createParamDecorator, Injectable, SetMetadata, type CallHandler, type ExecutionContext, type NestInterceptor } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { map, type Observable } from 'rxjs';
import { ALL_ROWS, PageQueryDto, pageProblems, requestedLimit } from './page-query.dto';

/** The query parameters StackStorm's clients send on every listing, whatever the resource. */
const SHAPING_PARAMETERS = ['include_attributes', 'exclude_attributes', 'sort_asc', 'sort_desc'] as const;
/** What a listing is ordered by when asked for `sort_asc`/`sort_desc`, the first its items have. */
const TIME_ATTRIBUTES = ['start_timestamp', 'occurrence_time', 'enforced_at', 'created_at', 'created'];

type Item = Record<string, unknown>;

const WHOLE_ITEMS = 'tempest:stackstorm-whole-items';
/** A listing whose items are answered whole whatever include/exclude_attributes asks (as StackStorm's own ignore them). */
export const WholeItems = () => SetMetadata(WHOLE_ITEMS, true);

/** The order `sort_asc`/`sort_desc` ask for, by the items' time. */
export type SortOrder = 'asc' | 'desc';

/** The order asked of each request whose handler pages itself. */
const requestedOrders = new WeakMap<object, SortOrder>();

/**
 * A listing handler's parameter: the order asked (`sort_asc`: 'asc'), newest first
 * ('desc') otherwise. A handler that pages itself (its query extends PageQueryDto)
 * takes it into its query: sorting one page of the newest rows would never reach the oldest.
 */
export const ListingOrder = createParamDecorator((_data: unknown, context: ExecutionContext): SortOrder => requestedOrders.get(context.switchToHttp().getRequest<FastifyRequest>()) ?? 'desc');

interface Shaping {
  include?: string[];
  exclude?: string[];
  /** Applied here to handlers that answer all their items; one that pages itself sorts in its query (ListingOrder). */
  sort?: SortOrder;
  /** Applied here when the handler takes no paging of its own. */
  page?: { limit: number; offset: number };
}

const attributes = (value: unknown) =>
  typeof value === 'string' && value.trim() !== ''
    ? value
        .split(',')
        .map((a) => a.trim())
        .filter(Boolean)
    : undefined;
const truthy = (value: unknown) => typeof value === 'string' && ['true', '1', 'yes'].includes(value.toLowerCase());
const whole = (value: unknown, fallback: number) => (typeof value === 'string' && /^\d+$/.test(value) ? Number(value) : fallback);

/** Whether the handler's query DTO pages itself (extends PageQueryDto). */
function handlerPages(context: ExecutionContext): boolean {
  const types = (Reflect.getMetadata('design:paramtypes', context.getClass().prototype, context.getHandler().name) ?? []) as unknown[];
  return types.some((type) => typeof type === 'function' && (type === PageQueryDto || type.prototype instanceof PageQueryDto));
}

/** `a.b` of an item, for include/exclude of nested attributes as StackStorm takes them (`action.ref`). */
function pick(item: Item, paths: string[]): Item {
  const out: Item = {};
  for (const path of paths) {
    const [head, ...rest] = path.split('.');
    if (!(head in item)) continue;
    const value = item[head];
    if (rest.length === 0 || value === null || typeof value !== 'object' || Array.isArray(value)) out[head] = value;
    else out[head] = { ...((out[head] as Item | undefined) ?? {}), ...pick(value as Item, [rest.join('.')]) };
  }
  return out;
}

function drop(item: Item, paths: string[]): Item {
  const out: Item = { ...item };
  for (const path of paths) {
    const [head, ...rest] = path.split('.');
    if (rest.length === 0) delete out[head];
    else if (out[head] && typeof out[head] === 'object' && !Array.isArray(out[head])) out[head] = drop(out[head] as Item, [rest.join('.')]);
  }
  return out;
}

function shape(item: unknown, shaping: Shaping): unknown {
  if (item === null || typeof item !== 'object' || Array.isArray(item)) return item;
  let out = item as Item;
  // StackStorm always answers `id` (and `ref` where it has one) whatever was included.
  if (shaping.include) out = pick(out, ['id', 'uid', 'ref', ...shaping.include]);
  if (shaping.exclude) out = drop(out, shaping.exclude);
  return out;
}

function timeOf(item: unknown): string {
  if (item === null || typeof item !== 'object') return '';
  const attribute = TIME_ATTRIBUTES.find((a) => a in item);
  return attribute ? String((item as Item)[attribute]) : '';
}

/**
 * StackStorm's listing conventions on every collection, in one place:
 * `include_attributes`/`exclude_attributes` (comma-separated, nested with dots),
 * `sort_asc`/`sort_desc` (by the items' time; handlers that page themselves take
 * it with ListingOrder), `limit`/`offset` for handlers
 * that take no paging of their own, and the `X-Total-Count` and `X-Limit`
 * headers StackStorm's CLI reads to say more results exist. They are taken out
 * of the query before validation, so the handlers' own query DTOs stay strict.
 * A handler that knows its total sets X-Total-Count itself; otherwise it is what
 * this page proves: offset + items, one more when the page is full.
 */
@Injectable()
export class StackStormListingInterceptor implements NestInterceptor {
  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const request = context.switchToHttp().getRequest<FastifyRequest>();
    const reply = context.switchToHttp().getResponse<FastifyReply>();
    if (request.method !== 'GET' || !request.query || typeof request.query !== 'object') return next.handle();
    const query = request.query as Record<string, unknown>;
    const shaping: Shaping = {
      include: attributes(query.include_attributes),
      exclude: attributes(query.exclude_attributes),
      sort: truthy(query.sort_asc) ? 'asc' : truthy(query.sort_desc) ? 'desc' : undefined,
    };
    if (Reflect.getMetadata(WHOLE_ITEMS, context.getHandler())) shaping.include = shaping.exclude = undefined;
    for (const parameter of SHAPING_PARAMETERS) delete query[parameter];
    const pages = handlerPages(context);
    if (pages && shaping.sort) {
      requestedOrders.set(request, shaping.sort);
      shaping.sort = undefined;
    }
    if (!pages && ('limit' in query || 'offset' in query)) {
      // Checked as the listings that page themselves check them: a limit that cannot be taken is not "all".
      const problems = pageProblems(query);
      if (problems.length > 0) throw new BadRequestException(problems);
      shaping.page = { limit: requestedLimit(query.limit) ?? ALL_ROWS, offset: whole(query.offset, 0) };
      delete query.limit;
      delete query.offset;
    }
    const limit = pages ? (requestedLimit(query.limit) ?? 50) : shaping.page?.limit;
    const offset = pages ? whole(query.offset, 0) : (shaping.page?.offset ?? 0);
    return next.handle().pipe(
      map((body: unknown) => {
        if (!Array.isArray(body)) return shape(body, shaping);
        let items = body;
        const total = shaping.page ? items.length : undefined;
        if (shaping.sort) items = [...items].sort((a, b) => timeOf(a).localeCompare(timeOf(b)) * (shaping.sort === 'asc' ? 1 : -1));
        if (shaping.page) items = items.slice(shaping.page.offset, shaping.page.offset + shaping.page.limit);
        if (!reply.hasHeader('x-total-count')) reply.header('X-Total-Count', String(total ?? offset + items.length + (limit !== undefined && items.length >= limit ? 1 : 0)));
        // As StackStorm: no X-Limit when all were asked for.
        if (limit !== undefined && limit !== ALL_ROWS) reply.header('X-Limit', String(limit));
        return items.map((item) => shape(item, shaping));
      }),
    );
  }
}
