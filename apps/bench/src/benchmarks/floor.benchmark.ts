import type { Benchmark, BenchContext, BenchReportText } from '../benchmark';
import { resolve } from 'node:path';
import { sample } from '../sampler';
import { cpuSnapshot, type ProcessGroups } from '../scale/cpu';
import { readPlatformProcesses } from '../scale/platform-processes';
import { percentile } from '../stats';
import { actionRunner } from './action.benchmark';
import { judgeFloor, type Round } from './floor-verdict';
import { cpuMsPerRun, formatCpu } from './cpu-per-run';
import { formatPhases, phasesOf } from './phases';
import { startPingWorker } from './ping-worker';

/** One client for latency (goal 2), then the issue's two loads (goal 1). */
const LEVELS = [1, 8, 32];
/** One-client runs whose histories are fetched to say where the time went. */
const TRACED = 30;
/** The level whose rounds are accounted CPU per process. */
const CPU_LEVEL = 8;

/**
 * Goals 1 and 2 of the performance issue in one run: `core.noop` through the
 * API against the bare one-activity workflow on the same Temporal server,
 * alternating the two round by round so a noisy neighbour hits both alike.
 */
async function runFloor({ config, repoRoot, sampling, options }: BenchContext): Promise<BenchReportText> {
  const tempest = await actionRunner(config, repoRoot, 'core.noop', {});
  const ping = await startPingWorker(config, repoRoot);
  const rounds: Round[] = [];
  // Runs of one client, traced through their workflow histories afterwards.
  const traced: Record<Round['system'], { workflowId: string; requestedAt: number; seenAt: number }[]> = { bare: [], tempest: [] };
  // CPU per run of each process, where Tempest's time goes when the cores are the limit.
  const platform = readPlatformProcesses(resolve(repoRoot, config.dataDir));
  const processes: ProcessGroups = { ...(typeof platform === 'string' ? {} : platform), bench: { pid: process.pid, tree: false } };
  const cpu: Record<Round['system'], Record<string, number>[]> = { bare: [], tempest: [] };
  let seq = 0;
  const measure = async (system: Round['system'], concurrency: number) => {
    const once = async () => {
      const requestedAt = Date.now();
      const workflowId = system === 'bare' ? await pingOnce() : (await tempest()).id;
      if (concurrency === 1) traced[system].push({ workflowId, requestedAt, seenAt: Date.now() });
    };
    const pingOnce = async () => {
      const mine = seq++;
      await ping.execute(mine);
      return ping.workflowId(mine);
    };
    const before = cpuSnapshot(processes);
    const { samples, wallMs } = await sample(once, { ...sampling, concurrency });
    if (concurrency === CPU_LEVEL) cpu[system].push(cpuMsPerRun(before, cpuSnapshot(processes), sampling.runs + sampling.warmup));
    const medianMs = percentile([...samples].sort((a, b) => a - b), 50);
    rounds.push({ system, concurrency, medianMs, perSecond: sampling.runs / (wallMs / 1000) });
    process.stderr.write(`round: ${system} at ${concurrency}: median ${medianMs.toFixed(1)} ms, ${(sampling.runs / (wallMs / 1000)).toFixed(1)}/s\n`);
  };
  try {
    for (let round = 0; round < options.rounds; round++) {
      for (const concurrency of LEVELS) {
        await measure('bare', concurrency);
        await measure('tempest', concurrency);
      }
    }
    const verdict = judgeFloor(rounds);
    const phases = async (runs: (typeof traced)['bare']) => Promise.all(runs.slice(-TRACED).map(async (r) => phasesOf(await ping.history(r.workflowId), r.requestedAt, r.seenAt)));
    const phaseTable = formatPhases({ bare: await phases(traced.bare), tempest: await phases(traced.tempest) });
    return { ...verdict, report: `${verdict.report}${phaseTable}${formatCpu(CPU_LEVEL, cpu)}${typeof platform === 'string' ? `(no CPU per process: ${platform})\n` : ''}` };
  } finally {
    await ping.close();
  }
}

export const floorBenchmark: Benchmark = {
  description: 'goals 1 and 2: core.noop through the API against bare Temporal, at 1, 8 and 32 clients',
  flags: { rounds: { default: 3, minimum: 1, description: 'alternated rounds per level' } },
  run: runFloor,
};
