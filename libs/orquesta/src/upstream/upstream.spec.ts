// Runs Orquesta's own conducting tests (see README.md here) against OrquestaConductor. Like
// Orquesta's rehearsal (orquesta/rehearsing.py), requests are completed in waves sorted by task and
// route, mocks applied by task (and sequence index). The task sequence is compared as a multiset:
// this conductor records a task as running when it schedules it, after each result (as st2 asks
// for next tasks after each event), while the rehearsal does it once per wave.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { OrquestaConductor, type OrquestaConductorOptions, type OrquestaState, type TaskRequest, type TaskResult } from '../index';

interface MockExecution { task_id: string; status?: TaskResult['status']; result?: unknown; seq_id?: number; num_iter?: number; item_id?: number }
interface Case {
  __test: string;
  workflow: string;
  inputs?: Record<string, unknown>;
  mock_action_executions?: MockExecution[];
  expected_task_sequence: string[];
  expected_routes?: string[][];
  expected_term_tasks?: string[];
  expected_workflow_status?: string;
  expected_output?: Record<string, unknown>;
  expected_errors?: Record<string, unknown>[];
}

const cases: Case[] = JSON.parse(readFileSync(join(__dirname, 'conducting-cases.json'), 'utf8'));
const fixture = (name: string) => readFileSync(join(__dirname, 'fixtures', `${name}.yaml`), 'utf8');
const qualified = (id: string, route: number) => `${id}__r${route}`;
/** Orquesta's tests write `task1` for route 0 and `task1__r2` otherwise. */
const normal = (name: string) => (/__r\d+$/.test(name) ? name.replace(/__r0$/, '') : name);

function rehearse(c: Case, options: OrquestaConductorOptions = {}) {
  const conductor = new OrquestaConductor(fixture(c.workflow), options);
  const mocks = (c.mock_action_executions ?? []).map((m) => ({ ...m, used: 0 }));
  const pick = (task: string, seqId: number | undefined) => {
    const candidates = mocks.filter((m) => m.task_id === task && m.used < (m.num_iter ?? 1));
    const bySeq = candidates.filter((m) => m.seq_id !== undefined && m.seq_id === seqId);
    const chosen = bySeq[0] ?? (candidates[0] && candidates[0].seq_id === undefined ? candidates[0] : undefined);
    if (chosen) chosen.used += 1;
    return chosen;
  };
  let { state, step } = conductor.start(c.inputs ?? {});
  let done = step.done;
  let wave: TaskRequest[] = step.schedule;
  while (wave.length) {
    const route = (r: TaskRequest, s: OrquestaState) => s.pending[r.id]?.route ?? 0;
    const snapshot = state;
    wave = [...wave].sort((a, b) => (a.task < b.task ? -1 : a.task > b.task ? 1 : route(a, snapshot) - route(b, snapshot)));
    const next: TaskRequest[] = [];
    for (const request of wave) {
      const seqId = state.tasks[qualified(request.task, route(request, state))];
      const mock = pick(request.task, seqId);
      ({ state, step } = conductor.complete(state, { id: request.id, status: mock?.status ?? 'succeeded', result: mock?.result ?? null }));
      next.push(...step.schedule);
      done = step.done ?? done;
    }
    wave = next;
  }
  return { state, done };
}

// Cases whose workflow uses what this implementation refuses on purpose: they must fail, saying so.
const REFUSED: Record<string, RegExp> = {
  // vars: `<% str(random(1000000, 9999999)) %>`: random() is not deterministic.
  'test_workflow_cycle.py:test_rollback_retry': /unsupported YAQL: the function random\(\)/,
};

describe.each(Object.entries(REFUSED))('Orquesta %s (refused)', (name, reason) => {
  it('does not run without a random source: the definition is refused, naming the unsupported construct', () => {
    expect(() => rehearse(cases.find((c) => c.__test === name)!)).toThrow(reason);
  });

  it('runs as Orquesta does with one (the driver passes Temporal\'s seeded Math.random)', () => {
    const c = cases.find((x) => x.__test === name)!;
    const { state, done } = rehearse(c, { random: () => 0.5 });
    expect(state.sequence.map((t) => t.id).sort()).toEqual([...c.expected_task_sequence].sort());
    expect(done?.status).toBe('succeeded');
    expect(state.contexts[0]).toEqual({ file: '/tmp/5500000' });
  });
});

describe.each(cases.filter((c) => !REFUSED[c.__test]).map((c) => [c.__test, c] as const))('Orquesta %s', (_name, c) => {
  let run: ReturnType<typeof rehearse>;
  beforeAll(() => {
    run = rehearse(c);
  });

  it('runs the same tasks on the same routes', () => {
    const { state } = run;
    const sequence = state.sequence.map((t) => (t.route ? qualified(t.id, t.route) : t.id)).sort();
    expect(sequence).toEqual(c.expected_task_sequence.map(normal).sort());
    if (c.expected_routes) expect(state.routes).toEqual(c.expected_routes);
    if (c.expected_term_tasks) expect(state.sequence.filter((t) => t.term).map((t) => (t.route ? qualified(t.id, t.route) : t.id)).sort()).toEqual(c.expected_term_tasks.map(normal).sort());
  });

  it('ends with the same status, output and errors', () => {
    const { done } = run;
    expect(done?.status).toBe(c.expected_workflow_status ?? 'succeeded');
    if (c.expected_output) expect(done?.output).toEqual(c.expected_output);
    if (c.expected_errors) expect(done?.errors).toEqual(c.expected_errors);
  });
});
