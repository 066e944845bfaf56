import { existsSync, rmSync } from 'node:fs';
import { loadavg } from 'node:os';
import { resolve } from 'node:path';
import { ApiError, TempestClient } from '@tempest/client';
import { isTerminal } from '@tempest/domain';
import { BenchSetupError, type Benchmark, type BenchContext, type BenchReportText } from '../benchmark';
import { findGateway } from '../gateway';
import { percentile } from '../stats';
import { connectTemporal, type TemporalConnections } from '../temporal-setup';
import { formatPhases, phasesOf, type Phases } from './phases';
import { childIdsOf, childWindowsOf, stepsOf, workOf, workPerTask, type TaskSteps, type TemporalWork } from './workflow-costs';
import { BENCH_PACK, writeBenchPack } from './workflows-pack';

/** The issue's goals: StackStorm takes 21 s for the 10-task workflow. */
const SEQUENTIAL_GOAL_MS = 1000;
const ITEMS_GOAL_MS = 5000;
const ITEMS = 100;
const CONCURRENT_TASKS = 3;

interface Run {
  id: string;
  ms: number;
  status: string;
  /** The request and the moment its end was seen, ms since the epoch: the server's clock, on this machine. */
  requestedAt: number;
  seenAt: number;
}

/** POST /executions, then long polls of its output until it ends: the time a user waits for the workflow's result. */
async function runOnce(client: TempestClient, ref: string, parameters: Record<string, unknown>): Promise<Run> {
  const [start, requestedAt] = [performance.now(), Date.now()];
  const { id } = await client.run(ref, parameters);
  let status = '';
  while (!isTerminal(status)) status = (await client.getOutput(id, undefined, 10)).status;
  return { id, ms: performance.now() - start, status, requestedAt, seenAt: Date.now() };
}

const median = (values: readonly number[]) => percentile([...values].sort((a, b) => a - b), 50);

/**
 * Writes the benchmark's pack into the platform's packs folder and registers
 * it through the API (`st2ctl reload`'s way); the returned function removes
 * it through the API, folder included.
 */
async function installBenchPack(client: TempestClient, packsDir: string): Promise<() => Promise<void>> {
  const folder = writeBenchPack(packsDir);
  const remove = async () => {
    await client.removePack(BENCH_PACK).catch(() => undefined);
    if (existsSync(folder)) rmSync(folder, { recursive: true, force: true });
  };
  try {
    await client.registerPacks();
    await client.getAction(`${BENCH_PACK}.sequential_10`);
  } catch (error) {
    await remove();
    const reason = error instanceof ApiError ? error.message : String(error);
    throw new BenchSetupError(`cannot register the ${BENCH_PACK} pack written to ${packsDir} (${reason}): start Tempest with \`npm start\` from this checkout`);
  }
  return remove;
}

/** A workflow's histories: its own, and each child's with its start and end as the parent saw them. */
async function historiesOf(temporal: TemporalConnections, id: string) {
  const fetch = async (workflowId: string) => (await temporal.client.workflow.getHandle(workflowId).fetchHistory()).events ?? [];
  // The audit trail says `succeeded` as the workflow's last activity ends, a moment before the workflow closes.
  await temporal.client.workflow.getHandle(id).result();
  const parent = await fetch(id);
  const children = await Promise.all(childIdsOf(parent).map(fetch));
  return { parent, children };
}

/** Temporal's work per task of one run, from its histories. */
async function workOfRun(temporal: TemporalConnections, id: string, tasks: number) {
  const { parent, children } = await historiesOf(temporal, id);
  return workPerTask(workOf(parent), children.map(workOf), tasks);
}

function formatWork(work: Record<'parent' | 'children' | 'total', TemporalWork>): string {
  const row = (name: string, w: TemporalWork) =>
    `  ${name.padEnd(10)}${w.workflowTasks.toFixed(2).padStart(16)}${w.activities.toFixed(2).padStart(12)}${w.localActivities.toFixed(2).padStart(18)}${w.childWorkflows.toFixed(2).padStart(17)}`;
  return [
    `  ${'per task'.padEnd(10)}${'workflow tasks'.padStart(16)}${'activities'.padStart(12)}${'local activities'.padStart(18)}${'child workflows'.padStart(17)}`,
    row('parent', work.parent),
    row('children', work.children),
    row('total', work.total),
  ].join('\n');
}

function formatSteps(all: readonly TaskSteps[], tasks: number): string {
  const names = Object.keys(all[0]) as (keyof TaskSteps)[];
  return names.map((name) => `  ${name.padEnd(22)}${(median(all.map((s) => s[name])) / tasks).toFixed(1).padStart(8)} ms per task`).join('\n');
}

/**
 * Issue 10's workflow goals against a running platform: a 10-task sequential
 * Orquesta workflow of core.noop, a with-items task over 100 items at
 * concurrency 10, and many 3-task workflows at once; each with its cost per
 * task, in wall time and in Temporal's work (from the histories).
 */
