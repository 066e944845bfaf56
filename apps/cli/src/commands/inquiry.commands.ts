import type { Inquiry } from '@tempest/client';
import { details, table } from '../format';
import { UsageError } from '../parameters';
import { emit, type CommandContext } from './context';

const USAGE = "tempest inquiry list | get <id> | respond <id> -r '<JSON matching its schema>'";

function describeInquiry(inquiry: Inquiry): string {
  return details([
    ['id', inquiry.id],
    ['status', inquiry.status],
    ['route', inquiry.route],
    ['ttl', `${inquiry.ttl} min`],
    ['users', inquiry.users.join(', ')],
    ['roles', inquiry.roles.join(', ')],
    ['parent', inquiry.parent],
    ['schema', JSON.stringify(inquiry.schema, null, 2)],
    ['response', inquiry.response === undefined ? undefined : JSON.stringify(inquiry.response)],
  ]);
}

/** The response as given on the command line: a JSON object, or a usage error saying what is wrong with it. */
function parseResponse(text: string | undefined): Record<string, unknown> {
  if (text === undefined) throw new UsageError(`${USAGE}  (the response is required)`);
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new UsageError(`-r: not JSON (${(error as Error).message}): ${text.slice(0, 200)}`);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new UsageError('-r: the response must be a JSON object, e.g. \'{"continue": true}\'');
  return value as Record<string, unknown>;
}

/** `tempest inquiry list|get|respond`, StackStorm's `st2 inquiry` on the inquiries API. */
export async function inquiryCommand(context: CommandContext, [sub, id, ...extra]: string[], options: { response?: string }): Promise<number> {
  if (extra.length > 0) throw new UsageError(USAGE);
  const needId = () => {
    if (!id) throw new UsageError(USAGE);
    return id;
  };
  switch (sub) {
    case 'list': {
      const inquiries = await context.client.listInquiries();
      emit(context, inquiries, () => table(['id', 'route', 'users', 'ttl', 'parent'], inquiries.map((i) => [i.id, i.route, i.users.join(','), String(i.ttl), i.parent ?? ''])));
      return 0;
    }
    case 'get': {
      const inquiry = await context.client.getInquiry(needId());
      emit(context, inquiry, () => describeInquiry(inquiry));
      return 0;
    }
    case 'respond': {
      const inquiryId = needId();
      const answered = await context.client.respondToInquiry(inquiryId, parseResponse(options.response));
      emit(context, answered, () => `Response accepted for inquiry ${answered.id}.`);
      return 0;
    }
    default:
      throw new UsageError(USAGE);
  }
}
