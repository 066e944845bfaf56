import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { ApiError, TempestClient, type IngestionResult } from '@tempest/client';
import { isTerminal, WEBHOOK_TRIGGER } from '@tempest/domain';
import { BenchSetupError, type BenchContext, type BenchReportText, type Benchmark } from '../benchmark';
import { findGateway, isLoopback, type GatewayAddress } from '../gateway';
import { runWrk, wrkVersion, type WrkResult } from '../wrk';

const LEVELS = [1, 8, 32];
const SECONDS_PER_LEVEL = 10;
const WARMUP_SECONDS = 3;
/** The warm-up's events are drained like a level's: in a storm they are all accepted, and each is an execution. */
const MAX_WARMUP_REQUESTS = 1_000;
/** A bound on what one level stores (trigger instances, executions), whatever the gateway's speed. */
const MAX_REQUESTS_PER_LEVEL = 30_000;
/** Each matched event is an execution to wait for: a level of them is shorter, and bounded lower. */
const MATCHED_SECONDS_PER_LEVEL = 5;
const MAX_MATCHED_PER_LEVEL = 10_000;
/** Issue 9, goal 3: webhooks durably accepted per second, while the matched executions queue. */
const ACCEPTANCE_GOAL = 1000;
/** How long the worker may take to finish a level's executions before the next level starts: at least this, */
const DRAIN_DEADLINE_MS = 180_000;
/** and this long per execution, so a storm's backlog may drain at 2 executions per second. */
const DRAIN_MS_PER_EXECUTION = 500;
const OPEN_STATUSES = ['requested', 'scheduled', 'running', 'canceling'] as const;
const QUEUED_STATUSES = ['pending', 'processing'] as const;
const ACTION = 'core.noop';

/** An Alertmanager webhook notification (version 4) for one alert, as monitoring sends it. */
function alert(severity: string): string {
  const labels = { alertname: 'DiskFull', severity, instance: 'db-1.internal:9100', mountpoint: '/var' };
  const annotations = { summary: 'Disk /var on db-1.internal is 97% full', runbook_url: 'https://runbooks.internal/disk-full' };
  return JSON.stringify({
    version: '4',
    groupKey: '{}:{alertname="DiskFull"}',
    truncatedAlerts: 0,
    status: 'firing',
    receiver: 'tempest',
    groupLabels: { alertname: 'DiskFull' },
    commonLabels: labels,
    commonAnnotations: annotations,
    externalURL: 'http://alertmanager.internal:9093',
    alerts: [
      {
        status: 'firing',
        labels,
        annotations,
        startsAt: '2025-01-01T00:00:00Z',
        endsAt: '0001-01-01T00:00:00Z',
        generatorURL: 'http://prometheus.internal:9090/graph?g0.expr=disk_used_percent%3E95',
        fingerprint: 'a3b1c2d4e5f60718',
      },
    ],
  });
}

interface Row {
  event: 'matched' | 'no rule';
  connections: number;
  load: WrkResult;
  /** Seconds from the end of the load until every event was processed and the worker had finished every execution it started. */
  drainSeconds?: number;
}

/** Executions finished per second, from the start of the load until the last of them finished (one per matched event). */
function executionsPerSecond(row: Row): number | undefined {
  return row.drainSeconds === undefined ? undefined : (row.load.requests - row.load.non2xx) / (row.load.durationSeconds + row.drainSeconds);
}

class WebhookLoad {
  private readonly client: TempestClient;
  private readonly workDir = mkdtempSync(join(tmpdir(), 'tempest-bench-'));
  readonly hookUrl: string;

  constructor(
    private readonly gateway: GatewayAddress & { apiKey: string },
    readonly url: string,
  ) {
    this.client = new TempestClient(gateway);
    this.hookUrl = `${gateway.baseUrl}/api/v1/webhooks/${url}`;
  }

  /** One alert through fetch, to prove what a load of it measures before timing it. */
  async postOnce(body: string): Promise<IngestionResult> {
    const response = await fetch(this.hookUrl, { method: 'POST', headers: { 'content-type': 'application/json', 'x-api-key': this.gateway.apiKey }, body });
    const text = await response.text();
    if (response.status !== 202) throw new BenchSetupError(`POST ${this.hookUrl} answered ${response.status}: ${text}`);
    return JSON.parse(text) as IngestionResult;
  }

  load(body: string, connections: number, seconds: number, maxRequests = MAX_REQUESTS_PER_LEVEL): Promise<WrkResult> {
    const headers = { 'Content-Type': 'application/json', 'X-Api-Key': this.gateway.apiKey };
    return runWrk({ url: this.hookUrl, connections, durationSeconds: seconds, maxRequests, body, headers }, this.workDir);
  }

