import type { Crash } from './chaos-process';
import type { Problem, Verdict } from './verdict';

/** A kill -9 of one process and how long it took to serve again. */
export interface KillRecord {
  name: string;
  /** Seconds since the load began. */
  at: number;
  pid?: number;
  backAfter: number;
  error?: string;
}

/** What Temporal says of an execution's workflow, for the evidence. */
export type TemporalView = Map<string, string>;

export interface ChaosReportInput {
  settings: string;
  setupSeconds: number;
  loadSeconds: number;
  settleSeconds: number;
  settled: boolean;
  stillOpen?: string;
  kills: KillRecord[];
  crashes: Crash[];
  verdict: Verdict;
  unprocessedInstances: string[];
  failedEnforcements: string[];
  temporal: TemporalView;
  shown: number;
  logs: string;
  /** Epoch seconds at the start of the load, to time the ledger's lines like the kills. */
  loadEpoch: number;
}

const s = (n: number) => `${n.toFixed(1)} s`;
const counts = (record: Record<string, number>) =>
  Object.entries(record)
    .sort(([, a], [, b]) => b - a)
    .map(([name, n]) => `${name} ${n}`)
    .join(', ') || 'none';

export function formatChaosReport(input: ChaosReportInput): string {
  const { figures: f, problems } = input.verdict;
  const lines = [
    `benchmark chaos: ${input.settings}`,
    `  platform up in ${s(input.setupSeconds)}; load sent in ${s(input.loadSeconds)}; ${input.settled ? `settled ${s(input.settleSeconds)} after` : `NOT settled within ${s(input.settleSeconds)} (${input.stillOpen})`}`,
    '',
    'kills (seconds from the start of the load):',
    ...input.kills.map((k) => `  kill -9 ${k.name.padEnd(8)} pid ${String(k.pid ?? '-').padEnd(7)} at ${s(k.at).padStart(7)}, serving again after ${k.error ? `- (restart failed: ${k.error})` : s(k.backAfter)}`),
    `unexpected exits (seconds from the start of the load; restarted by the harness): ${input.crashes.length === 0 ? 'none' : ''}`,
    ...input.crashes.map((c) => `  ${c.name} pid ${c.pid} at ${s(c.at)} (exit ${c.code}): ${why(c.tail)}`),
    '',
    `events sent           ${f.sent}${f.sensorLines > 0 ? ` (${f.sent - f.sensorLines} webhooks, ${f.sensorLines} lines for the sensor)` : ''}`,
    `accepted (202)        ${f.accepted}`,
    `refused (4xx)         ${f.refused}`,
    `gave up (no answer)   ${f.gaveUp}`,
    `retried               ${f.retriedEvents} events, ${f.retries} extra requests (${counts(f.retryReasons)})`,
    `trigger instances     ${f.triggerInstances}${input.unprocessedInstances.length > 0 ? ` (${input.unprocessedInstances.length} not processed)` : ''}`,
    `executions recorded   ${f.executionsRecorded}`,
    `actions run (ledger)  ${f.actionsStarted} started, ${f.actionsRanToEnd} ran to the end, ${f.actionsKilledMidRun} killed mid-run`,
    `duplicates            ${f.duplicates} events ran more than once`,
    `missing               ${f.missing} accepted events never ran`,
    `final statuses        ${counts(f.finalStatuses)}`,
    `status mismatches     ${f.statusMismatches}${f.abandonedThoughFinished > 0 ? ` (and ${f.abandonedThoughFinished} abandoned that had in fact finished, which is what was known)` : ''}`,
    '',
    `verdict: ${input.verdict.passed && input.settled ? 'PASS: every accepted event ran exactly once and every final status is true' : 'FAIL'}`,
  ];
  if (problems.length > 0) {
    lines.push('', 'problems by kind:', ...Object.entries(byKind(problems)).map(([what, n]) => `  ${String(n).padStart(4)}  ${what}`));
    lines.push('', `evidence (first ${Math.min(input.shown, problems.length)} of ${problems.length}):`);
    for (const problem of problems.slice(0, input.shown)) lines.push(...evidence(problem, input.temporal, input.loadEpoch));
  }
  const extra = [
    ...input.unprocessedInstances.slice(0, 10).map((i) => `  trigger instance ${i}`),
    ...input.failedEnforcements.slice(0, 10).map((e) => `  failed enforcement ${e}`),
  ];
  if (extra.length > 0) lines.push('', 'ingestion records not processed:', ...extra);
  lines.push('', `logs: ${input.logs}`, '');
  return lines.join('\n');
}

/** The lines of a crashed process's last output that say why: the first errors, else its last line. */
function why(tail: string[]): string {
  const telling = tail.filter((line) => /^(\w*Error|error):|Unhandled|failed/.test(line.trim()));
  return (telling.length > 0 ? telling.slice(0, 2) : tail.slice(-1)).join(' | ').slice(0, 300);
}

function byKind(problems: Problem[]): Record<string, number> {
  const kinds: Record<string, number> = {};
  for (const { what, executions } of problems) {
    const error = executions.find((e) => e.error)?.error;
    const cause = error ? ` (error: ${error.replace(/[\d.]+:\d+/g, '<host>:<port>').slice(0, 60)})` : '';
    const kind = what.replace(/execution \S+/, 'execution <id>').replace(/ran \d+ times/, 'ran more than once') + cause;
    kinds[kind] = (kinds[kind] ?? 0) + 1;
  }
  return kinds;
}

function evidence(problem: Problem, temporal: TemporalView, loadEpoch: number): string[] {
  const ledger = (problem.ledger.lines ?? []).map((l) => `${l.kind} ${l.execution.slice(0, 8)} by pid ${l.pid} at ${s(l.at - loadEpoch)}`).join(', ') || 'nothing';
  return [
    `  event ${problem.event}: ${problem.what}`,
    ...problem.executions.map(
      (e) => `    execution ${e.id}: ${e.history.join(' -> ')}${e.error ? `; error: ${e.error.slice(0, 200)}` : ''}; Temporal: ${temporal.get(e.id) ?? '?'}`,
    ),
    `    ledger: ${ledger}`,
  ];
}
