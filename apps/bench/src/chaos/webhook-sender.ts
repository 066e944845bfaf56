import { setTimeout as delay } from 'node:timers/promises';

/** What happened to one event from the sender's side. */
export interface EventOutcome {
  event: string;
  key: string;
  /** Answered 202: the platform took responsibility for it. */
  accepted: boolean;
  attempts: number;
  /** Why each attempt before the last failed: `ECONNREFUSED`, `503`, `timeout`... */
  failures: string[];
  /** A 4xx, which a sender does not retry: the event is lost unless the platform kept it anyway. */
  refused?: { status: number; body: string };
  /** The executions the 202 named. */
  executions: string[];
  /** A line for the sensor container, not a webhook. */
  source?: 'sensor';
}

export interface SenderOptions {
  hookUrl: string;
  apiKey: string;
  /** How long one event is retried before the sender gives up on it. */
  giveUpMs: number;
  requestTimeoutMs: number;
}

const FIRST_BACKOFF_MS = 200;
const MAX_BACKOFF_MS = 2_000;

/**
 * Posts one event as a careful sender does (Alertmanager, a CI system):
 * with an Idempotency-Key, retrying with the same key on connection errors,
 * timeouts and 5xx, with back-off, until the gateway answers 202 or a 4xx, or
 * the sender gives up.
 */
export async function sendEvent(options: SenderOptions, event: string, key: string): Promise<EventOutcome> {
  const outcome: EventOutcome = { event, key, accepted: false, attempts: 0, failures: [], executions: [] };
  const deadline = Date.now() + options.giveUpMs;
  for (let backoff = FIRST_BACKOFF_MS; ; backoff = Math.min(backoff * 2, MAX_BACKOFF_MS)) {
    outcome.attempts += 1;
    const failure = await attempt(options, event, key, outcome);
    if (failure === undefined) return outcome;
    outcome.failures.push(failure);
    if (Date.now() + backoff > deadline) return outcome;
    await delay(backoff);
  }
}

/** One POST; answers why it should be retried, or undefined when the outcome is final. */
async function attempt(options: SenderOptions, event: string, key: string, outcome: EventOutcome): Promise<string | undefined> {
  let response: Response;
  let text: string;
  try {
    response = await fetch(options.hookUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-api-key': options.apiKey, 'idempotency-key': key },
      body: JSON.stringify({ event }),
      signal: AbortSignal.timeout(options.requestTimeoutMs),
    });
    text = await response.text();
  } catch (error) {
    return connectionFailure(error);
  }
  if (response.status >= 500 || response.status === 429) return String(response.status);
  if (response.status === 202) {
    outcome.accepted = true;
    const body = JSON.parse(text) as { rule_enforcements?: { execution_id?: string }[] };
    outcome.executions = (body.rule_enforcements ?? []).flatMap((e) => (e.execution_id ? [e.execution_id] : []));
    return undefined;
  }
  outcome.refused = { status: response.status, body: text.slice(0, 300) };
  return undefined;
}

function connectionFailure(error: unknown): string {
  if (error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError')) return 'timeout';
  const cause = error instanceof Error ? (error.cause as { code?: string } | undefined) : undefined;
  return cause?.code ?? (error instanceof Error ? error.message : String(error));
}

/**
 * `events` events spread evenly over `seconds`, each sent (and retried) on
 * its own, so a slow or dead gateway delays retries but not the schedule.
 */
export async function sendLoad(options: SenderOptions, runId: string, events: number, seconds: number): Promise<EventOutcome[]> {
  const spacingMs = (seconds * 1000) / events;
  const began = Date.now();
  return Promise.all(
    Array.from({ length: events }, async (_, i) => {
      await delay(Math.max(0, began + i * spacingMs - Date.now()));
      const event = `${runId}-${String(i).padStart(5, '0')}`;
      return sendEvent(options, event, `chaos-${event}`);
    }),
  );
}
