import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { findRepoRoot } from '@tempest/config';
import { eventually, runProcess, startTestPlatform, type RunningProcess, type TestPlatform } from '@tempest/testing';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/**
 * A pack whose actions write when they start and end (`<tag> start|end <ns>`
 * to `out`) around a sleep, each under one of StackStorm's concurrency policies.
 */
function writeContent(root: string, out: string): void {
  const write = (path: string, lines: string[]) => {
    mkdirSync(join(root, path, '..'), { recursive: true });
    writeFileSync(join(root, path), lines.join('\n') + '\n');
  };
  cpSync(join(findRepoRoot(), 'packs', 'core'), join(root, 'packs', 'core'), { recursive: true });
  write('packs/limits/pack.yaml', ['name: limits', 'description: concurrency policies', 'version: 1.0.0', 'author: test']);
  const sleeper = (name: string) =>
    write(`packs/limits/actions/${name}.yaml`, [
      `name: ${name}`,
      'runner_type: local-shell-cmd',
      'parameters:',
      '  tag: { type: string, required: true }',
      '  host: { type: string, default: none }',
      '  seconds: { type: number, default: 2 }',
      `  cmd: { default: "echo {{ tag }} start $(date +%s%N) >> ${out}; sleep {{ seconds }}; echo {{ tag }} end $(date +%s%N) >> ${out}", immutable: true }`,
    ]);
  for (const name of ['serial', 'single', 'per_host']) sleeper(name);
  write('packs/limits/policies/serial.yaml', ['name: serial.concurrency', 'resource_ref: limits.serial', 'policy_type: action.concurrency', 'parameters:', '  threshold: 1']);
  write('packs/limits/policies/single.yaml', ['name: single.concurrency', 'resource_ref: limits.single', 'policy_type: action.concurrency', 'parameters:', '  threshold: 1', '  action: cancel']);
  write('packs/limits/policies/per_host.yaml', ['name: per_host.concurrency', 'resource_ref: limits.per_host', 'policy_type: action.concurrency.attr', 'parameters:', '  threshold: 1', '  attributes: [host]']);
  write('packs/limits/actions/deploy.yaml', ['name: deploy', 'runner_type: orquesta', 'entry_point: workflows/deploy.yaml', 'parameters:', '  tag: { type: string, required: true }']);
  write('packs/limits/actions/workflows/deploy.yaml', [
    'version: 1.0',
    'input: [tag]',
    'tasks:',
    '  work:',
    '    action: core.local',
    '    input:',
    `      cmd: echo <% ctx(tag) %> start $(date +%s%N) >> ${out}; sleep 2; echo <% ctx(tag) %> end $(date +%s%N) >> ${out}`,
  ]);
  write('packs/limits/policies/deploy.yaml', ['name: deploy.concurrency', 'resource_ref: limits.deploy', 'policy_type: action.concurrency', 'parameters:', '  threshold: 1']);
  write('packs/limits/actions/both.yaml', ['name: both', 'runner_type: orquesta', 'entry_point: workflows/both.yaml']);
  write('packs/limits/actions/workflows/both.yaml', [
    'version: 1.0',
    'tasks:',
    '  left:',
    '    action: limits.serial',
    '    input: { tag: left }',
    '  right:',
    '    action: limits.serial',
    '    input: { tag: right }',
  ]);
}

