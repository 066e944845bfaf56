import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { findRepoRoot } from '@tempest/config';
import { eventually, runProcess, startTestPlatform, type RunningProcess, type TestPlatform } from '@tempest/testing';
import { writeFlowsPacks } from './flows-pack';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const repo = findRepoRoot();

// Pause, resume and cancel of Orquesta workflows with a sub-workflow, on the
// compiled gateway and worker, as StackStorm's PUT and DELETE /executions/{id}.
describe('pausing, resuming and canceling a workflow', () => {
  const root = mkdtempSync(join(tmpdir(), 'tempest-pause-'));
  let platform: TestPlatform;

  beforeAll(async () => {
    writeFlowsPacks(join(root, 'packs'));
    platform = await startTestPlatform({ root });
  });
  afterAll(async () => {
    await platform?.stop();
    rmSync(root, { recursive: true, force: true });
  });

  const get = async (id: string) => (await platform.api<Json>(`/executions/${id}`)).body;
  const children = async (id: string) => (await platform.api<Json[]>(`/executions/${id}/children`)).body;
  const put = (id: string, status: string) => platform.api<Json>(`/executions/${id}`, { method: 'PUT', body: JSON.stringify({ status }) });
  const start = async (action: string, parameters: Json) => {
    const started = await platform.api<Json>('/executions', { method: 'POST', body: JSON.stringify({ action, parameters }) });
    expect(started.status).toBe(201);
    return started.body.id as string;
  };
  const statusIs = (id: string, status: string) => eventually(async () => (await get(id)).status === status || undefined, `execution ${id} ${status}`, 30_000);
  /** The tasks of a workflow by task name (the child rows' context.task). */
  const tasks = async (id: string) => Object.fromEntries((await children(id)).filter((c) => c.parent === id).map((c) => [c.context.task, c]));
  /** pausable, with its gate task and its sub-workflow's gate running. */
  const startPausable = async () => {
    const dir = mkdtempSync(join(root, 'run-'));
    const id = await start('flows.pausable', { dir });
    const inner = await eventually(
      async () => {
        const own = await tasks(id);
        if (own.gate?.status !== 'running' || own.inner?.status !== 'running') return undefined;
        return (await tasks(own.inner.id)).inner_gate?.status === 'running' ? (own.inner.id as string) : undefined;
      },
      'both gates running',
      30_000,
    );
    return { id, dir, inner };
  };

  it('pauses the parent of a sub-workflow paused by itself once nothing else runs there, and resumes it with the sub-workflow, as StackStorm', async () => {
    const { id, dir, inner } = await startPausable();
    expect(await put(inner, 'pausing')).toMatchObject({ status: 200, body: { status: 'pausing' } });
    writeFileSync(join(dir, 'go'), '');
    await statusIs(inner, 'paused');
    // The parent goes on: its gate's next task runs; then nothing else can, and it is paused.
    await statusIs(id, 'paused');
    expect((await tasks(id)).after.status).toBe('succeeded');
    expect(Object.keys(await tasks(inner))).toEqual(['inner_gate']);

    expect(await put(inner, 'resuming')).toMatchObject({ status: 200, body: { status: 'resuming' } });
    await platform.temporal.workflow.getHandle(id).result();
    for (const workflow of [id, inner]) {
      expect((await get(workflow)).status_history.map((s: Json) => s.status)).toEqual(['requested', 'scheduled', 'running', 'pausing', 'paused', 'resuming', 'running', 'succeeded']);
    }
    expect(existsSync(join(dir, 'inner_after'))).toBe(true);
  });

  it('resumes the sub-workflow that paused its parent when the parent is resumed', async () => {
    const { id, dir, inner } = await startPausable();
    expect((await put(inner, 'pausing')).status).toBe(200);
    writeFileSync(join(dir, 'go'), '');
    await statusIs(id, 'paused');
    expect(await put(id, 'resuming')).toMatchObject({ status: 200, body: { status: 'resuming' } });
    await platform.temporal.workflow.getHandle(id).result();
    expect((await get(inner)).status).toBe('succeeded');
    expect(existsSync(join(dir, 'inner_after'))).toBe(true);
  });

  it('cancels a paused workflow: it and its sub-workflow end canceled, the held tasks never run', async () => {
    const { id, dir, inner } = await startPausable();
    expect((await put(id, 'paused')).status).toBe(200);
    writeFileSync(join(dir, 'go'), '');
    await statusIs(id, 'paused');

    expect((await platform.api(`/executions/${id}`, { method: 'DELETE' })).status).toBe(200);
    await expect(platform.temporal.workflow.getHandle(id).result()).rejects.toThrow();
    expect((await get(id)).status_history.map((s: Json) => s.status)).toEqual(['requested', 'scheduled', 'running', 'pausing', 'paused', 'canceling', 'canceled']);
    await statusIs(inner, 'canceled');
    expect(Object.keys(await tasks(id)).sort()).toEqual(['gate', 'inner']);
    expect(Object.keys(await tasks(inner))).toEqual(['inner_gate']);
    expect(existsSync(join(dir, 'after')) || existsSync(join(dir, 'inner_after'))).toBe(false);
  });

  it('cancels a workflow through its sub-workflow down to the process its task runs', async () => {
    // A number of seconds no other process sleeps: the task's process is found by it.
    const seconds = 7000 + Math.floor(Math.random() * 2000);
    const sleeping = () => execFileSync('ps', ['-eo', 'args'], { encoding: 'utf8' }).split('\n').some((line) => line.trim() === `sleep ${seconds}`);
    const id = await start('flows.sleepy', { seconds });
    const inner = await eventually(async () => (await tasks(id)).inner?.id as string | undefined, 'the sub-workflow', 30_000);
    const nap = await eventually(async () => ((await tasks(inner)).nap?.status === 'running' ? ((await tasks(inner)).nap.id as string) : undefined), 'its task running', 30_000);
    await eventually(async () => sleeping() || undefined, `sleep ${seconds} running`, 30_000);

    expect(await put(id, 'canceling')).toMatchObject({ status: 200, body: { status: 'canceling' } });
    await expect(platform.temporal.workflow.getHandle(id).result()).rejects.toThrow();
    expect((await get(id)).status).toBe('canceled');
    expect((await get(inner)).status_history.map((s: Json) => s.status)).toEqual(expect.arrayContaining(['running', 'canceled']));
    expect((await get(inner)).status).toBe('canceled');
    expect((await get(nap)).status).toBe('canceled');
    expect(sleeping()).toBe(false);
  });

  it('cancels a workflow whose task waits on its delay: recorded canceled, the task never run', async () => {
    const id = await start('flows.delayed', {});
    await eventually(async () => (await platform.temporal.workflow.getHandle(id).fetchHistory()).events?.some((e) => e.timerStartedEventAttributes) || undefined, 'the delay timer', 30_000);
    expect((await platform.api(`/executions/${id}`, { method: 'DELETE' })).status).toBe(200);
    await expect(platform.temporal.workflow.getHandle(id).result()).rejects.toThrow();
    expect((await get(id)).status_history.map((s: Json) => s.status)).toEqual(['requested', 'scheduled', 'running', 'canceling', 'canceled']);
    expect(await children(id)).toEqual([]);
  });

  it('refuses to pause what is not a running workflow, in StackStorm\'s words', async () => {
    const dir = mkdtempSync(join(root, 'run-'));
    const local = await start('core.local', { cmd: `while [ ! -e ${dir}/go ]; do sleep 0.1; done`, timeout: 120 });
    await statusIs(local, 'running');
    expect(await put(local, 'pausing')).toMatchObject({
      status: 400,
      body: { message: `Failed updating execution. Unable to pause liveaction "${local}" because it is not supported by the "local-shell-cmd" runner.` },
    });
    writeFileSync(join(dir, 'go'), '');
    await statusIs(local, 'succeeded');
    expect(await put(local, 'pausing')).toMatchObject({ status: 400, body: { message: 'Execution is already in completed state.' } });
    expect(await put(local, 'succeeded')).toMatchObject({ status: 400, body: { message: ['status must be one of pausing, paused, resuming, canceling, canceled'] } });
    expect((await put('00000000-0000-4000-8000-000000000000', 'pausing')).status).toBe(404);
    // A running workflow is resumed already.
    const { id, dir: gates } = await startPausable();
    expect(await put(id, 'resuming')).toMatchObject({ status: 200, body: { status: 'running' } });
    writeFileSync(join(gates, 'go'), '');
    await platform.temporal.workflow.getHandle(id).result();
    expect((await get(id)).status_history.map((s: Json) => s.status)).toEqual(['requested', 'scheduled', 'running', 'succeeded']);
  });
  // Last: it stops the platform's gateway and worker.
  it('pauses a workflow and its sub-workflow: running tasks finish, nothing new starts; paused across a worker and gateway restart; resumed, it finishes', async () => {
    const { id, dir, inner } = await startPausable();

    const paused = await put(id, 'pausing');
    expect(paused).toMatchObject({ status: 200, body: { id, status: 'pausing' } });
    // StackStorm resumes only what is paused.
    expect(await put(id, 'resuming')).toMatchObject({
      status: 400,
      body: { message: `Failed updating execution. Unable to resume liveaction "${id}" because it is in "pausing" state and not in "paused" state.` },
    });
    await statusIs(inner, 'pausing');
    // The running tasks finish; the workflows are paused once none runs.
    writeFileSync(join(dir, 'go'), '');
    await statusIs(inner, 'paused');
    await statusIs(id, 'paused');
    expect(Object.keys(await tasks(id)).sort()).toEqual(['gate', 'inner']);
    expect(Object.keys(await tasks(inner))).toEqual(['inner_gate']);
    expect((await tasks(id)).gate.status).toBe('succeeded');
    expect(await put(id, 'pausing')).toMatchObject({ status: 200, body: { status: 'paused' } });
    expect((await get(id)).status_history.map((s: Json) => s.status)).toEqual(['requested', 'scheduled', 'running', 'pausing', 'paused']);

    // Paused, the workflows wait on a condition: no activity, no timer, no task workflow of theirs runs.
    for (const workflowId of [id, inner]) {
      const described = await platform.temporal.workflow.getHandle(workflowId).describe();
      expect(described.status.name).toBe('RUNNING');
      expect(described.raw.pendingActivities ?? []).toEqual([]);
    }
    expect((await platform.temporal.workflow.getHandle(id).describe()).raw.pendingChildren?.map((c) => c.workflowId)).toEqual([inner]);

    // Every process of Tempest stops; new ones find the workflows paused, and resume them.
    const next: RunningProcess[] = [];
    try {
      for (const old of [platform.worker, platform.gateway]) {
        old.child.kill('SIGTERM');
        await old.exited;
      }
      next.push(runProcess(join(repo, 'dist/apps/gateway/src/main.js'), platform.gatewayEnv), runProcess(join(repo, 'dist/apps/worker/src/main.js'), platform.workerEnv));
      await Promise.all([next[0].printed(/"gateway listening"/), next[1].printed(/"worker polling"/)]);
      expect((await get(id)).status).toBe('paused');
      expect(existsSync(join(dir, 'after')) || existsSync(join(dir, 'inner_after'))).toBe(false);

      expect(await put(id, 'resuming')).toMatchObject({ status: 200, body: { status: 'resuming' } });
      await platform.temporal.workflow.getHandle(id).result();
      expect(await get(id)).toMatchObject({ status: 'succeeded', result: { output: { dir } } });
      expect((await get(id)).status_history.map((s: Json) => s.status)).toEqual(['requested', 'scheduled', 'running', 'pausing', 'paused', 'resuming', 'running', 'succeeded']);
      expect((await get(inner)).status_history.map((s: Json) => s.status)).toEqual(['requested', 'scheduled', 'running', 'pausing', 'paused', 'resuming', 'running', 'succeeded']);
      expect(existsSync(join(dir, 'after')) && existsSync(join(dir, 'inner_after'))).toBe(true);
      expect(await put(id, 'resuming')).toMatchObject({ status: 400, body: { message: 'Execution is already in completed state.' } });
    } finally {
      for (const process of next) {
        process.child.kill('SIGTERM');
        await process.exited;
      }
    }
  });
});
