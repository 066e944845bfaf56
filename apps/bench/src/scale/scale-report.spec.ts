import { summarize } from '../stats';
import { factorLine, formatScaleReport, throughput, type PhaseFigures } from './scale-report';

const phase = (label: string, scaled: boolean, wallMs: number, over: Partial<PhaseFigures> = {}): PhaseFigures => ({
  label,
  scaled,
  runs: 300,
  wallMs,
  latency: summarize([800, 1000, 1200]),
  ...over,
});

describe(throughput.name, () => {
  it('is completed runs per second of wall time', () => {
    expect(throughput({ runs: 300, wallMs: 15_000 })).toBe(20);
  });
});

describe(factorLine.name, () => {
  it('compares the scaled phase with the first, and with the mean of both phases of the platform alone', () => {
    const phases = [phase('1 gateway + 1 worker', false, 15_000), phase('2 gateways + 2 workers', true, 10_000), phase('1 + 1 again', false, 30_000)];
    // 30 runs/s against 20, and against the mean of 20 and 10.
    expect(factorLine(phases)).toBe('factor 1.50× (phase 2 (2 gateways + 2 workers) against phase 1), 2.00× against the mean of phases 1 and 3');
  });

  it('averages alternated rounds: every scaled phase against every phase of the platform alone', () => {
    const alone = (wallMs: number) => phase('1 gateway + 1 worker', false, wallMs);
    const scaled = (wallMs: number) => phase('2 gateways + 2 workers', true, wallMs);
    // Scaled: 30 and 20 runs/s; alone: 20, 10 and 30.
    const phases = [alone(15_000), scaled(10_000), alone(30_000), scaled(15_000), alone(10_000)];
    expect(factorLine(phases)).toBe('factor 1.25× (phases 2 and 4 (2 gateways + 2 workers) against phase 1), 1.25× against the mean of phases 1, 3 and 5');
  });

  it('says there is nothing to compare without both kinds of phase', () => {
    expect(factorLine([phase('1 gateway + 1 worker', false, 15_000)])).toBe('factor: – (needs a phase of the platform alone and a scaled one)');
  });
});

describe(formatScaleReport.name, () => {
  it('prints each phase, the factor, the CPU table, the histories and the exactly-once verdict', () => {
    const cpu = (groups: Record<string, number>) => ({ groups, machineBusy: 97.4, cores: 2 });
    const tally = {
      workflows: 2,
      activitiesByWorker: new Map([
        ['worker', 3],
        ['worker 2', 1],
      ]),
      firstWorkflowTaskWaits: [30, 50],
      laterWorkflowTaskWaits: [2, 4],
      activityTaskWaits: [1, 5],
      workflowTasksPerRun: 3,
      activitiesPerRun: 2,
      activityRetries: 0,
    };
    const report = formatScaleReport({
      ref: 'core.noop',
      concurrency: 16,
      warmup: 32,
      phases: [
        phase('1 gateway + 1 worker', false, 15_000, { cpu: cpu({ temporal: 80.4, worker: 30 }) }),
        phase('2 gateways + 2 workers', true, 12_000, { cpu: cpu({ temporal: 90, worker: 20, 'worker 2': 19.6 }), tally }),
      ],
      verdict: { checked: 664, duplicates: ['x: 2 attempts started, running 2 times (running → running)'], problems: ['y: failed, attempt finished'], redispatched: ['z'] },
      show: 1,
      notes: ['worker 2 (pid 9) exited by itself with 1 at 3.0 s:'],
    });
    expect(report.split('\n')).toEqual([
      'benchmark scale: core.noop through the API, 16 clients, 300 runs per phase (+32 warm-up)',
      'phase                           runs/s   median ms      p90 ms      max ms      wall s',
      '1 gateway + 1 worker              20.0        1000        1160        1200        15.0',
      '2 gateways + 2 workers            25.0        1000        1160        1200        12.0',
      'factor 1.25× (phase 2 (2 gateways + 2 workers) against phase 1)',
      '',
      'CPU in % of one core (the machine has 2; 200 = all of it):',
      'process                        phase 1     phase 2',
      'temporal                            80          90',
      'worker                              30          20',
      'worker 2                             –          20',
      'all of these                       110         130',
      'CPU ms per execution                55          52',
      'ceiling on 2 idle cores/s         36.2        38.6',
      'machine busy, other users included: 97% → 97% of all cores',
      '',
      'From the workflow histories (a sample of each phase):',
      '  phase 2: 2 workflows, 3.0 workflow tasks and 2.0 activities each, 0 activity retries',
      '    activities run by: worker 75%, worker 2 25%',
      '    wait in the task queue, scheduled → started (median/p90/max ms): first workflow task 40/48/50, later ones 3/4/4, activities 3/5/5',
      '',
      'exactly once: 664 executions checked in Postgres: 1 ran more than once, 1 other problems, 1 handed to a second dispatch',
      '  handed on after the first dispatch went silent until its heartbeat timed out, and fenced off (see their histories): z',
      '  x: 2 attempts started, running 2 times (running → running)',
      '  ... and 1 more',
      '',
      'worker 2 (pid 9) exited by itself with 1 at 3.0 s:',
      '',
    ]);
  });
});
