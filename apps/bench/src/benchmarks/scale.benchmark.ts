import { join, resolve } from 'node:path';
import { ApiError, TempestClient } from '@tempest/client';
import { connectClient } from '@tempest/temporal';
import { freePort } from '@tempest/testing';
import { BenchSetupError, type BenchContext, type BenchReportText, type Benchmark } from '../benchmark';
import { ChaosProcess } from '../chaos/chaos-process';
import { launchService, type ServiceName } from '../chaos/service-process';
import { findGateway, isLoopback } from '../gateway';
import { sample } from '../sampler';
import { summarize } from '../stats';
import { cpuSnapshot, cpuUse, type ProcessGroups } from '../scale/cpu';
import { judgeRuns, readRuns } from '../scale/exactly-once';
import { readPlatformProcesses } from '../scale/platform-processes';
import { formatScaleReport, type PhaseFigures } from '../scale/scale-report';
import { launcherServiceEnv } from '../scale/service-env';
import { tallyHistories, type HistoryEvent } from '../scale/temporal-tally';
import { runToEnd } from './action.benchmark';

const REF = 'core.noop';

const flags = {
  runs: { default: 300, minimum: 1, description: 'executions measured in each phase' },
  warmup: { default: 32, minimum: 0, description: 'executions before each phase is measured' },
  concurrency: { default: 16, minimum: 1, description: 'clients at once, each starting core.noop and following it to its end' },
  workers: { default: 2, minimum: 1, description: 'workers in the scaled phase: the platform\'s own plus extra processes' },
  gateways: { default: 2, minimum: 1, description: 'gateways in the scaled phase, the clients spread over them' },
  rounds: { default: 1, minimum: 1, description: 'times the extras are started, measured and stopped, with the platform alone measured between' },
  bracket: { default: 1, minimum: 0, description: '1: measure the platform alone again after the last round, so drift (other load on the machine) shows' },
  histories: { default: 100, minimum: 0, description: 'workflow histories read per phase: who ran the activities, how long tasks waited for a worker' },
  show: { default: 10, minimum: 0, description: 'problems of the exactly-once check to print' },
  'temporal-pid': { default: 0, minimum: 0, description: 'pid of an external Temporal server (TEMPORAL_ADDRESS) to count in the CPU table' },
  'postgres-pid': { default: 0, minimum: 0, description: 'pid of an external Postgres (DATABASE_URL) to count in the CPU table, with its backends' },
};

/** Gateways and workers started next to the platform's own, on its Temporal and Postgres, with the env the launcher gives its own. */
class ExtraProcesses {
  readonly started: { label: string; kind: ServiceName; process: ChaosProcess; lines: () => string[] }[] = [];
  private readonly stopped = new Set<ExtraProcesses['started'][number]>();
  private readonly began = performance.now();

  constructor(
    private readonly repoRoot: string,
    private readonly env: NodeJS.ProcessEnv,
  ) {}

  async add(kind: ServiceName, label: string, env: NodeJS.ProcessEnv = {}): Promise<void> {
    const entry = join(this.repoRoot, 'dist/apps', kind, 'src/main.js');
    let lines: string[] = [];
    const clock = () => (performance.now() - this.began) / 1000;
    const launch = () => {
      const launched = launchService(kind, entry, { ...this.env, ...env });
      lines = launched.lines;
      return launched.incarnation;
    };
    const record = { label, kind, process: new ChaosProcess(label, launch, clock), lines: () => lines };
    this.started.push(record);
    try {
      await record.process.start();
    } catch (error) {
      throw new BenchSetupError(`${label} did not start (${error instanceof Error ? error.message : error}); its last lines:\n${record.lines().slice(-20).join('\n')}`);
    }
  }

  /**
   * SIGTERM, as the launcher stops its own (SIGKILL after a grace time), newest first; each only
   * once, since a pid may be reused once its process has gone.
   */
  async stopAll(): Promise<void> {
    const running = this.started.filter((record) => !this.stopped.has(record));
    for (const record of running.reverse()) {
      this.stopped.add(record);
      await record.process.stop('SIGTERM');
    }
  }

  crashNotes(): string[] {
    return this.started.flatMap(({ process }) => process.crashes.map((c) => `${c.name} (pid ${c.pid}) exited by itself with ${c.code} at ${c.at.toFixed(1)} s:\n  ${c.tail.slice(-10).join('\n  ')}`));
  }
}

/**
 * Goal 5 of issue 9: completed executions per second through the API with the
 * platform's one gateway and one worker, then with extra gateway and worker
 * processes on the same Temporal and Postgres (clients spread over the
 * gateways); the factor; and whether every execution ran exactly once.
 * Needs a running platform (`npm start`, same TEMPEST_* settings).
 */
