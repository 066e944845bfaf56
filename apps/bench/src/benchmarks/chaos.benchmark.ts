import { randomBytes } from 'node:crypto';
import { appendFileSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { eventually } from '@tempest/testing';
import { BenchSetupError, type BenchContext, type BenchReportText, type Benchmark } from '../benchmark';
import { openWork, readAuditTrail, type AuditTrail } from '../chaos/audit-trail';
import { CHAOS_HOOK, writeChaosPack } from '../chaos/chaos-pack';
import { ChaosPlatform, type ProcessName } from '../chaos/chaos-platform';
import { formatChaosReport, type KillRecord, type TemporalView } from '../chaos/chaos-report';
import { readLedger } from '../chaos/ledger';
import { appendLines } from '../chaos/sensor-lines';
import { activityStory } from '../chaos/temporal-evidence';
import { judge, type Problem } from '../chaos/verdict';
import { sendEvent, sendLoad, type SenderOptions } from '../chaos/webhook-sender';

/** The order of the kills: each process of the platform in turn, the databases last. */
const TARGETS: ProcessName[] = ['gateway', 'worker', 'sensors', 'temporal', 'postgres'];
const PREFLIGHT_MS = 60_000;
const REQUEST_TIMEOUT_MS = 15_000;

const flags = {
  events: { default: 300, minimum: 1, description: 'webhook events to send, each with its own Idempotency-Key' },
  seconds: { default: 60, minimum: 1, description: 'seconds over which the events are sent (the kills happen in this window)' },
  rounds: { default: 1, minimum: 1, description: 'times every process is killed' },
  'down-ms': { default: 2_000, minimum: 0, description: 'how long a killed process stays down before it is restarted' },
  'action-ms': { default: 500, minimum: 0, description: 'how long the action sleeps between its start and end lines' },
  'settle-seconds': { default: 150, minimum: 1, description: 'how long to wait after the load for nothing to be left open' },
  'give-up-seconds': { default: 120, minimum: 1, description: 'how long the sender retries one event' },
  show: { default: 20, minimum: 0, description: 'problems to print with their evidence' },
  'sensor-lines': { default: 0, minimum: 0, description: 'events from the sensor container too: lines appended to a file its file tail sensor reads' },
  'kill-tree': { default: 0, minimum: 0, description: '1: a kill takes the processes below it too, as when a container dies (the worker\'s running actions die with it)' },
  keep: { default: 0, minimum: 0, description: '1: keep the data folder even when the run passes' },
};

/**
 * The chaos run of issue 8: webhook load with idempotency keys while each
 * process of a platform of its own (gateway, worker, sensor container,
 * Temporal, Postgres) is `kill -9`ed in turn and restarted; then it compares
 * what the sender was told, what Tempest recorded and what actually ran.
 */
async function runChaos({ repoRoot, options }: BenchContext): Promise<BenchReportText> {
  const dataDir = mkdtempSync(join(tmpdir(), 'tempest-chaos-'));
  const ledger = join(dataDir, 'ledger');
  const sensorFile = join(dataDir, 'sensor-input');
  const sensor = options['sensor-lines'] > 0 ? { file: sensorFile, code: readFileSync(join(repoRoot, 'packs/examples/sensors/file_tail.ts'), 'utf8') } : undefined;
  if (sensor) writeFileSync(sensorFile, '');
  const packsDir = writeChaosPack(dataDir, ledger, options['action-ms'], sensor);
  const platform = new ChaosPlatform(repoRoot, dataDir, packsDir);
  let passed = false;
  try {
    await platform.start();
    const setupSeconds = platform.clock();
    const runId = randomBytes(3).toString('hex');
    const sender: SenderOptions = {
      hookUrl: `${platform.gatewayUrl}/api/v1/webhooks/${CHAOS_HOOK}`,
      apiKey: platform.adminKey,
      giveUpMs: options['give-up-seconds'] * 1000,
      requestTimeoutMs: REQUEST_TIMEOUT_MS,
    };
    await preflight(sender, ledger, runId, sensor ? sensorFile : undefined);

    platform.resetClock(); // kills and crashes are timed from the start of the load
    const sinceLoad = platform.clock;
    const load = Promise.all([
      sendLoad(sender, runId, options.events, options.seconds),
      sensor ? appendLines(sensorFile, runId, options['sensor-lines'], options.seconds) : [],
    ]);
    const kills = await killInTurn(platform, options, sinceLoad);
    const outcomes = (await load).flat();
    const loadSeconds = sinceLoad();

    const settleBegan = performance.now();
    const settled = await settle(platform.databaseUrl, ledger, options);
    const settleSeconds = (performance.now() - settleBegan) / 1000;

    const trail = ownEvents(await readAuditTrail(platform.databaseUrl), new Set(outcomes.map((o) => o.event)));
    const verdict = judge(outcomes, trail, readLedger(ledger));
    passed = verdict.passed && settled.done;
    const report = formatChaosReport({
      settings: `${options.events} events${sensor ? ` and ${options['sensor-lines']} sensor lines` : ''} over ${options.seconds} s; kill -9 of ${TARGETS.join(', ')} in turn (${options.rounds} round${options.rounds > 1 ? 's' : ''}), each down ${options['down-ms']} ms${options['kill-tree'] ? ', with the processes below it' : ''}; action ${options['action-ms']} ms`,
      setupSeconds,
      loadSeconds,
      settleSeconds,
      settled: settled.done,
      stillOpen: settled.open,
      kills,
      crashes: [...platform.processes.values()].flatMap((p) => p.crashes),
      verdict,
      unprocessedInstances: trail.unprocessedInstances,
      failedEnforcements: trail.failedEnforcements,
      temporal: await temporalView(platform, verdict.problems.slice(0, options.show)),
      shown: options.show,
      loadEpoch: platform.wallEpoch,
      logs: passed && !options.keep ? '(removed: the run passed; --keep 1 keeps them)' : platform.logs,
    });
    return { report, failed: !passed };
  } finally {
    await platform.stop();
    if (passed && !options.keep) rmSync(dataDir, { recursive: true, force: true });
  }
}

/** One event (and one sensor line) before the chaos: proves the rules, the action and the ledger work, so a broken setup is not read as loss. */
async function preflight(sender: SenderOptions, ledger: string, runId: string, sensorFile?: string): Promise<void> {
  const event = `${runId}-preflight`;
  const outcome = await sendEvent({ ...sender, giveUpMs: PREFLIGHT_MS }, event, `chaos-${event}`);
  if (!outcome.accepted) throw new BenchSetupError(`the preflight event was not accepted: ${outcome.refused ? `${outcome.refused.status} ${outcome.refused.body}` : outcome.failures.join(', ')}`);
  const ran = (id: string) => (readLedger(ledger).get(id)?.ends.length ?? 0) > 0;
  // The sensor reads a file from its end when it starts watching it: a line every second until one runs.
  const lines: string[] = [];
  const lineRan = () => {
    if (!sensorFile || lines.some(ran)) return true;
    if (lines.length < performance.now() / 1000 - began) {
      lines.push(`${runId}-spreflight${lines.length}`);
      appendFileSync(sensorFile, `${lines.at(-1)}\n`);
    }
    return false;
  };
  const began = performance.now() / 1000;
  await eventually(() => ran(event) && lineRan(), 'the preflight events to run to the end (see the worker and sensors logs)', PREFLIGHT_MS).catch((error: Error) => {
    throw new BenchSetupError(error.message);
  });
}

/** Kills each target in turn, evenly spread over the load, and restarts it after `down-ms`. */
async function killInTurn(platform: ChaosPlatform, options: Record<string, number>, sinceLoad: () => number): Promise<KillRecord[]> {
  const total = TARGETS.length * options.rounds;
  const slot = options.seconds / total;
  const kills: KillRecord[] = [];
  // A slow restart must not bring the next kill onto the moment it comes back, when nothing is in flight yet.
  let earliest = 0;
  for (let k = 0; k < total; k += 1) {
    const name = TARGETS[k % TARGETS.length];
    await delay(Math.max(0, (Math.max((k + 0.5) * slot, earliest) - sinceLoad()) * 1000));
    const process = platform.process(name);
    const record: KillRecord = { name, at: sinceLoad(), pid: process.pid, backAfter: 0 };
    kills.push(record);
    await process.kill9(options['kill-tree'] > 0);
    await delay(options['down-ms']);
    try {
      await process.restart();
    } catch (error) {
      record.error = error instanceof Error ? error.message : String(error);
    }
    record.backAfter = sinceLoad() - record.at;
    earliest = sinceLoad() + slot / 2;
  }
  return kills;
}

/** Waits until no execution is open, no trigger instance queued and the ledger still; false with what is left at the deadline. */
async function settle(databaseUrl: string, ledger: string, options: Record<string, number>): Promise<{ done: boolean; open?: string }> {
  const quietMs = options['action-ms'] + 2_000;
  let size = -1;
  let changed = Date.now();
  let last = '';
  try {
    await eventually(
      async () => {
        const now = statSync(ledger, { throwIfNoEntry: false })?.size ?? 0;
        if (now !== size) [size, changed] = [now, Date.now()];
        const open = await openWork(databaseUrl).catch(() => ({ executions: -1, instances: -1 }));
        last = `${open.executions} executions open, ${open.instances} trigger instances queued`;
        return open.executions === 0 && open.instances === 0 && Date.now() - changed >= quietMs;
      },
      'the run to settle',
      options['settle-seconds'] * 1000,
    );
    return { done: true };
  } catch {
    return { done: false, open: last };
  }
}

/** The records of this run's events only (not the preflight's). */
function ownEvents(trail: AuditTrail, events: Set<string>): AuditTrail {
  const keys = new Set([...events].map((event) => `chaos-${event}`));
  return {
    executions: trail.executions.filter((e) => events.has(e.event)),
    instancesByKey: new Map([...trail.instancesByKey].filter(([key]) => keys.has(key))),
    unprocessedInstances: trail.unprocessedInstances.filter((line) => keys.has(line.split(':')[0])),
    failedEnforcements: trail.failedEnforcements.filter((line) => keys.has(line.split(':')[0])),
  };
}

/** Temporal's account of each problem execution: workflow status and each activity's attempts and end. */
async function temporalView(platform: ChaosPlatform, problems: Problem[]): Promise<TemporalView> {
  const view: TemporalView = new Map();
  const client = await platform.temporal();
  for (const execution of problems.flatMap((p) => p.executions)) {
    if (view.has(execution.id)) continue;
    try {
      const handle = client.workflow.getHandle(execution.id);
      const { status } = await handle.describe();
      const history = await handle.fetchHistory();
      view.set(execution.id, `workflow ${status.name}; ${activityStory(history.events ?? [])}`);
    } catch (error) {
      view.set(execution.id, `no workflow (${error instanceof Error ? error.message.slice(0, 80) : error})`);
    }
  }
  return view;
}

export const chaosBenchmark: Benchmark = {
  description: 'chaos run: webhook load with idempotency keys while every process is kill -9ed in turn; every accepted event must run exactly once',
  flags,
  run: runChaos,
};
