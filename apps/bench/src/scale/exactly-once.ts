import { Client } from 'pg';

/** What Postgres recorded of one execution the benchmark started. */
export interface RecordedRun {
  id: string;
  status: string;
  /** Every status it went through, oldest first. */
  history: string[];
  /** Its execution_attempts rows: one per action.retry attempt that a dispatch claimed or fenced. */
  attempts: { attempt: number; dispatch: number; state: string }[];
}

export interface ExactlyOnceVerdict {
  checked: number;
  /** Executions whose action started more than once: the failure this check exists for. */
  duplicates: string[];
  /** Anything else wrong: missing, not succeeded, never started. */
  problems: string[];
  /**
   * Executions whose attempt went to a second dispatch: the first went silent (a worker lost, or an
   * activity task lost between Temporal and the worker) until its heartbeat timed out, and was fenced
   * off, so the action still ran once; worth knowing, not a failure.
   */
  redispatched: string[];
}

/**
 * Every execution ran exactly once: recorded, `succeeded`, `running` once in
 * its history, and exactly one attempt that a worker started (state `started`
 * or `finished`), which finished. `ids` are the executions the API created.
 */
export function judgeRuns(ids: readonly string[], runs: readonly RecordedRun[]): ExactlyOnceVerdict {
  const byId = new Map(runs.map((run) => [run.id, run]));
  const verdict: ExactlyOnceVerdict = { checked: ids.length, duplicates: [], problems: [], redispatched: [] };
  for (const id of ids) {
    const run = byId.get(id);
    if (!run) {
      verdict.problems.push(`${id}: not recorded`);
      continue;
    }
    const started = run.attempts.filter((a) => a.state !== 'fenced');
    const runningTimes = run.history.filter((status) => status === 'running').length;
    if (started.length > 1 || runningTimes > 1) {
      verdict.duplicates.push(`${id}: ${started.length} attempts started, running ${runningTimes} times (${run.history.join(' → ')})`);
    } else if (started.length === 0) {
      verdict.problems.push(`${id}: no attempt started (${run.status})`);
    } else if (run.status !== 'succeeded' || started[0].state !== 'finished') {
      verdict.problems.push(`${id}: ${run.status}, attempt ${started[0].state}`);
    }
    if (run.attempts.some((a) => a.dispatch > 1)) verdict.redispatched.push(id);
  }
  return verdict;
}

/** The records of `ids` from Tempest's Postgres. */
export async function readRuns(databaseUrl: string, ids: readonly string[]): Promise<RecordedRun[]> {
  const client = new Client({ connectionString: databaseUrl, application_name: 'tempest-bench-scale' });
  await client.connect();
  try {
    const { rows } = await client.query<{ id: string; status: string; status_history: { status: string }[]; attempts: RecordedRun['attempts'] }>(
      `select e.id, e.status, e.status_history,
         coalesce((select json_agg(json_build_object('attempt', a.attempt, 'dispatch', a.dispatch, 'state', a.state)) from execution_attempts a where a.execution_id = e.id), '[]') as attempts
       from executions e where e.id = any($1)`,
      [ids],
    );
    return rows.map((row) => ({ id: row.id, status: row.status, history: row.status_history.map((change) => change.status), attempts: row.attempts }));
  } finally {
    await client.end();
  }
}
