import { percentile } from '../stats';

/** Goal 2 of the performance issue: Tempest's median latency within this factor of the bare workflow's. */
export const LATENCY_GOAL = 1.3;
/** Goal 1: completed executions per second at least this share of the bare workflow's, at every level. */
export const THROUGHPUT_GOAL = 0.8;
/**
 * Goal 1's "no collapse": throughput at the highest level at least this share of
 * the lowest's. Not 1.0: once both levels saturate the cores they measure the
 * same rate, and rounds here differ by a few percent.
 */
export const NO_COLLAPSE_GOAL = 0.95;

/** What one round measured of one system at one level. */
export interface Round {
  concurrency: number;
  system: 'bare' | 'tempest';
  medianMs: number;
  perSecond: number;
}

function median(values: number[]): number {
  return percentile([...values].sort((a, b) => a - b), 50);
}

export interface FloorVerdict {
  report: string;
  failed: boolean;
}

/** Medians over the rounds, the ratios, and each goal with PASS or FAIL. */
export function judgeFloor(rounds: readonly Round[]): FloorVerdict {
  const levels = [...new Set(rounds.map((r) => r.concurrency))].sort((a, b) => a - b);
  const of = (system: Round['system'], concurrency: number, pick: (r: Round) => number) =>
    median(rounds.filter((r) => r.system === system && r.concurrency === concurrency).map(pick));
  const lines: string[] = [];
  let failed = false;
  const verdict = (ok: boolean) => {
    failed ||= !ok;
    return ok ? 'PASS' : 'FAIL';
  };
  const count = rounds.filter((r) => r.system === 'bare' && r.concurrency === levels[0]).length;
  lines.push(`Tempest core.noop through the API against a bare one-activity Temporal workflow, medians of ${count} alternated rounds`);
  lines.push(`${'clients'.padStart(8)}${'bare ms'.padStart(10)}${'tempest ms'.padStart(12)}${'bare /s'.padStart(10)}${'tempest /s'.padStart(12)}${'ratio /s'.padStart(10)}`);
  for (const c of levels) {
    const bare = { ms: of('bare', c, (r) => r.medianMs), rate: of('bare', c, (r) => r.perSecond) };
    const tempest = { ms: of('tempest', c, (r) => r.medianMs), rate: of('tempest', c, (r) => r.perSecond) };
    lines.push(
      `${String(c).padStart(8)}${bare.ms.toFixed(1).padStart(10)}${tempest.ms.toFixed(1).padStart(12)}${bare.rate.toFixed(1).padStart(10)}${tempest.rate.toFixed(1).padStart(12)}${(tempest.rate / bare.rate).toFixed(2).padStart(10)}`,
    );
  }
  const [lowest] = levels;
  const busy = levels.filter((c) => c > 1);
  const latencyRatio = of('tempest', lowest, (r) => r.medianMs) / of('bare', lowest, (r) => r.medianMs);
  lines.push(`goal 2, median latency at ${lowest} client(s): ${latencyRatio.toFixed(2)}× bare (goal ≤ ${LATENCY_GOAL}×) ${verdict(latencyRatio <= LATENCY_GOAL)}`);
  for (const c of busy) {
    const ratio = of('tempest', c, (r) => r.perSecond) / of('bare', c, (r) => r.perSecond);
    lines.push(`goal 1, executions/s at ${c} clients: ${ratio.toFixed(2)}× bare (goal ≥ ${THROUGHPUT_GOAL}×) ${verdict(ratio >= THROUGHPUT_GOAL)}`);
  }
  if (busy.length > 1) {
    const [low, high] = [busy[0], busy[busy.length - 1]];
    const kept = of('tempest', high, (r) => r.perSecond) / of('tempest', low, (r) => r.perSecond);
    lines.push(`goal 1, no collapse: executions/s at ${high} clients ${kept.toFixed(2)}× those at ${low} (goal ≥ ${NO_COLLAPSE_GOAL}×) ${verdict(kept >= NO_COLLAPSE_GOAL)}`);
  }
  return { report: `${lines.join('\n')}\n`, failed };
}
