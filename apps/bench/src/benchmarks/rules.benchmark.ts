import { RuleEngine, type RuleDefinition, type TriggerEvent } from '@tempest/rules';
import type { BenchContext, BenchResult, Benchmark } from '../benchmark';
import { sample } from '../sampler';
import { percentile } from '../stats';

/** Events per timed run, so the report's milliseconds per run read as microseconds per event. */
const BATCH = 1000;
const SEVERITIES = ['critical', 'warning', 'info'];

/**
 * Rule i listens to trigger type i mod `types`, with criteria like real ones:
 * a severity, a host prefix and a threshold; every 10th a regex, every 7th an
 * or group, every 20th a search over a list, every 25th a Jinja pattern.
 */
function makeRules(count: number, types: number): RuleDefinition[] {
  return Array.from({ length: count }, (_, i) => {
    const criteria: Record<string, unknown> = {
      'trigger.severity': { type: 'equals', pattern: SEVERITIES[i % 3] },
      'trigger.host': { type: 'startswith', pattern: `db-${i % 5}` },
      'trigger.value': { type: 'greaterthan', pattern: i % 100 },
    };
    if (i % 10 === 0) criteria['trigger.host#re'] = { type: 'regex', pattern: '^db-\\d+$' };
    if (i % 7 === 0) criteria['or'] = [{ 'trigger.env': { type: 'equals', pattern: 'prod' } }, { 'trigger.tags': { type: 'contains', pattern: 'urgent' } }];
    if (i % 20 === 0) criteria['trigger.checks'] = { type: 'search', condition: 'any', pattern: { 'item.name': { type: 'equals', pattern: 'disk' }, 'item.ok': { type: 'equals', pattern: false } } };
    if (i % 25 === 0) criteria['trigger.value#limit'] = { type: 'lessthan', pattern: '{{ trigger.limit }}' };
    return {
      ref: `bench.rule_${i}`,
      pack: 'bench',
      name: `rule_${i}`,
      enabled: true,
      type: 'standard',
      trigger: { type: `bench.type_${i % types}`, parameters: {} },
      criteria,
      action: { ref: 'core.noop', parameters: {} },
    };
  });
}

function makeEvent(k: number, types: number): TriggerEvent {
  return {
    type: `bench.type_${k % types}`,
    payload: {
      severity: SEVERITIES[k % 3],
      host: `db-${k % 50}`,
      value: (k * 7) % 100,
      limit: 80,
      env: k % 2 === 0 ? 'prod' : 'dev',
      tags: ['eu', k % 4 === 0 ? 'urgent' : 'routine'],
      checks: [
        { name: 'cpu', ok: true },
        { name: 'disk', ok: k % 3 !== 0 },
      ],
    },
  };
}

interface SizeResult {
  label: string;
  rules: number;
  types: number;
  eventsPerSecond: number;
  meanUs: number;
  medianUs: number;
  p99Us: number;
  matchedPerEvent: number;
  /** CPU time of this process per event: what matching costs where other processes share the cores. */
  cpuUs: number;
  runs: BenchResult;
}

async function measure(label: string, count: number, types: number, { sampling }: BenchContext): Promise<SizeResult> {
  const engine = new RuleEngine(makeRules(count, types));
  const perEvent: number[] = [];
  let matched = 0;
  let timing = false;
  const batch = async (seq: number) => {
    for (let j = 0; j < BATCH; j++) {
      const event = makeEvent(seq * BATCH + j, types);
      const start = performance.now();
      const result = await engine.match(event);
      if (!timing) continue;
      perEvent.push((performance.now() - start) * 1000);
      matched += result.matched.length;
      if (result.errors.length > 0) throw new Error(`rule ${result.errors[0].rule.ref} failed: ${result.errors[0].error}`);
    }
  };
  await sample(batch, { ...sampling, runs: 0, concurrency: 1 }); // warm-up only
  timing = true;
  const cpu = process.cpuUsage();
  const runs = await sample(batch, { ...sampling, warmup: 0, concurrency: 1 });
  const { user, system } = process.cpuUsage(cpu);
  perEvent.sort((a, b) => a - b);
  const events = perEvent.length;
  return {
    label,
    rules: count,
    types,
    eventsPerSecond: events / (runs.wallMs / 1000),
    meanUs: perEvent.reduce((sum, us) => sum + us, 0) / events,
    medianUs: percentile(perEvent, 50),
    p99Us: percentile(perEvent, 99),
    matchedPerEvent: matched / events,
    cpuUs: (user + system) / events,
    runs,
  };
}