async function runWorkflows({ config, repoRoot, options }: BenchContext): Promise<BenchReportText> {
  const client = new TempestClient(findGateway(config, repoRoot));
  const removePack = await installBenchPack(client, resolve(repoRoot, config.packsDir));
  const temporal = await connectTemporal(config.temporal).catch(async (error) => {
    await removePack();
    throw error;
  });
  const lines: string[] = [];
  let failed = false;
  const verdict = (ok: boolean) => {
    failed ||= !ok;
    return ok ? 'PASS' : 'FAIL';
  };
  /** Runs that did not succeed make the figures meaningless: the report says so and the CLI exits 1. */
  const checked = (runs: Run[]) => {
    const bad = runs.filter((r) => r.status !== 'succeeded');
    if (bad.length > 0) {
      failed = true;
      lines.push(`!! ${bad.length} of ${runs.length} runs did not succeed (${bad.slice(0, 3).map((r) => `${r.id} ${r.status}`).join(', ')})`);
    }
    return runs;
  };
  const load = () => loadavg().map((n) => n.toFixed(2)).join(' ');
  const items = Array.from({ length: ITEMS }, (_, i) => i);
  try {
    lines.push(`workflows benchmark: load average ${load()} at the start`);
    // Warm-up: the worker's caches, the gateway's connections, the definition reads.
    checked([await runOnce(client, `${BENCH_PACK}.sequential_10`, {}), await runOnce(client, `${BENCH_PACK}.items`, { items: items.slice(0, 10) })]);

    const sequential: Run[] = [];
    for (let i = 0; i < options.repeats; i++) sequential.push(await runOnce(client, `${BENCH_PACK}.sequential_10`, {}));
    checked(sequential);
    const sequentialMs = median(sequential.map((r) => r.ms));
    const traced = await Promise.all(sequential.map((r) => historiesOf(temporal, r.id)));
    const parentPhases = traced.map(({ parent }, i) => phasesOf(parent, sequential[i].requestedAt, sequential[i].seenAt));
    const childPhases: Phases[] = traced.flatMap(({ parent, children }) => {
      const windows = childWindowsOf(parent);
      return children.map((events, i) => {
        const window = windows.get(childIdsOf(parent)[i])!;
        return phasesOf(events, window.initiated, window.ended);
      });
    });
    lines.push(
      `a) 10-task sequential Orquesta workflow of core.noop, ${options.repeats} runs one at a time: median ${sequentialMs.toFixed(0)} ms (min ${Math.min(...sequential.map((r) => r.ms)).toFixed(0)}, max ${Math.max(...sequential.map((r) => r.ms)).toFixed(0)}), ${(sequentialMs / 10).toFixed(1)} ms per task`,
      `   goal < ${SEQUENTIAL_GOAL_MS} ms (StackStorm: 21 s): ${verdict(sequentialMs < SEQUENTIAL_GOAL_MS)}`,
      formatWork(workPerTask(workOf(traced[0].parent), traced[0].children.map(workOf), 10)),
      '  where a task\'s time goes (medians over the runs, from the parent\'s history):',
      formatSteps(traced.map((t) => stepsOf(t.parent)), 10),
      '  phases of the parent (whole run, 10 tasks) and of each child (request = start command in the parent, result seen = its end recorded there):',
      formatPhases({ parent: parentPhases, child: childPhases }).replace(/^/gm, '  ').trimEnd(),
    );

    const withItems: Run[] = [];
    for (let i = 0; i < options.repeats; i++) withItems.push(await runOnce(client, `${BENCH_PACK}.items`, { items }));
    checked(withItems);
    const itemsMs = median(withItems.map((r) => r.ms));
    lines.push(
      `b) with-items over ${ITEMS} items at concurrency 10 of core.noop, ${options.repeats} runs one at a time: median ${itemsMs.toFixed(0)} ms (min ${Math.min(...withItems.map((r) => r.ms)).toFixed(0)}, max ${Math.max(...withItems.map((r) => r.ms)).toFixed(0)}), ${(itemsMs / ITEMS).toFixed(1)} ms per item (${((itemsMs / ITEMS) * 10).toFixed(1)} ms per item and lane)`,
      `   goal < ${ITEMS_GOAL_MS} ms: ${verdict(itemsMs < ITEMS_GOAL_MS)}`,
      formatWork(await workOfRun(temporal, withItems.at(-1)!.id, ITEMS)),
    );

    const count = options.concurrent;
    const start = performance.now();
    const concurrent = checked(await Promise.all(Array.from({ length: count }, () => runOnce(client, `${BENCH_PACK}.sequential_3`, {}))));
    const wallS = (performance.now() - start) / 1000;
    lines.push(
      `c) ${count} concurrent ${CONCURRENT_TASKS}-task sequential workflows of core.noop: all done in ${wallS.toFixed(2)} s, ${(count / wallS).toFixed(1)} workflows/s, ${((count * CONCURRENT_TASKS) / wallS).toFixed(1)} tasks/s; each ${median(concurrent.map((r) => r.ms)).toFixed(0)} ms median (no goal set)`,
      formatWork(await workOfRun(temporal, concurrent.at(-1)!.id, CONCURRENT_TASKS)),
    );
    lines.push(`load average ${load()} at the end (2 cores shared: figures are as measured)`);
    return { report: `${lines.join('\n')}\n`, failed };
  } finally {
    await temporal.close();
    await removePack();
  }
}

export const workflowsBenchmark: Benchmark = {
  description: 'issue 10 workflow goals: 10-task sequential Orquesta workflow, with-items over 100 at concurrency 10, concurrent 3-task workflows; cost per task',
  flags: {
    repeats: { default: 5, minimum: 1, description: 'runs of each of the sequential and with-items workflows (the median is judged)' },
    concurrent: { default: 100, minimum: 1, description: '3-task workflows started at once' },
  },
  run: runWorkflows,
};