describe('policies: action.concurrency and action.concurrency.attr', () => {
  const root = mkdtempSync(join(tmpdir(), 'tempest-concurrency-'));
  const out = join(root, 'ran');
  let platform: TestPlatform;
  let replacement: RunningProcess | undefined;

  beforeAll(async () => {
    writeContent(root, out);
    platform = await startTestPlatform({ root });
  });
  afterAll(async () => {
    replacement?.child.kill('SIGTERM');
    if (replacement) await replacement.exited;
    await platform?.stop();
    rmSync(root, { recursive: true, force: true });
  });

  const start = async (action: string, parameters: Json): Promise<string> => {
    const created = await platform.api<Json>('/executions', { method: 'POST', body: JSON.stringify({ action, parameters }) });
    expect(created.status).toBe(201);
    return created.body.id;
  };
  const ended = async (id: string): Promise<Json> => {
    await platform.temporal.workflow
      .getHandle(id)
      .result()
      .catch(() => undefined);
    return eventually(
      async () => {
        const { body } = await platform.api<Json>(`/executions/${id}`);
        return ['succeeded', 'failed', 'canceled', 'abandoned', 'timeout'].includes(body.status) ? body : undefined;
      },
      `execution ${id} ended`,
      60_000,
    );
  };
  /** When each tagged run started and ended, as the commands wrote it. */
  const spans = (): Record<string, { start: bigint; end?: bigint }> => {
    const runs: Record<string, { start: bigint; end?: bigint }> = {};
    for (const line of existsSync(out) ? readFileSync(out, 'utf8').trim().split('\n') : []) {
      const [tag, what, ns] = line.split(' ');
      if (what === 'start') runs[tag] = { start: BigInt(ns) };
      else runs[tag].end = BigInt(ns);
    }
    return runs;
  };
  const overlap = (a: { start: bigint; end?: bigint }, b: { start: bigint; end?: bigint }) => a.start < b.end! && b.start < a.end!;
  const statuses = (execution: Json) => (execution.status_history as Json[]).map((c) => c.status);

  it('threshold 1, delay: two started at once never run together, the second delayed until the first ends, and both succeed', async () => {
    const [first, second] = await Promise.all([start('limits.serial', { tag: 'd1' }), start('limits.serial', { tag: 'd2' })]);
    const [a, b] = await Promise.all([ended(first), ended(second)]);
    expect([a.status, b.status]).toEqual(['succeeded', 'succeeded']);
    const runs = spans();
    expect(overlap(runs.d1, runs.d2)).toBe(false);
    // One of them waited, and says so in its history.
    expect([...statuses(a), ...statuses(b)]).toContain('delayed');
  });

  it('threshold 1, cancel: one started while another runs is canceled, its result naming the policy', async () => {
    const first = await start('limits.single', { tag: 'c1', seconds: 4 });
    await eventually(async () => (await platform.api<Json>(`/executions/${first}`)).body.status === 'running', 'the first running', 30_000);
    const second = await ended(await start('limits.single', { tag: 'c2' }));
    expect(second.status).toBe('canceled');
    expect(JSON.stringify(second.result)).toContain('limits.single.concurrency');
    expect(second.result).toEqual({ error: expect.stringMatching(/policy "limits\.single\.concurrency" \(action\.concurrency, threshold 1\)/) });
    expect((await ended(first)).status).toBe('succeeded');
    expect(spans().c2).toBeUndefined();
  });

  it('a delayed run canceled through the API ends canceled and never runs', async () => {
    const holder = await start('limits.serial', { tag: 'h1', seconds: 3 });
    await eventually(async () => (await platform.api<Json>(`/executions/${holder}`)).body.status === 'running', 'the holder running', 30_000);
    const waiting = await start('limits.serial', { tag: 'h2' });
    await eventually(async () => (await platform.api<Json>(`/executions/${waiting}`)).body.status === 'delayed', 'the second delayed', 30_000);
    expect((await platform.api(`/executions/${waiting}`, { method: 'DELETE' })).status).toBeLessThan(300);
    expect((await ended(waiting)).status).toBe('canceled');
    expect((await ended(holder)).status).toBe('succeeded');
    expect(spans().h2).toBeUndefined();
  });

  it('attr: runs with different values of the attribute run together, runs with the same value wait for each other', async () => {
    const ids = await Promise.all([start('limits.per_host', { tag: 'a1', host: 'a', seconds: 3 }), start('limits.per_host', { tag: 'b1', host: 'b', seconds: 3 }), start('limits.per_host', { tag: 'a2', host: 'a', seconds: 3 })]);
    const done = await Promise.all(ids.map(ended));
    expect(done.map((e) => e.status)).toEqual(['succeeded', 'succeeded', 'succeeded']);
    const runs = spans();
    expect(overlap(runs.a1, runs.a2)).toBe(false);
    expect(overlap(runs.a1, runs.b1) || overlap(runs.a2, runs.b1)).toBe(true);
  });

  it('applies to the tasks of a workflow: two parallel tasks on the same action do not overlap', async () => {
    const flow = await ended(await start('limits.both', {}));
    expect({ status: flow.status, result: flow.result }).toEqual({ status: 'succeeded', result: expect.objectContaining({ output: null }) });
    const runs = spans();
    expect(overlap(runs.left, runs.right)).toBe(false);
  });

  it('limits a workflow action too: two Orquesta runs started at once run one after the other, both succeed', async () => {
    const ids = await Promise.all([start('limits.deploy', { tag: 'w1' }), start('limits.deploy', { tag: 'w2' })]);
    const [a, b] = await Promise.all(ids.map(ended));
    expect([a.status, b.status]).toEqual(['succeeded', 'succeeded']);
    expect(overlap(spans().w1, spans().w2)).toBe(false);
    expect([...statuses(a), ...statuses(b)]).toContain('delayed');
  });

  it('a worker killed while its execution holds the slot: the execution is recorded abandoned, which frees the slot, and the waiting one runs', async () => {
    const held = await start('limits.serial', { tag: 'k1', seconds: 40 });
    await eventually(() => spans().k1, 'the first run started', 30_000);
    const waiting = await start('limits.serial', { tag: 'k2', seconds: 1 });
    await eventually(async () => (await platform.api<Json>(`/executions/${waiting}`)).body.status === 'delayed', 'the second delayed', 30_000);
    platform.worker.child.kill('SIGKILL');
    await platform.worker.exited;
    replacement = runProcess(join(findRepoRoot(), 'dist/apps/worker/src/main.js'), platform.workerEnv);
    const abandoned = await ended(held);
    expect(abandoned.status).toBe('abandoned');
    const next = await ended(waiting);
    expect(next.status).toBe('succeeded');
    expect(spans().k2.start > spans().k1.start).toBe(true);
  });
});