async function runScale({ config, repoRoot, sampling, options }: BenchContext): Promise<BenchReportText> {
  const gateway = findGateway(config, repoRoot);
  if (!isLoopback(gateway.baseUrl)) throw new BenchSetupError(`the scale benchmark starts processes next to the platform: it runs against a gateway on this machine, not ${gateway.baseUrl}`);
  const platformClient = new TempestClient(gateway);
  try {
    await platformClient.getAction(REF);
  } catch (error) {
    throw new BenchSetupError(`cannot use ${REF}: ${error instanceof ApiError ? error.message : error}; start Tempest with npm start (same TEMPEST_* settings)`);
  }
  const env = await launcherServiceEnv(config, repoRoot, process.env);
  const notes: string[] = [];
  const platform = readPlatformProcesses(resolve(repoRoot, config.dataDir));
  if (typeof platform === 'string') notes.push(`no CPU account of the platform's processes: ${platform}`);
  const groups: ProcessGroups = { ...(typeof platform === 'string' ? {} : platform), bench: { pid: process.pid, tree: false } };
  // External servers are not npm start's children: their pids come from the command line.
  if (options['temporal-pid']) groups.temporal = { pid: options['temporal-pid'], tree: false };
  if (options['postgres-pid']) groups.postgres = { pid: options['postgres-pid'], tree: true };
  const workerLabels = new Map<string, string>(typeof platform === 'string' || !platform.worker ? [] : [[String(platform.worker.pid), 'worker']]);
  const ids: string[] = [];
  const temporal = await connectClient(config.temporal);
  const extras = new ExtraProcesses(repoRoot, env);

  const measure = async (label: string, clients: TempestClient[], scaled = false): Promise<PhaseFigures> => {
    const phaseIds: string[] = [];
    const runAll = (count: number, into?: string[]) =>
      sample(
        async (seq) => {
          const id = await runToEnd(clients[seq % clients.length], REF, {});
          ids.push(id);
          into?.push(id);
        },
        { runs: count, warmup: 0, concurrency: sampling.concurrency },
      );
    await runAll(sampling.warmup);
    const before = cpuSnapshot(groups);
    const timed = await runAll(sampling.runs, phaseIds);
    const cpu = cpuUse(before, cpuSnapshot(groups));
    const tally = tallyHistories(await readHistories(temporal, spread(phaseIds, options.histories)));
    tally.activitiesByWorker = new Map([...tally.activitiesByWorker].map(([identity, n]) => [workerLabels.get(identity.split(':').pop() ?? '') ?? identity, n]));
    return { label, scaled, runs: timed.samples.length, wallMs: timed.wallMs, latency: summarize(timed.samples), cpu, tally };
  };

  /** Starts the extra workers and gateways; the clients, spread over every gateway. */
  const scaleOut = async (): Promise<TempestClient[]> => {
    const clients = [platformClient];
    for (let n = 2; n <= options.workers; n += 1) {
      await extras.add('worker', `worker ${n}`);
      const { pid } = extras.started.at(-1)!.process;
      workerLabels.set(String(pid), `worker ${n}`);
      groups[`worker ${n}`] = { pid: pid!, tree: true };
    }
    for (let n = 2; n <= options.gateways; n += 1) {
      const port = await freePort();
      await extras.add('gateway', `gateway ${n}`, { TEMPEST_GATEWAY_PORT: String(port), TEMPEST_PUBLIC_URL: `http://127.0.0.1:${port}` });
      groups[`gateway ${n}`] = { pid: extras.started.at(-1)!.process.pid!, tree: true };
      clients.push(new TempestClient({ ...gateway, baseUrl: `http://127.0.0.1:${port}` }));
    }
    return clients;
  };
  const scaleIn = async () => {
    await extras.stopAll();
    for (const { label } of extras.started) delete groups[label];
  };
  const scaledLabel = `${options.gateways} gateway${options.gateways > 1 ? 's' : ''} + ${options.workers} worker${options.workers > 1 ? 's' : ''}`;

  try {
    // Alone, then (scaled, alone) per round: the machine's other load drifts, and alternating shows it.
    const phases: PhaseFigures[] = [await measure('1 gateway + 1 worker', [platformClient])];
    for (let round = 1; round <= options.rounds; round += 1) {
      phases.push(await measure(scaledLabel, await scaleOut(), true));
      await scaleIn();
      if (options.bracket || round < options.rounds) phases.push(await measure('1 gateway + 1 worker', [platformClient]));
    }
    notes.push(...extras.crashNotes());
    const verdict = judgeRuns(ids, await readRuns(env.DATABASE_URL!, ids));
    const failed = verdict.duplicates.length > 0 || verdict.problems.length > 0;
    return { report: formatScaleReport({ ref: REF, concurrency: sampling.concurrency, warmup: sampling.warmup, phases, verdict, show: options.show, notes }), failed };
  } finally {
    await extras.stopAll();
    await temporal.connection.close();
  }
}

/** Up to `count` of `items`, evenly spread (the whole phase, not only its start). */
function spread<T>(items: readonly T[], count: number): T[] {
  if (items.length <= count) return [...items];
  return Array.from({ length: count }, (_, i) => items[Math.floor((i * items.length) / count)]);
}

async function readHistories(temporal: Awaited<ReturnType<typeof connectClient>>, ids: readonly string[]): Promise<HistoryEvent[][]> {
  const histories: HistoryEvent[][] = [];
  for (let i = 0; i < ids.length; i += 8) {
    const batch = await Promise.all(ids.slice(i, i + 8).map(async (id) => (await temporal.workflow.getHandle(id).fetchHistory()).events ?? []));
    histories.push(...batch);
  }
  return histories;
}

export const scaleBenchmark: Benchmark = {
  description: 'completed core.noop executions per second with 1 gateway + 1 worker, then with extra gateway and worker processes; the factor; every execution ran exactly once',
  flags,
  run: runScale,
};
