import { CancellationScope, CancelledFailure, condition, defineQuery, defineUpdate, isCancellation, patched, proxyActivities, setHandler, workflowInfo } from '@temporalio/workflow';
import type { ActionExecutionInput, ActionOutcome, ExecutionActivities } from './action-execution.workflow';
import { tellParentPaused } from './pause';

/**
 * PAUSES_PARENT: as in StackStorm, a workflow waiting on an inquiry shows
 * `paused` (the inquiry task `pending`): the inquiry tells its parent it is
 * paused, as a paused sub-workflow does, once it waits, and running again once
 * it is answered, timed out or canceled (st2's inquiry service resumes the root).
 */
const PAUSES_PARENT = 'inquiry-pauses-parent';

/** What StackStorm's inquirer runner keeps as the inquiry's result while it waits (its parameters). */
export interface InquiryRequest {
  schema: Record<string, unknown>;
  roles: string[];
  users: string[];
  route: string;
  /** Minutes before the inquiry times out; 0 or less: never. */
  ttl: number;
}

/** A response, validated against the schema and the responder checked by the gateway before it is given. */
export interface InquiryResponse {
  response: Record<string, unknown>;
  user: string;
}

/** Answered once: a second response (or one after the timeout) is refused, naming why. */
export const respondToInquiry = defineUpdate<{ accepted: true }, [InquiryResponse]>('respondToInquiry');
/** Whether the inquiry still waits for a response. */
export const inquiryOpen = defineQuery<boolean>('inquiryOpen');

export interface InquiryActivities {
  /**
   * Marks the execution `pending` with the inquiry as its result, and queues
   * StackStorm's `core.st2.generic.inquiry` trigger instance (`{id, route}`)
   * so a rule can page someone; idempotent.
   */
  openInquiry(input: { executionId: string; runId: string; inquiry: InquiryRequest }): Promise<void>;
}

/**
 * StackStorm's `inquirer` runner (core.ask): the execution waits, durably and
 * holding no process nor worker slot, until a response arrives or its TTL
 * runs out (`timeout`, as StackStorm's garbage collector ends it). Its result
 * is the inquiry with the `response`, as StackStorm's.
 */
export async function inquiryExecution(input: ActionExecutionInput): Promise<ActionOutcome> {
  const { openInquiry } = proxyActivities<InquiryActivities>({ startToCloseTimeout: '30 seconds', retry: { initialInterval: '1 second', maximumInterval: '1 minute' } });
  const { finishExecution } = proxyActivities<ExecutionActivities>({ startToCloseTimeout: '30 seconds', retry: { initialInterval: '1 second', maximumInterval: '1 minute' } });
  const inquiry = inquiryOf(input.parameters);
  let answer: InquiryResponse | undefined;
  let open = true;
  setHandler(inquiryOpen, () => open);
  setHandler(
    respondToInquiry,
    (response) => {
      answer = response;
      return { accepted: true };
    },
    {
      validator: (_response: InquiryResponse) => {
        if (!open) throw new Error('the inquiry is no longer waiting for a response');
      },
    },
  );

  let outcome: ActionOutcome;
  let pausedParent = false;
  try {
    await openInquiry({ executionId: input.executionId, runId: workflowInfo().runId, inquiry });
    if (patched(PAUSES_PARENT)) {
      pausedParent = true;
      await tellParentPaused(true);
    }
    const answered = await condition(() => answer !== undefined, inquiry.ttl > 0 ? inquiry.ttl * 60_000 : undefined);
    outcome = answered ? { status: 'succeeded', result: { ...inquiry, response: answer!.response } } : { status: 'timeout', result: { ...inquiry, response: {} } };
  } catch (error) {
    if (!isCancellation(error)) throw error;
    outcome = { status: 'canceled', result: null };
  }
  open = false;
  await CancellationScope.nonCancellable(() => finishExecution(input.executionId, outcome));
  // Once the row shows the answer, the workflow goes on (a parent being canceled stays so: its row refuses a resume).
  if (pausedParent) await CancellationScope.nonCancellable(() => tellParentPaused(false));
  if (outcome.status === 'canceled') throw new CancelledFailure('execution canceled');
  return outcome;
}

/** The inquirer's parameters (resolved with their defaults by whoever created the execution). */
function inquiryOf(parameters: Record<string, unknown>): InquiryRequest {
  const list = (value: unknown) => (Array.isArray(value) ? value.map(String) : []);
  return {
    schema: (parameters.schema as Record<string, unknown> | undefined) ?? {},
    roles: list(parameters.roles),
    users: list(parameters.users),
    route: typeof parameters.route === 'string' ? parameters.route : '',
    ttl: typeof parameters.ttl === 'number' ? parameters.ttl : 1440,
  };
}