function table(results: SizeResult[]): string {
  const header = ['rules', 'types', 'rules/type', 'events/s', 'mean µs', 'median µs', 'p99 µs', 'CPU µs', 'matched/event'];
  const rows = results.map((r) => [
    r.label,
    String(r.types),
    String(r.rules / r.types),
    r.eventsPerSecond.toFixed(0),
    r.meanUs.toFixed(2),
    r.medianUs.toFixed(2),
    r.p99Us.toFixed(2),
    r.cpuUs.toFixed(2),
    r.matchedPerEvent.toFixed(2),
  ]);
  const widths = header.map((title, i) => Math.max(title.length, ...rows.map((row) => row[i].length)) + 2);
  const line = (cells: string[]) => cells.map((cell, i) => cell.padStart(widths[i])).join('');
  return `\nper event (${BATCH} events per run, one at a time; wall-clock latency, and this process's CPU time per event):\n${[line(header), ...rows.map(line)].join('\n')}\n`;
}

/** The engine's own cost must stay negligible: 10,000 rules over 100 types at most this many times 100 rules on one. */
const MAX_RATIO = 2;

/**
 * Cost per event of 10,000 rules over 100 types ÷ 100 rules on one type (each
 * event evaluates the rules of its type, 100 either way), measured in this
 * run. The verdict is on CPU time, which other processes sharing the cores do
 * not inflate; the wall-clock ratio is shown beside it.
 */
function verdict(spread: SizeResult, single: SizeResult): string {
  const cpu = spread.cpuUs / single.cpuUs;
  const wall = spread.meanUs / single.meanUs;
  const pass = cpu <= MAX_RATIO;
  return [
    `\n${spread.label} rules over ${spread.types} types ÷ ${single.label} rules on ${single.types} type, per event:`,
    `  CPU µs ${spread.cpuUs.toFixed(2)} ÷ ${single.cpuUs.toFixed(2)} = ${cpu.toFixed(2)}×   (mean wall µs ${spread.meanUs.toFixed(2)} ÷ ${single.meanUs.toFixed(2)} = ${wall.toFixed(2)}×)`,
    `${pass ? 'PASS' : 'FAIL'}: ${cpu.toFixed(2)}× ${pass ? '<=' : '>'} ${MAX_RATIO}× (rules of other trigger types must cost next to nothing)\n`,
  ].join('\n');
}

/**
 * In-process matching: events per second and cost per event with 1, 100,
 * 1,000 and 10,000 rules spread over 100 trigger types, plus 100 rules on a
 * single type (the same rules per event as 10,000 over 100 types, to show
 * that rules of other types cost nothing). The latency table is the 10,000
 * rule case, per run of 1,000 events.
 */
async function runRules(context: BenchContext): Promise<BenchResult> {
  const results: SizeResult[] = [];
  for (const [label, count, types] of [
    ['1', 1, 1],
    ['100', 100, 100],
    ['1,000', 1000, 100],
    ['10,000', 10_000, 100],
    ['100', 100, 1],
  ] as const) {
    results.push(await measure(label, count, types, context));
  }
  const largest = results[3].runs;
  return { samples: largest.samples, wallMs: largest.wallMs, details: table(results) + verdict(results[3], results[4]) };
}

export const rulesBenchmark: Benchmark = {
  description: 'rules engine matching: events/s and cost per event with 1 to 10,000 rules over 100 trigger types',
  run: runRules,
};