  /**
   * Waits until no webhook event is queued or being processed (in a storm the
   * gateway answers before it starts the execution) and no core.noop
   * execution is open; answers the seconds it took.
   */
  async drain(executions = 0): Promise<number> {
    const start = performance.now();
    const deadlineMs = Math.max(DRAIN_DEADLINE_MS, executions * DRAIN_MS_PER_EXECUTION);
    const queued = async () => (await Promise.all(QUEUED_STATUSES.map((status) => this.client.listTriggerInstances({ trigger: WEBHOOK_TRIGGER, status, limit: 1 })))).some((page) => page.length > 0);
    const open = async () => (await Promise.all(OPEN_STATUSES.map((status) => this.client.listExecutions({ action: ACTION, status, limit: 1 })))).some((page) => page.length > 0);
    // Events first: an event is marked processed only after its execution is recorded.
    while ((await queued()) || (await open())) {
      if (performance.now() - start > deadlineMs) {
        throw new BenchSetupError(`webhook events or ${ACTION} executions were still open after ${deadlineMs / 1000} s of waiting: is the worker running on the gateway's task queue?`);
      }
      await delay(200);
    }
    return (performance.now() - start) / 1000;
  }

  async waitForExecution(id: string): Promise<void> {
    const deadline = performance.now() + 30_000;
    for (let status = ''; !isTerminal(status); status = (await this.client.getOutput(id, undefined, 5)).status) {
      if (performance.now() > deadline) throw new BenchSetupError(`execution ${id} of ${ACTION} did not finish within 30 s: is the worker running?`);
    }
  }

  createRule(name: string) {
    return this.client.createRule({
      name,
      pack: 'core',
      description: 'apps/bench webhook benchmark (deleted when it ends)',
      enabled: true,
      type: 'standard',
      trigger: { type: 'core.st2.webhook', parameters: { url: this.url } },
      criteria: { 'trigger.body.commonLabels.severity': { type: 'equals', pattern: 'critical' } },
      action: { ref: ACTION, parameters: {} },
    });
  }

  async close(ruleRef: string | undefined): Promise<void> {
    rmSync(this.workDir, { recursive: true, force: true });
    if (ruleRef) await this.client.deleteRule(ruleRef);
  }
}

function requireGateway({ config, repoRoot }: BenchContext): GatewayAddress & { apiKey: string } {
  const gateway = findGateway(config, repoRoot);
  if (!isLoopback(gateway.baseUrl)) {
    throw new BenchSetupError(`the webhook benchmark loads a gateway on this machine only (loopback), not ${gateway.baseUrl}: set TEMPEST_API_URL to http://127.0.0.1:<port>`);
  }
  if (!gateway.apiKey) throw new BenchSetupError('no API key: set TEMPEST_API_KEY, or start Tempest with npm start (which writes .data/admin-api-key)');
  return { ...gateway, apiKey: gateway.apiKey };
}

/** What to do about a refused API call, beyond the API's own message. */
function remedy(error: unknown): string {
  const status = error instanceof ApiError ? error.status : 0;
  if (status === 401 || status === 403) return '; set TEMPEST_API_KEY to an admin API key';
  return status === 0 ? '; start Tempest with npm start, or set TEMPEST_API_URL' : '';
}

/** Checks that a critical alert starts one execution that finishes, and a warning starts nothing. */
async function preflight(hook: WebhookLoad, matched: string, unmatched: string): Promise<void> {
  const fired = await hook.postOnce(matched);
  const execution = fired.rule_enforcements[0]?.execution_id;
  if (fired.rule_enforcements.length !== 1 || !execution) {
    throw new BenchSetupError(`a critical alert should start one ${ACTION} execution, got ${JSON.stringify(fired.rule_enforcements)}`);
  }
  await hook.waitForExecution(execution);
  const ignored = await hook.postOnce(unmatched);
  if (ignored.rule_enforcements.length !== 0) throw new BenchSetupError(`a warning should match no rule, got ${JSON.stringify(ignored.rule_enforcements)}`);
}

const fixed = (n: number, digits = 2) => n.toFixed(digits);

/** Issue 9, goal 3: the storm's acceptance rate (matched events, 8 or more connections) against the goal, and how fast its executions then ran. */
function goal(rows: Row[]): string[] {
  const storm = rows.filter((r) => r.event === 'matched' && r.connections >= 8);
  if (storm.length === 0) return [];
  const best = storm.reduce((a, b) => (b.load.requestsPerSecond > a.load.requestsPerSecond ? b : a));
  const accepted = best.load.requestsPerSecond;
  const clean = storm.every((r) => r.load.non2xx === 0 && r.load.socketErrors === 0);
  const verdict = accepted >= ACCEPTANCE_GOAL && clean ? 'PASS' : 'FAIL';
  return [
    `goal 3 (issue 9), absorb a storm: ${best.load.capped ? '>=' : ''}${fixed(accepted, 1)} matched webhooks accepted per second (${best.connections} connections, p99 ${fixed(best.load.p99Ms, 1)} ms), goal >= ${ACCEPTANCE_GOAL}/s${clean ? '' : ', with failed requests'}: ${verdict}`,
    ...storm.map((r) => `  ${r.connections} connections: ${fixed(r.load.requestsPerSecond, 1)} accepted/s, then ${fixed(executionsPerSecond(r) ?? 0, 1)} executions/s until drained (${fixed(r.drainSeconds ?? 0, 1)} s after the load)`),
  ];
}

