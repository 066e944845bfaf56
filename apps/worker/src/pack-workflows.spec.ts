import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { findRepoRoot } from '@tempest/config';
import { eventually, runProcess, startTestPlatform, type TestPlatform } from '@tempest/testing';
import { helloWorkflow, writePackFile, writeTsFlowsPacks } from './ts-flows-pack';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const repo = findRepoRoot();

// Packs' TypeScript workflows (runner temporal-workflow) end to end: the
// compiled gateway and worker, Temporal and Postgres; the worker bundles each
// pack's workflow code as it finds it on disk, and each action a workflow
// calls is a child execution of its own.
describe('TypeScript workflows of packs (temporal-workflow)', () => {
  const root = mkdtempSync(join(tmpdir(), 'tempest-tsflows-'));
  const packsDir = join(root, 'packs');
  const scratch = join(root, 'scratch');
  let platform: TestPlatform;
  let bundles: string;

  beforeAll(async () => {
    writeTsFlowsPacks(packsDir);
    mkdirSync(join(root, 'configs'));
    writeFileSync(join(root, 'configs/examples.yaml'), `disk_cleanup_dir: ${scratch}\n`);
    mkdirSync(scratch);
    platform = await startTestPlatform({ root });
    bundles = join(root, '.data/workflow-bundles', encodeURIComponent(platform.workerEnv.TEMPORAL_TASK_QUEUE!));
  });
  afterAll(async () => {
    await platform?.stop();
    rmSync(root, { recursive: true, force: true });
  });

  const children = async (id: string) => (await platform.api<Json[]>(`/executions/${id}/children`)).body;
  const execution = async (id: string) => (await platform.api<Json>(`/executions/${id}`)).body;
  const register = async () => expect((await platform.api<Json>('/packs/register', { method: 'POST', as: 'admin' })).body.problems).toEqual([]);
  /** `tempest ...` as the admin (platform.tempest); its output, or an error with its stderr. */
  async function tempest(...args: string[]): Promise<string> {
    const ran = await platform.tempest(args);
    if (ran.code !== 0) throw new Error(`tempest ${args.join(' ')}: exit ${ran.code}: ${ran.stderr}`);
    return ran.stdout;
  }

  it('runs from the API: its result is the function\'s return value, each action it calls a child execution', async () => {
    const flow = await platform.run('tsflows.hello', { name: 'tempest' });
    expect(flow).toMatchObject({ status: 'succeeded', result: { greeting: 'hello tempest', shout: 'HELLO TEMPEST', version: 1 } });
    const listed = await children(flow.id);
    expect(listed.map((c) => [c.context.task, c.action.ref, c.status, c.parent])).toEqual([
      ['greet', 'core.local', 'succeeded', flow.id],
      ['local', 'core.local', 'succeeded', flow.id],
    ]);
    expect(listed[0].parameters).toMatchObject({ cmd: 'echo "hello $NAME"', env: { NAME: 'tempest' } });
    expect((await execution(flow.id)).status_history.map((s: Json) => s.status)).toEqual(['requested', 'scheduled', 'running', 'succeeded']);
    // The pack's code ran on the queue of its bundle, as the execution's child workflow.
    const code = await platform.temporal.workflow.getHandle(`${flow.id}/ts`).describe();
    expect(code).toMatchObject({ type: 'hello', status: { name: 'COMPLETED' } });
    expect(code.taskQueue).toMatch(/\/tsflows@[0-9a-f]{20}$/);
  });

  it('refuses parameters its action YAML does not allow, naming them, before anything runs', async () => {
    const bad = await platform.api<Json>('/executions', { method: 'POST', body: JSON.stringify({ action: 'tsflows.hello', parameters: { name: 'x'.repeat(30) } }) });
    expect(bad.status).toBe(400);
    expect(JSON.stringify(bad.body)).toContain('name');
    const missing = await platform.api<Json>('/executions', { method: 'POST', body: JSON.stringify({ action: 'tsflows.hello', parameters: {} }) });
    expect(missing.status).toBe(400);
    expect(JSON.stringify(missing.body)).toContain('name');
  });

  it('runs from a rule on a webhook, its children in the audit trail', async () => {
    const response = await fetch(`${platform.base}/api/v1/webhooks/hello`, { method: 'POST', headers: { 'X-Api-Key': platform.keys.admin, 'content-type': 'application/json' }, body: JSON.stringify({ name: 'hook' }) });
    expect(response.status).toBe(202);
    const posted = (await response.json()) as Json;
    expect(posted.rule_enforcements).toEqual([expect.objectContaining({ rule_ref: 'tsflows.hello_hook', status: 'succeeded', execution_id: expect.any(String) })]);
    const id = posted.rule_enforcements[0].execution_id as string;
    await platform.temporal.workflow.getHandle(id).result();
    expect(await execution(id)).toMatchObject({ status: 'succeeded', result: { greeting: 'hello hook' }, context: { source: 'rule', rule: 'tsflows.hello_hook' } });
    expect((await children(id)).map((c) => [c.context.task, c.status, c.parent])).toEqual([['greet', 'succeeded', id], ['local', 'succeeded', id]]);
  });

  it('runs as a task of an Orquesta workflow: a child whose own actions are its children', async () => {
    const flow = await platform.run('tsflows.call_hello');
    expect(flow).toMatchObject({ status: 'succeeded', result: { output: { shout: 'HELLO ORQUESTA' } } });
    const [task] = await children(flow.id);
    expect(task).toMatchObject({ action: { ref: 'tsflows.hello' }, status: 'succeeded', parent: flow.id, context: { task: 'greet', parent: { execution_id: flow.id } } });
    expect((await children(task.id)).map((c) => [c.context.task, c.parent])).toEqual([['greet', task.id], ['local', task.id]]);
  });

  it('fails with the message of what failed: an action it called, an export that is not there', async () => {
    const failed = await platform.run('tsflows.failing');
    expect(failed.status).toBe('failed');
    const [broken] = await children(failed.id);
    expect(broken).toMatchObject({ context: { task: 'break' }, status: 'failed' });
    expect(failed.result).toEqual({ error: `core.local failed (execution ${broken.id}): exit code 3, disk on fire` });

    const missing = await platform.run('tsflows.missing_export');
    expect(missing).toMatchObject({ status: 'failed', result: { error: 'tsflows/actions/workflows/failing.ts exports no function "nonesuch" (it exports: failing)' } });
  });

  it('fails saying why when the pack\'s workflow code does not build (I/O in workflow code)', async () => {
    const flow = await platform.run('tsbroken.reads_disk');
    expect(flow.status).toBe('failed');
    expect(flow.result.error).toMatch(/^the TypeScript workflows of pack tsbroken do not build: ERROR in node:fs\n[^]*\/packs\/tsbroken\/actions\/reads_disk\.ts /);
  });

  it('refuses secret parameters, keeping them out of Temporal history', async () => {
    const flow = await platform.run('tsflows.secretive', { token: 'hunter2-ts-workflow-secret' });
    expect(flow).toMatchObject({ status: 'failed', result: { error: expect.stringMatching(/^secret parameters \(token\) cannot be given to a workflow yet/) } });
    expect(await platform.history(flow.id)).not.toContain('hunter2-ts-workflow-secret');
    expect(await children(flow.id)).toEqual([]);
  });

  it('picks up a pack updated at run time, while an execution started on the old code finishes on it', async () => {
    const started = await platform.api<Json>('/executions', { method: 'POST', body: JSON.stringify({ action: 'tsflows.gated' }) });
    const old = started.body.id as string;
    await eventually(async () => (await children(old)).find((c) => c.status === 'succeeded'), 'the gated workflow waiting for its signal', 30_000);

    // The pack is updated (a module its workflows import, and hello itself) and registered again.
    writePackFile(packsDir, 'actions/workflows/code.ts', "export const CODE = 'second';\n");
    writePackFile(packsDir, 'actions/workflows/hello.ts', helloWorkflow(2));
    await register();
    expect(await platform.run('tsflows.hello', { name: 'again' })).toMatchObject({ status: 'succeeded', result: { version: 2 } });
    const fresh = await platform.api<Json>('/executions', { method: 'POST', body: JSON.stringify({ action: 'tsflows.gated' }) });
    await eventually(async () => (await children(fresh.body.id)).find((c) => c.status === 'succeeded'), 'the new gated workflow waiting', 30_000);

    for (const id of [old, fresh.body.id]) await platform.temporal.workflow.getHandle(`${id}/ts`).signal('go');
    await platform.temporal.workflow.getHandle(old).result();
    await platform.temporal.workflow.getHandle(fresh.body.id).result();
    expect(await execution(old)).toMatchObject({ status: 'succeeded', result: { code: 'first' } });
    expect(await execution(fresh.body.id)).toMatchObject({ status: 'succeeded', result: { code: 'second' } });
    // One bundle per content, both kept for the executions that run on them.
    expect(readdirSync(bundles).filter((f) => f.startsWith('tsflows@')).length).toBe(2);
  }, 120_000);

  const put = (id: string, status: string) => platform.api<Json>(`/executions/${id}`, { method: 'PUT', body: JSON.stringify({ status }) });
  const statusOf = async (id: string) => (await execution(id)).status as string;
  const until = (id: string, status: string, ms = 30_000) => eventually(async () => (await statusOf(id)) === status || undefined, `execution ${id} ${status}`, ms);
  const childNamed = async (id: string, task: string) => (await children(id)).find((c) => c.context.task === task);

  it('asks a human with ask(): paused while the question waits, an answer through the CLI resumes it with the response', async () => {
    const started = await platform.api<Json>('/executions', { method: 'POST', body: JSON.stringify({ action: 'tsflows.asking' }) });
    const id = started.body.id as string;
    await until(id, 'paused');
    const question = (await childNamed(id, 'approve'))!;
    expect(question).toMatchObject({ action: { ref: 'core.ask' }, status: 'pending', parent: id });
    expect((await platform.api<Json>(`/inquiries/${question.id}`, { as: 'admin' })).body).toMatchObject({ id: question.id, route: 'oncall', ttl: 10, status: 'pending' });
    // An answer that does not match the schema is refused: the workflow keeps waiting.
    expect((await platform.api<Json>(`/inquiries/${question.id}`, { method: 'PUT', body: JSON.stringify({ id: question.id, response: { approved: 'yes' } }) })).status).toBe(400);
    expect(await statusOf(id)).toBe('paused');

    await tempest('inquiry', 'respond', question.id, '-r', '{"approved": true}');
    await platform.temporal.workflow.getHandle(id).result();
    expect(await execution(id)).toMatchObject({ status: 'succeeded', result: { approved: true, said: 'approved=true' } });
    expect((await children(id)).map((c) => [c.context.task, c.status])).toEqual([['approve', 'succeeded'], ['after', 'succeeded']]);
    expect((await execution(id)).status_history.map((s: Json) => s.status)).toEqual(['requested', 'scheduled', 'running', 'pausing', 'paused', 'resuming', 'running', 'succeeded']);
  });

  it('fails with ActionError when the question is canceled', async () => {
    const started = await platform.api<Json>('/executions', { method: 'POST', body: JSON.stringify({ action: 'tsflows.asking' }) });
    const id = started.body.id as string;
    await until(id, 'paused');
    const question = (await childNamed(id, 'approve'))!;
    expect((await platform.api(`/executions/${question.id}`, { method: 'DELETE' })).status).toBe(200);
    await platform.temporal.workflow.getHandle(id).result();
    expect(await execution(id)).toMatchObject({ status: 'failed', result: { error: `core.ask canceled (execution ${question.id})` } });
  });

  it('pauses and resumes from the API and the CLI: the running action finishes, the next starts only once resumed', async () => {
    const started = await platform.api<Json>('/executions', { method: 'POST', body: JSON.stringify({ action: 'tsflows.steps' }) });
    const id = started.body.id as string;
    await eventually(async () => (await childNamed(id, 'slow'))?.status === 'running' || undefined, 'the slow action running', 30_000);
    expect(await put(id, 'pausing')).toMatchObject({ status: 200, body: { status: 'pausing' } });
    await until(id, 'paused');
    expect((await children(id)).map((c) => [c.context.task, c.status])).toEqual([['slow', 'succeeded']]);
    expect((await platform.temporal.workflow.getHandle(`${id}/ts`).describe()).status.name).toBe('RUNNING');

    await tempest('execution', 'resume', id);
    await platform.temporal.workflow.getHandle(id).result();
    expect(await execution(id)).toMatchObject({ status: 'succeeded', result: { after: 'after' } });
    expect((await execution(id)).status_history.map((s: Json) => s.status)).toEqual(['requested', 'scheduled', 'running', 'pausing', 'paused', 'resuming', 'running', 'succeeded']);
  });

  it('is paused as a sub-workflow of an Orquesta workflow paused with the CLI, and resumed with it', async () => {
    const started = await platform.api<Json>('/executions', { method: 'POST', body: JSON.stringify({ action: 'tsflows.call_steps' }) });
    const id = started.body.id as string;
    const sub = await eventually(async () => childNamed(id, 'steps'), 'the TypeScript sub-workflow', 30_000);
    await eventually(async () => (await childNamed(sub.id, 'slow'))?.status === 'running' || undefined, 'its slow action running', 30_000);
    await tempest('execution', 'pause', id);
    await until(sub.id, 'paused');
    await until(id, 'paused');
    expect((await children(sub.id)).map((c) => c.context.task)).toEqual(['slow']);

    await tempest('execution', 'resume', id);
    await platform.temporal.workflow.getHandle(id).result();
    expect(await execution(id)).toMatchObject({ status: 'succeeded' });
    expect(await execution(sub.id)).toMatchObject({ status: 'succeeded', result: { after: 'after' } });
  }, 60_000);

  it('stays paused when its function returns while paused, as Orquesta does, and succeeds once resumed', async () => {
    const started = await platform.api<Json>('/executions', { method: 'POST', body: JSON.stringify({ action: 'tsflows.gated' }) });
    const id = started.body.id as string;
    await eventually(async () => (await children(id)).find((c) => c.status === 'succeeded'), 'the gated workflow waiting', 30_000);
    expect(await put(id, 'pausing')).toMatchObject({ status: 200 });
    await until(id, 'paused');
    await platform.temporal.workflow.getHandle(`${id}/ts`).signal('go');
    await platform.temporal.workflow.getHandle(`${id}/ts`).result();
    expect(await statusOf(id)).toBe('paused');
    expect(await put(id, 'resuming')).toMatchObject({ status: 200 });
    await platform.temporal.workflow.getHandle(id).result();
    expect(await execution(id)).toMatchObject({ status: 'succeeded', result: { code: expect.any(String) } });
  });

  it('is canceled with its execution, paused or not: the action it waits in is canceled too', async () => {
    const started = await platform.api<Json>('/executions', { method: 'POST', body: JSON.stringify({ action: 'tsflows.gated' }) });
    const id = started.body.id as string;
    await eventually(async () => (await children(id)).find((c) => c.status === 'succeeded'), 'the gated workflow waiting', 30_000);
    expect(await put(id, 'pausing')).toMatchObject({ status: 200 });
    await until(id, 'paused');
    expect((await platform.api(`/executions/${id}`, { method: 'DELETE' })).status).toBe(200);
    await until(id, 'canceled', 20_000);
    expect((await platform.temporal.workflow.getHandle(`${id}/ts`).describe()).status.name).toBe('CANCELLED');

    const waiting = (await platform.api<Json>('/executions', { method: 'POST', body: JSON.stringify({ action: 'tsflows.asking' }) })).body.id as string;
    await until(waiting, 'paused');
    expect((await platform.api(`/executions/${waiting}`, { method: 'DELETE' })).status).toBe(200);
    await until(waiting, 'canceled', 20_000);
    expect(await childNamed(waiting, 'approve')).toMatchObject({ status: 'canceled' });
  }, 60_000);

  it('runs the example remediation: below the threshold it only diagnoses, printed by `tempest run`', async () => {
    const printed = await tempest('run', 'examples.remediate_host', 'mountpoint=/tmp', 'threshold=100');
    expect(printed).toMatch(/^cleaned: null\nhost: localhost\nmountpoint: \/tmp\nremediation: nothing to do, below the threshold\nthreshold: 100\nused_after: null\nused_before: \d+\n/);
    expect(printed).toMatch(/\ndiagnose\s+core\.local\s+succeeded\s+\S+\n?$/);
  });

  it('runs the example remediation from its rule on a webhook, its tasks as children in the audit trail', async () => {
    const response = await fetch(`${platform.base}/api/v1/webhooks/remediate_host`, { method: 'POST', headers: { 'X-Api-Key': platform.keys.admin, 'content-type': 'application/json' }, body: JSON.stringify({ mountpoint: '/tmp', threshold: 100 }) });
    expect(response.status).toBe(202);
    const posted = (await response.json()) as Json;
    expect(posted.rule_enforcements).toEqual([expect.objectContaining({ rule_ref: 'examples.remediate_host_hook', status: 'succeeded', execution_id: expect.any(String) })]);
    const id = posted.rule_enforcements[0].execution_id as string;
    await platform.temporal.workflow.getHandle(id).result();
    expect(await execution(id)).toMatchObject({ status: 'succeeded', parameters: { mountpoint: '/tmp', threshold: 100 }, result: { remediation: 'nothing to do, below the threshold' }, context: { source: 'rule', rule: 'examples.remediate_host_hook' } });
    expect((await children(id)).map((c) => [c.context.task, c.action.ref, c.status, c.parent])).toEqual([['diagnose', 'core.local', 'succeeded', id]]);
  });

  /** Starts the example at the threshold and answers on-call's question (through the API) once the execution is paused on it. */
  async function remediateWithAnswer(response: Json): Promise<Json> {
    const started = await platform.api<Json>('/executions', { method: 'POST', body: JSON.stringify({ action: 'examples.remediate_host', parameters: { mountpoint: '/tmp', threshold: 0, settle_seconds: 1 } }) });
    const id = started.body.id as string;
    await until(id, 'paused');
    const question = (await childNamed(id, 'approve'))!;
    expect((await platform.api<Json>(`/inquiries/${question.id}`, { as: 'admin' })).body).toMatchObject({ route: 'oncall', ttl: 60, status: 'pending' });
    const answered = await platform.api<Json>(`/inquiries/${question.id}`, { method: 'PUT', as: 'admin', body: JSON.stringify({ id: question.id, response }) });
    expect(answered.status).toBe(200);
    await platform.temporal.workflow.getHandle(id).result().catch(() => undefined);
    return execution(id);
  }

  it('runs the example remediation at the threshold: asks on-call, and once approved cleans, verifies, and fails with a report while the disk is still full', async () => {
    writeFileSync(join(scratch, 'old.log'), 'x'.repeat(64 * 1024));
    const done = await remediateWithAnswer({ approved: true });
    expect(done.status).toBe('failed');
    expect(readdirSync(scratch)).toEqual([]);
    const listed = await children(done.id);
    expect(listed.map((c) => [c.context.task, c.action.ref, c.status, c.parent])).toEqual([
      ['diagnose', 'core.local', 'succeeded', done.id],
      ['approve', 'core.ask', 'succeeded', done.id],
      ['clean', 'examples.clean_dir', 'succeeded', done.id],
      ['verify', 'core.local', 'succeeded', done.id],
      ['report', 'examples.diagnose_disk', 'succeeded', done.id],
    ]);
    expect(listed[2].parameters).toMatchObject({ path: scratch, mountpoint: '/tmp' });
    expect(done.result.error).toMatch(new RegExp(`^cleaned ${scratch}, but /tmp is still \\d+% used \\(threshold 0%\\); largest folders:\\n`));
    expect(done.status_history.map((s: Json) => s.status)).toEqual(['requested', 'scheduled', 'running', 'pausing', 'paused', 'resuming', 'running', 'failed']);
  });

  it('runs the example remediation at the threshold: declined by on-call, it deletes nothing', async () => {
    writeFileSync(join(scratch, 'keep.log'), 'x'.repeat(1024));
    const done = await remediateWithAnswer({ approved: false, reason: 'not at night' });
    expect(done).toMatchObject({ status: 'succeeded', result: { remediation: 'declined by on-call: not at night', cleaned: null, used_after: null } });
    expect(readdirSync(scratch)).toEqual(['keep.log']);
    expect((await children(done.id)).map((c) => c.context.task)).toEqual(['diagnose', 'approve']);
    rmSync(join(scratch, 'keep.log'));
  });

  // Last: it kills the platform's worker.
  it('goes on after a worker restart on the code it started with, the pack changed on disk meanwhile; superseded bundles nothing runs on are deleted', async () => {
    // A bundle that will be superseded, with nothing left running on it.
    writePackFile(packsDir, 'actions/workflows/code.ts', "export const CODE = 'idle';\n");
    await register();
    const idle = await platform.run('tsflows.hello', { name: 'idle' });
    writePackFile(packsDir, 'actions/workflows/code.ts', "export const CODE = 'before the restart';\n");
    await register();
    const started = await platform.api<Json>('/executions', { method: 'POST', body: JSON.stringify({ action: 'tsflows.gated' }) });
    const id = started.body.id as string;
    await eventually(async () => (await children(id)).find((c) => c.status === 'succeeded'), 'the gated workflow waiting', 30_000);
    writePackFile(packsDir, 'actions/workflows/code.ts', "export const CODE = 'after the restart';\n");
    await register();
    // Both superseded for hours: the one a workflow still runs on is kept.
    const bundleOf = async (workflowId: string) => join(bundles, `${(await platform.temporal.workflow.getHandle(workflowId).describe()).taskQueue.split('/').at(-1)}.js`);
    const [idleBundle, runningBundle] = [await bundleOf(`${idle.id}/ts`), await bundleOf(`${id}/ts`)];
    const hoursAgo = (hours: number) => new Date(Date.now() - hours * 3600_000);
    utimesSync(idleBundle, hoursAgo(4), hoursAgo(4));
    utimesSync(runningBundle, hoursAgo(3), hoursAgo(3));

    platform.worker.child.kill('SIGKILL');
    await platform.worker.exited;
    const next = runProcess(join(repo, 'dist/apps/worker/src/main.js'), platform.workerEnv);
    try {
      await next.printed(/"worker polling"/);
      expect([existsSync(idleBundle), existsSync(runningBundle)]).toEqual([false, true]);
      // Replayed from its history on the bundle kept from before, not on what the disk says now.
      await platform.temporal.workflow.getHandle(`${id}/ts`).signal('go');
      await platform.temporal.workflow.getHandle(id).result();
      expect(await execution(id)).toMatchObject({ status: 'succeeded', result: { code: 'before the restart' } });

      const fresh = await platform.api<Json>('/executions', { method: 'POST', body: JSON.stringify({ action: 'tsflows.gated' }) });
      await eventually(async () => (await children(fresh.body.id)).find((c) => c.status === 'succeeded'), 'the new gated workflow waiting', 60_000);
      await platform.temporal.workflow.getHandle(`${fresh.body.id}/ts`).signal('go');
      await platform.temporal.workflow.getHandle(fresh.body.id).result();
      expect(await execution(fresh.body.id)).toMatchObject({ status: 'succeeded', result: { code: 'after the restart' } });
    } finally {
      next.child.kill('SIGTERM');
      await next.exited;
    }
  }, 120_000);
});
