import type { Runner } from './runner';

/** The runner's own parameters; every other parameter of the action is the announcement. */
const RUNNER_PARAMETERS = new Set(['experimental', 'route']);

/**
 * StackStorm's announcement runner (contrib/runners/announcement_runner):
 * publishes the action's parameters on the event stream as
 * `st2.announcement__<route>`, with StackStorm's body `{payload, trace_context}`.
 */
export const announcement: Runner = async ({ actionRef, parameters, announce }) => {
  if (parameters.experimental !== true) return { status: 'failed', result: { error: `Experimental flag is missing for action ${actionRef}` } };
  if (!announce) return { status: 'failed', result: { error: 'this worker has no event stream to announce on' } };
  const route = typeof parameters.route === 'string' && parameters.route !== '' ? parameters.route : 'general';
  const payload = Object.fromEntries(Object.entries(parameters).filter(([name]) => !RUNNER_PARAMETERS.has(name)));
  await announce(route, { payload, trace_context: null });
  return { status: 'succeeded', result: { output: payload, ...payload } };
};
