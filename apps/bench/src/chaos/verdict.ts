import { OPEN_STATUSES, type AuditTrail, type RecordedExecution } from './audit-trail';
import type { LedgerEntry } from './ledger';
import type { EventOutcome } from './webhook-sender';

/** One event whose fate breaks a promise, with the evidence. */
export interface Problem {
  event: string;
  what: string;
  executions: RecordedExecution[];
  ledger: LedgerEntry;
}

export interface Figures {
  /** Webhook events and lines for the sensor, together. */
  sent: number;
  sensorLines: number;
  accepted: number;
  refused: number;
  gaveUp: number;
  /** Events that needed more than one request, and the extra requests in all. */
  retriedEvents: number;
  retries: number;
  /** Why retried requests failed, with counts. */
  retryReasons: Record<string, number>;
  triggerInstances: number;
  executionsRecorded: number;
  /** Events with at least one `start` line, with an `end` line, and with more than one `start`. */
  actionsStarted: number;
  actionsRanToEnd: number;
  actionsKilledMidRun: number;
  duplicates: number;
  missing: number;
  finalStatuses: Record<string, number>;
  statusMismatches: number;
  /** Executions recorded `abandoned` though the ledger shows they ran to the end: true to what was known, counted apart. */
  abandonedThoughFinished: number;
}

export interface Verdict {
  figures: Figures;
  problems: Problem[];
  passed: boolean;
}

const EMPTY: LedgerEntry = { starts: [], ends: [] };

/**
 * Compares three accounts of the run: what the sender was told (202 or not),
 * what Tempest recorded (executions and their statuses), and what actually
 * ran (the ledger the action itself wrote). Every accepted event must have
 * run exactly once, under one execution whose final status is true to the
 * ledger; an event the gateway refused must not have run.
 */
export function judge(outcomes: EventOutcome[], trail: AuditTrail, ledger: Map<string, LedgerEntry>): Verdict {
  const byEvent = new Map<string, RecordedExecution[]>();
  for (const execution of trail.executions) byEvent.set(execution.event, [...(byEvent.get(execution.event) ?? []), execution]);
  const figures: Figures = {
    sent: outcomes.length,
    sensorLines: outcomes.filter((o) => o.source === 'sensor').length,
    accepted: outcomes.filter((o) => o.accepted).length,
    refused: outcomes.filter((o) => o.refused).length,
    gaveUp: outcomes.filter((o) => !o.accepted && !o.refused).length,
    retriedEvents: outcomes.filter((o) => o.attempts > 1).length,
    retries: outcomes.reduce((sum, o) => sum + o.attempts - 1, 0),
    retryReasons: count(outcomes.flatMap((o) => o.failures)),
    triggerInstances: [...trail.instancesByKey.values()].reduce((sum, n) => sum + n, 0),
    executionsRecorded: trail.executions.length,
    actionsStarted: 0,
    actionsRanToEnd: 0,
    actionsKilledMidRun: 0,
    duplicates: 0,
    missing: 0,
    finalStatuses: count(trail.executions.map((e) => e.status)),
    statusMismatches: 0,
    abandonedThoughFinished: 0,
  };
  const problems: Problem[] = [];
  for (const outcome of outcomes) {
    const executions = byEvent.get(outcome.event) ?? [];
    const entry = ledger.get(outcome.event) ?? EMPTY;
    const report = (what: string) => problems.push({ event: outcome.event, what, executions, ledger: entry });
    if (entry.starts.length > 0) figures.actionsStarted += 1;
    if (entry.ends.length > 0) figures.actionsRanToEnd += 1;
    figures.actionsKilledMidRun += entry.starts.filter((id) => !entry.ends.includes(id)).length;
    if (entry.starts.length > 1) {
      figures.duplicates += 1;
      report(`ran ${entry.starts.length} times`);
    }
    const instances = trail.instancesByKey.get(outcome.key) ?? 0;
    if (instances > 1) report(`${instances} trigger instances for one Idempotency-Key`);
    if (executions.length > 1) report(`${executions.length} executions recorded for one event`);
    if (!outcome.accepted) {
      if (outcome.refused && entry.starts.length > 0) report(`refused with ${outcome.refused.status} but ran`);
      continue;
    }
    if (entry.starts.length === 0) {
      figures.missing += 1;
      report(instances === 0 ? 'accepted (202) but never recorded nor run' : executions.length === 0 ? 'accepted (202), recorded, but no execution and never ran' : 'accepted (202) but never ran');
    }
    for (const execution of executions) {
      const mismatch = statusMismatch(execution, entry);
      if (mismatch === 'abandoned though finished') figures.abandonedThoughFinished += 1;
      else if (mismatch) {
        figures.statusMismatches += 1;
        report(mismatch);
      }
    }
    for (const id of entry.starts.filter((id) => !executions.some((e) => e.id === id))) report(`ran as execution ${id}, which the audit trail does not have for this event`);
  }
  const passed = problems.length === 0 && figures.gaveUp === 0 && figures.refused === 0;
  return { figures, problems, passed };
}

/** Why the execution's final status is not what the ledger says happened, if it is not. */
function statusMismatch(execution: RecordedExecution, entry: LedgerEntry): string | undefined {
  const started = entry.starts.includes(execution.id);
  const finished = entry.ends.includes(execution.id);
  if (OPEN_STATUSES.has(execution.status)) return `still ${execution.status} when the run settled`;
  if (execution.status === 'succeeded' && !finished) return started ? 'recorded succeeded but was killed mid-run' : 'recorded succeeded but never ran';
  if (execution.status === 'abandoned') return finished ? 'abandoned though finished' : undefined;
  if (execution.status !== 'succeeded' && finished) return `recorded ${execution.status} but ran to the end`;
  return undefined;
}

function count(items: string[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const item of items) counts[item] = (counts[item] ?? 0) + 1;
  return counts;
}
