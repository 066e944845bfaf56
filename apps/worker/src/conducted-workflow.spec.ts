import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { findRepoRoot } from '@tempest/config';
import { eventually, runProcess, startTestPlatform, type TestPlatform } from '@tempest/testing';
import { writeFlowsPacks } from './flows-pack';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const repo = findRepoRoot();

// Orquesta and ActionChain actions run end to end: the compiled gateway and
// worker, Temporal and Postgres; each task is a child execution of its own.
describe('conducted workflows (orquesta, action-chain)', () => {
  const root = mkdtempSync(join(tmpdir(), 'tempest-flows-'));
  let platform: TestPlatform;

  beforeAll(async () => {
    writeFlowsPacks(join(root, 'packs'));
    platform = await startTestPlatform({ root });
  });
  afterAll(async () => {
    await platform?.stop();
    rmSync(root, { recursive: true, force: true });
  });

  const children = async (id: string) => (await platform.api<Json[]>(`/executions/${id}/children`)).body;

  it('runs an action-chain: each task a child execution, published values passed on, StackStorm\'s result', async () => {
    const chain = await platform.run('flows.chain', { name: 'tempest' });
    expect(chain.status).toBe('succeeded');
    const result = chain.result as unknown as Json;
    expect(result.published).toEqual({ greeting: 'hello tempest' });
    expect(result.tasks.map((t: Json) => [t.name, t.state])).toEqual([['greet', 'succeeded'], ['shout', 'succeeded']]);
    expect(result.tasks[1].result).toMatchObject({ stdout: 'HELLO TEMPEST', return_code: 0 });

    const listed = await children(chain.id);
    expect(listed.map((c) => [c.action.ref, c.status, c.parent])).toEqual([['core.local', 'succeeded', chain.id], ['core.local', 'succeeded', chain.id]]);
    expect(listed.map((c) => c.parameters.cmd)).toEqual(['echo hello tempest', "echo 'hello tempest' | tr a-z A-Z"]);
    expect(result.tasks.map((t: Json) => t.execution_id)).toEqual(listed.map((c) => c.id));
    // Conductor steps (start, then one per result) and each task's child row run as local activities, recorded in
    // history: replay renders nothing again, and a task costs the parent no activity (nor workflow task) of its own.
    const events = (await platform.temporal.workflow.getHandle(chain.id).fetchHistory()).events ?? [];
    expect(events.filter((e) => e.markerRecordedEventAttributes?.markerName === 'core_local_activity')).toHaveLength(5);
    expect(events.flatMap((e) => e.activityTaskScheduledEventAttributes?.activityType?.name ?? [])).toEqual(['loadDefinition', 'finishExecution']);
    expect(events.flatMap((e) => e.startChildWorkflowExecutionInitiatedEventAttributes?.workflowId ?? [])).toEqual(listed.map((c) => c.id));
    const { body: row } = await platform.api<Json>(`/executions/${chain.id}`);
    expect(row.status_history.map((s: Json) => s.status)).toEqual(['requested', 'scheduled', 'running', 'succeeded']);
  });

  it('follows on-failure and fails the chain when its last task fails', async () => {
    const chain = await platform.run('flows.broken_chain');
    expect(chain.status).toBe('failed');
    const result = chain.result as unknown as Json;
    expect(result.tasks.map((t: Json) => [t.name, t.state])).toEqual([['break', 'failed'], ['report', 'failed']]);
    expect(result.tasks[1].result).toMatchObject({ stdout: 'reported broken', return_code: 1 });
    expect((await children(chain.id)).map((c) => c.status)).toEqual(['failed', 'failed']);
  });

  it('runs an orquesta workflow with a split, with-items and a join: tasks concurrent, output as StackStorm\'s', async () => {
    const flow = await platform.run('flows.split');
    expect(flow.status).toBe('succeeded');
    expect(flow.result).toEqual({ output: { left: 'left', items: ['item a', 'item b', 'item c'] } });
    const listed = await children(flow.id);
    expect(listed.map((c) => c.parameters.cmd).sort()).toEqual(['echo begin', 'echo item a', 'echo item b', 'echo item c', 'echo joined', 'echo left']);
    expect(listed.every((c) => c.status === 'succeeded' && c.parent === flow.id)).toBe(true);
    // The branches ran side by side: the items and `left` were all started before any of them ended.
    const branch = listed.filter((c) => c.parameters.cmd !== 'echo begin' && c.parameters.cmd !== 'echo joined');
    const lastStart = Math.max(...branch.map((c) => Date.parse(c.start_timestamp)));
    const firstEnd = Math.min(...branch.map((c) => Date.parse(c.end_timestamp)));
    expect(lastStart).toBeLessThanOrEqual(firstEnd);
  });

  it('cancels the running task with the workflow: both end canceled and nothing more runs', async () => {
    const started = await platform.api<Json>('/executions', { method: 'POST', body: JSON.stringify({ action: 'flows.slow_chain' }) });
    expect(started.status).toBe(201);
    const id = started.body.id as string;
    const child = await eventually(async () => (await children(id)).find((c) => c.status === 'running'), 'the first task running', 20_000);
    expect((await platform.api(`/executions/${id}`, { method: 'DELETE' })).status).toBe(200);
    await eventually(async () => (await platform.api<Json>(`/executions/${id}`)).body.status === 'canceled' || undefined, 'the workflow canceled', 20_000);
    expect((await platform.api<Json>(`/executions/${child.id}`)).body.status).toBe('canceled');
    expect((await children(id)).map((c) => c.parameters.cmd)).toEqual(['echo waiting; sleep 60']);
  });

  it('cancels every running branch of an orquesta workflow, each recorded canceled before the workflow ends', async () => {
    const started = await platform.api<Json>('/executions', { method: 'POST', body: JSON.stringify({ action: 'flows.slow_split' }) });
    const id = started.body.id as string;
    await eventually(async () => (await children(id)).filter((c) => c.status === 'running').length === 2, 'both branches running', 20_000);
    expect((await platform.api(`/executions/${id}`, { method: 'DELETE' })).status).toBe(200);
    await expect(platform.temporal.workflow.getHandle(id).result()).rejects.toThrow();
    expect((await platform.api<Json>(`/executions/${id}`)).body.status).toBe('canceled');
    expect((await children(id)).map((c) => c.status)).toEqual(['canceled', 'canceled']);
  });

  it('reads the datastore through st2kv()', async () => {
    expect((await platform.api('/keys/greeting', { method: 'PUT', body: JSON.stringify({ name: 'greeting', value: 'hi-from-kv' }) })).status).toBe(200);
    const flow = await platform.run('flows.from_datastore');
    expect(flow).toMatchObject({ status: 'succeeded', result: { output: { said: 'hi-from-kv' } } });
  });

  it('reads a datastore key the workflow computes at run time', async () => {
    expect((await platform.api('/keys/greeting', { method: 'PUT', body: JSON.stringify({ name: 'greeting', value: 'hi-from-kv' }) })).status).toBe(200);
    const flow = await platform.run('flows.from_computed_key');
    expect(flow).toMatchObject({ status: 'succeeded', result: { output: { said: 'hi-from-kv', absent: 'none' } } });
  });

  it('answers 404 for the children of no execution', async () => {
    expect((await platform.api('/executions/00000000-0000-4000-8000-000000000000/children')).status).toBe(404);
  });

  // Last: it kills the platform's worker.
  it('survives its worker killed mid-workflow: another worker finishes it, no task run twice', async () => {
    const file = join(root, 'durable.txt');
    const started = await platform.api<Json>('/executions', { method: 'POST', body: JSON.stringify({ action: 'flows.durable', parameters: { file } }) });
    expect(started.status).toBe(201);
    // The first task done, the second waits on its (durable) delay: the worker dies.
    await eventually(() => existsSync(file) && readFileSync(file, 'utf8') === 'one\n', 'the first task to run', 20_000);
    platform.worker.child.kill('SIGKILL');
    await platform.worker.exited;
    const next = runProcess(join(repo, 'dist/apps/worker/src/main.js'), platform.workerEnv);
    try {
      await next.printed(/"worker polling"/);
      await platform.temporal.workflow.getHandle(started.body.id).result();
      expect((await platform.api<Json>(`/executions/${started.body.id}`)).body).toMatchObject({ status: 'succeeded', result: { output: { file } } });
      expect(readFileSync(file, 'utf8')).toBe('one\ntwo\n');
      expect((await children(started.body.id)).map((c) => c.status)).toEqual(['succeeded', 'succeeded']);
    } finally {
      next.child.kill('SIGTERM');
      await next.exited;
    }
  });
});
