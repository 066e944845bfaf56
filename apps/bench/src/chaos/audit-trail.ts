import { Client } from 'pg';
import { CHAOS_ACTION, SENSOR_TRIGGER } from './chaos-pack';

/** The run's trigger instances, each keyed `chaos-<event>`: by Idempotency-Key (webhooks) or by the line the sensor read. */
const OWN_INSTANCES = `select i.*, coalesce(i.idempotency_key, 'chaos-' || (i.payload->>'line')) as key from trigger_instances i
  where i.idempotency_key like 'chaos-%' or i.trigger = '${SENSOR_TRIGGER}'`;

/** An execution of the chaos action as Tempest recorded it. */
export interface RecordedExecution {
  id: string;
  event: string;
  status: string;
  /** Every status it went through, oldest first. */
  history: string[];
  /** The error its result names, if any. */
  error?: string;
}

/** Tempest's own records of the run, read from Postgres. */
export interface AuditTrail {
  executions: RecordedExecution[];
  /** Trigger instance count per idempotency key. */
  instancesByKey: Map<string, number>;
  /** Trigger instances not `processed` (queued, failed): `key: status error`. */
  unprocessedInstances: string[];
  /** Rule enforcements that failed: `key: reason`. */
  failedEnforcements: string[];
}

/** Statuses of an execution that is not over yet. */
export const OPEN_STATUSES = new Set(['requested', 'scheduled', 'running', 'canceling', 'pausing', 'paused', 'resuming', 'delayed', 'pending']);

export async function readAuditTrail(databaseUrl: string): Promise<AuditTrail> {
  const client = new Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const executions = await client.query<{ id: string; event: string; status: string; status_history: { status: string }[]; result: unknown }>(
      `select id, parameters->>'event' as event, status, status_history, result from executions where action_ref = $1 order by created_at`,
      [CHAOS_ACTION],
    );
    const instances = await client.query<{ key: string; status: string; error: string | null }>(
      `select key, status, error from (${OWN_INSTANCES}) i`,
    );
    const enforcements = await client.query<{ key: string; reason: string | null }>(
      `select i.key, e.failure_reason as reason from rule_enforcements e join (${OWN_INSTANCES}) i on i.id = e.trigger_instance_id where e.status = 'failed'`,
    );
    const instancesByKey = new Map<string, number>();
    for (const { key } of instances.rows) instancesByKey.set(key, (instancesByKey.get(key) ?? 0) + 1);
    return {
      executions: executions.rows.map((row) => ({
        id: row.id,
        event: row.event,
        status: row.status,
        history: row.status_history.map((change) => change.status),
        error: errorOf(row.result),
      })),
      instancesByKey,
      unprocessedInstances: instances.rows.filter((row) => row.status !== 'processed').map((row) => `${row.key}: ${row.status}${row.error ? ` (${row.error})` : ''}`),
      failedEnforcements: enforcements.rows.map((row) => `${row.key}: ${row.reason}`),
    };
  } finally {
    await client.end();
  }
}

/** Counts what is still moving: open executions and trigger instances not yet processed. */
export async function openWork(databaseUrl: string): Promise<{ executions: number; instances: number }> {
  const client = new Client({ connectionString: databaseUrl, connectionTimeoutMillis: 2_000 });
  await client.connect();
  try {
    const executions = await client.query<{ n: string }>(`select count(*) as n from executions where action_ref = $1 and status = any($2)`, [CHAOS_ACTION, [...OPEN_STATUSES]]);
    const instances = await client.query<{ n: string }>(`select count(*) as n from (${OWN_INSTANCES}) i where status in ('pending', 'processing')`);
    return { executions: Number(executions.rows[0].n), instances: Number(instances.rows[0].n) };
  } finally {
    await client.end();
  }
}

function errorOf(result: unknown): string | undefined {
  if (typeof result !== 'object' || result === null) return undefined;
  const error = (result as { error?: unknown }).error;
  return typeof error === 'string' ? error : error === undefined ? undefined : JSON.stringify(error);
}
