import { appendFileSync } from 'node:fs';
import { setTimeout as delay } from 'node:timers/promises';
import type { EventOutcome } from './webhook-sender';

/**
 * `count` events for the sensor container, spread evenly over `seconds`: one
 * line each, appended to the file its sensor tails. A line written is an
 * event accepted: from then on it is the platform's to run.
 */
export async function appendLines(file: string, runId: string, count: number, seconds: number): Promise<EventOutcome[]> {
  const spacingMs = (seconds * 1000) / count;
  const began = Date.now();
  const outcomes: EventOutcome[] = [];
  for (let i = 0; i < count; i += 1) {
    await delay(Math.max(0, began + i * spacingMs - Date.now()));
    const event = `${runId}-s${String(i).padStart(5, '0')}`;
    appendFileSync(file, `${event}\n`);
    outcomes.push({ event, key: `chaos-${event}`, accepted: true, attempts: 1, failures: [], executions: [], source: 'sensor' });
  }
  return outcomes;
}
