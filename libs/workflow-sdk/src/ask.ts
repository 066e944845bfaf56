import { run } from './run';

export interface AskOptions {
  /** Minutes before the question times out (ask() then throws ActionError, status `timeout`); 0: never. Default: core.ask's (1440). */
  ttl?: number;
  /** Who may answer: these users, or users with these roles; both empty: anyone. */
  users?: string[];
  roles?: string[];
  /** Where the question should go, for rules on `core.st2.generic.inquiry` (such as paging on-call). */
  route?: string;
  /** The task's name in the audit trail; default `ask`. */
  task?: string;
}

/**
 * Asks a human, as StackStorm's core.ask does: an inquiry (a child execution,
 * listed by `tempest inquiry list`) waits durably, holding no process, for a
 * response that validates against `schema`, and this answers that response.
 * While it waits, the workflow shows `paused`, and nothing new starts in it;
 * the answer resumes it. Throws ActionError if the question times out or is
 * canceled.
 */
export async function ask<Response extends Record<string, unknown> = Record<string, unknown>>(schema: Record<string, unknown>, options: AskOptions = {}): Promise<Response> {
  const { task = 'ask', ...parameters } = options;
  const inquiry = await run('core.ask', { schema, ...parameters }, { task });
  return inquiry.response as Response;
}