function report(version: string, hook: WebhookLoad, bodyBytes: number, rows: Row[]): string {
  const header = ['event', 'connections', 'requests', 'req/s', 'p50 ms', 'p99 ms', 'max ms', 'non-2xx', 'socket errors', 'drained s', 'executions/s'];
  const cells = rows.map((r) => [
    r.event,
    String(r.connections),
    String(r.load.requests),
    `${r.load.capped ? '>=' : ''}${fixed(r.load.requestsPerSecond, 1)}`,
    fixed(r.load.p50Ms),
    fixed(r.load.p99Ms),
    fixed(r.load.maxMs),
    String(r.load.non2xx),
    String(r.load.socketErrors),
    r.drainSeconds === undefined ? '-' : fixed(r.drainSeconds, 1),
    executionsPerSecond(r) === undefined ? '-' : fixed(executionsPerSecond(r)!, 1),
  ]);
  const widths = header.map((title, i) => Math.max(title.length, ...cells.map((row) => row[i].length)) + 2);
  const line = (row: string[]) => row.map((cell, i) => (i === 0 ? cell.padEnd(widths[i] - 2) : cell.padStart(widths[i]))).join('');
  const notes = rows.flatMap((r) => [
    ...(r.load.firstFailure ? [`first non-2xx (${r.event}, ${r.connections} connections): ${r.load.firstFailure}`] : []),
    ...(r.load.capped ? [`${r.event}, ${r.connections} connections: stopped at ${MAX_REQUESTS_PER_LEVEL} requests, so req/s is a lower bound`] : []),
  ]);
  return [
    `benchmark webhook: ${version}, one thread, POST ${hook.hookUrl}`,
    `  an Alertmanager notification (${bodyBytes} bytes) with the API key, ${SECONDS_PER_LEVEL} s per level after a ${WARMUP_SECONDS} s warm-up; latency as wrk measures it`,
    `  matched (${MATCHED_SECONDS_PER_LEVEL} s per level): 202 once the trigger instance is stored and, while the gateway keeps up, the rule enforced and its ${ACTION} workflow started; in a storm once it is stored (queued)`,
    '  no rule: 202 once the trigger instance is stored and matched no rule (nothing started), or queued in a storm',
    `  drained: seconds after the load until every event was processed and the worker had finished every ${ACTION} execution it caused`,
    `  executions/s: ${ACTION} executions finished per second, from the start of the load until the last one finished`,
    '',
    line(header),
    ...cells.map(line),
    ...(notes.length > 0 ? ['', ...notes] : []),
    '',
    ...goal(rows),
    '',
  ].join('\n');
}

/**
 * Webhook ingestion under load, with wrk on loopback against a running
 * gateway and worker: a rule on a webhook of its own runs core.noop for
 * critical alerts; the same hook with warnings measures ingestion without
 * execution. The rule is deleted afterwards; the trigger instances and
 * executions stay in the audit trail.
 */
async function runWebhook(context: BenchContext): Promise<BenchReportText> {
  const version = wrkVersion();
  const gateway = requireGateway(context);
  const id = randomBytes(4).toString('hex');
  const hook = new WebhookLoad(gateway, `bench/webhook-${id}`);
  const [matched, unmatched] = [alert('critical'), alert('warning')];
  let ruleRef: string | undefined;
  try {
    try {
      ruleRef = (await hook.createRule(`bench_webhook_${id}`)).ref;
    } catch (error) {
      throw new BenchSetupError(`cannot create the benchmark's rule at ${gateway.baseUrl}: ${error instanceof ApiError ? error.message : error}${remedy(error)}`);
    }
    await hook.drain(); // a backlog left by someone else would slow the first level
    await preflight(hook, matched, unmatched);
    const warmup = await hook.load(matched, 8, WARMUP_SECONDS, MAX_WARMUP_REQUESTS);
    await hook.drain(warmup.requests);
    const rows: Row[] = [];
    for (const connections of LEVELS) {
      const load = await hook.load(matched, connections, MATCHED_SECONDS_PER_LEVEL, MAX_MATCHED_PER_LEVEL);
      rows.push({ event: 'matched', connections, load, drainSeconds: await hook.drain(load.requests) });
    }
    for (const connections of LEVELS) rows.push({ event: 'no rule', connections, load: await hook.load(unmatched, connections, SECONDS_PER_LEVEL) });
    await hook.drain(); // the events of the last level are queued: leave nothing behind
    return { report: report(version, hook, Buffer.byteLength(matched), rows) };
  } finally {
    await hook.close(ruleRef);
  }
}

export const webhookBenchmark: Benchmark = {
  description: 'webhook ingestion rate with wrk on loopback: a rule running core.noop, and events matching no rule',
  run: runWebhook,
};
