import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { eventually, startTestPlatform, type TestPlatform } from '@tempest/testing';
import { writeFlowsPacks } from './flows-pack';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

// Re-running a failed Orquesta workflow from chosen tasks, as StackStorm's
// POST /executions/{id}/re_run {"tasks": [...]} and `st2 execution re-run --tasks`,
// on the compiled gateway and worker.
describe('re-running a failed workflow from chosen tasks', () => {
  const root = mkdtempSync(join(tmpdir(), 'tempest-rerun-'));
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
  const rerun = (id: string, body: Json) => platform.api<Json>(`/executions/${id}/re_run`, { method: 'POST', body: JSON.stringify(body) });
  const ended = (id: string) => eventually(async () => (['succeeded', 'failed', 'canceled'].includes((await get(id)).status) ? get(id) : undefined), `execution ${id} to end`, 30_000);
  /** Task name -> status of a workflow's tasks, in the order they ran. */
  const tasks = async (id: string) => (await platform.api<Json[]>(`/executions/${id}/children`)).body.map((c) => [c.context.task, c.status]);
  /** flows.rerunnable, failed at its `check` task (the file it checks is missing). */
  const failedRun = async (parameters: Json = {}) => {
    const dir = mkdtempSync(join(root, 'run-'));
    const started = await platform.api<Json>('/executions', { method: 'POST', body: JSON.stringify({ action: 'flows.rerunnable', parameters: { dir, ...parameters } }) });
    expect(started.status).toBe(201);
    expect(await ended(started.body.id)).toMatchObject({ status: 'failed' });
    return { id: started.body.id as string, dir };
  };

  it('runs the failed task again with what the first task published, without running it again, and the workflow succeeds', async () => {
    const { id, dir } = await failedRun();
    expect(await tasks(id)).toEqual([
      ['prepare', 'succeeded'],
      ['check', 'failed'],
    ]);
    const token = (await platform.api<Json[]>(`/executions/${id}/children`)).body[0].result.stdout;
    expect(token).toMatch(/^token-\d+$/);

    writeFileSync(join(dir, 'fixed'), '');
    // The body StackStorm's CLI sends (st2 execution re-run <id> --tasks check).
    const again = await rerun(id, { parameters: {}, tasks: ['check'], reset: ['check'], delay: 0 });
    expect(again).toMatchObject({ status: 201, body: { action: { ref: 'flows.rerunnable' }, parameters: { dir }, context: { 're-run': { ref: id, tasks: ['check'], reset: ['check'] } } } });
    expect(await ended(again.body.id)).toMatchObject({ status: 'succeeded', result: { output: { token } } });
    expect(await tasks(again.body.id)).toEqual([
      ['check', 'succeeded'],
      ['finish', 'succeeded'],
    ]);
    expect(readFileSync(join(dir, 'prepare.count'), 'utf8')).toBe('run\n');
    expect(readFileSync(join(dir, 'finished'), 'utf8')).toBe(`${token}\n`);
  });

  it('keeps what a sub-workflow published and does not run it again', async () => {
    const dir = mkdtempSync(join(root, 'outer-'));
    const started = await platform.api<Json>('/executions', { method: 'POST', body: JSON.stringify({ action: 'flows.rerunnable_outer', parameters: { dir } }) });
    expect(await ended(started.body.id)).toMatchObject({ status: 'failed' });
    writeFileSync(join(dir, 'fixed'), '');
    const again = await rerun(started.body.id, { tasks: ['check'] });
    expect(await ended(again.body.id)).toMatchObject({ status: 'succeeded' });
    expect(await tasks(again.body.id)).toEqual([
      ['check', 'succeeded'],
      ['finish', 'succeeded'],
    ]);
    expect(readFileSync(join(dir, 'finished'), 'utf8')).toBe(`hello ${dir}\n`);
  });

  it('takes again the secret parameters no longer kept, and gives them to the tasks that run again, but no other parameter', async () => {
    const { id, dir } = await failedRun({ password: 's3cret' });
    writeFileSync(join(dir, 'fixed'), '');
    expect(await rerun(id, { tasks: ['check'] })).toMatchObject({ status: 400, body: { message: [`parameter password: secret, and no longer kept since execution ${id} ended: give it again in parameters`] } });
    expect(await rerun(id, { tasks: ['check'], parameters: { password: 's3cret', dir: '/elsewhere' } })).toMatchObject({
      status: 400,
      body: { message: 'parameters: Parameters override is not supported when re-running task(s) for a workflow (dir).' },
    });
    const again = await rerun(id, { tasks: ['check'], parameters: { password: 's3cret' } });
    expect(again).toMatchObject({ status: 201, body: { parameters: { dir, password: '********' } } });
    expect(await ended(again.body.id)).toMatchObject({ status: 'succeeded' });
    expect(readFileSync(join(dir, 'password'), 'utf8')).toBe('s3cret\n');
  });

  it('gives the tasks that run again a datastore secret the failed run published, sealed for the new run', async () => {
    expect((await platform.api('/keys/rerun.token', { method: 'PUT', body: JSON.stringify({ value: 'kv-s3cret', secret: true }) })).status).toBe(200);
    const dir = mkdtempSync(join(root, 'kv-'));
    const started = await platform.api<Json>('/executions', { method: 'POST', body: JSON.stringify({ action: 'flows.rerunnable_kv', parameters: { dir } }) });
    expect(await ended(started.body.id)).toMatchObject({ status: 'failed' });
    writeFileSync(join(dir, 'fixed'), '');
    const again = await rerun(started.body.id, { tasks: ['check'] });
    expect(await ended(again.body.id)).toMatchObject({ status: 'succeeded' });
    expect(readFileSync(join(dir, 'secret'), 'utf8')).toBe('kv-s3cret\n');
    expect(await platform.history(again.body.id)).not.toContain('kv-s3cret');
  });

  it('runs only the failed items of a with-items task again, or every item when it is reset', async () => {
    const items = async (dir: string) => readFileSync(join(dir, 'items.log'), 'utf8').trim().split('\n').sort();
    const failedItems = async () => {
      const dir = mkdtempSync(join(root, 'items-'));
      const started = await platform.api<Json>('/executions', { method: 'POST', body: JSON.stringify({ action: 'flows.rerunnable_items', parameters: { dir } }) });
      expect(await ended(started.body.id)).toMatchObject({ status: 'failed' });
      expect(await items(dir)).toEqual(['a', 'b', 'c']);
      writeFileSync(join(dir, 'fixed'), '');
      return { id: started.body.id as string, dir };
    };

    const onlyFailed = await failedItems();
    const again = await rerun(onlyFailed.id, { tasks: ['each'] });
    expect(await ended(again.body.id)).toMatchObject({ status: 'succeeded' });
    expect(await items(onlyFailed.dir)).toEqual(['a', 'after', 'b', 'b', 'c']);
    expect(await tasks(again.body.id)).toEqual([
      ['each', 'succeeded'],
      ['after', 'succeeded'],
    ]);

    const reset = await failedItems();
    const all = await rerun(reset.id, { tasks: ['each'], reset: ['each'] });
    expect(await ended(all.body.id)).toMatchObject({ status: 'succeeded' });
    expect(await items(reset.dir)).toEqual(['a', 'a', 'after', 'b', 'b', 'c', 'c']);
  });

  it('refuses, naming it, a task that does not exist or did not run, tasks of an action that is not an Orquesta workflow, and a workflow that did not fail', async () => {
    const { id, dir } = await failedRun();
    expect(await rerun(id, { tasks: ['nope', 'check'] })).toMatchObject({ status: 400, body: { message: [`tasks: task "nope" did not run in execution ${id}`] } });
    expect(await rerun(id, { tasks: ['finish'] })).toMatchObject({ status: 400, body: { message: [`tasks: task "finish" did not run in execution ${id}`] } });
    expect(await rerun(id, { tasks: ['check'], reset: ['prepare'] })).toMatchObject({ status: 400, body: { message: 'reset: List of tasks to reset does not match the tasks to rerun (prepare not in tasks).' } });
    expect(await rerun(id, { tasks: ['check'], parameters: { dir: '/elsewhere' } })).toMatchObject({ status: 400, body: { message: 'parameters: Parameters override is not supported when re-running task(s) for a workflow (dir).' } });
    expect(await rerun(id, { tasks: 'check' })).toMatchObject({ status: 400 });
    expect(await rerun(id, { tasks: ['check'], delay: -1 })).toMatchObject({ status: 400, body: { message: ['delay must be at least 0'] } });

    const local = await platform.api<Json>('/executions', { method: 'POST', body: JSON.stringify({ action: 'core.local', parameters: { cmd: 'exit 1' } }) });
    await ended(local.body.id);
    expect(await rerun(local.body.id, { tasks: ['check'] })).toMatchObject({ status: 400, body: { message: `tasks: Task option is only supported for Orquesta workflows (execution ${local.body.id} is local-shell-cmd).` } });

    writeFileSync(join(dir, 'fixed'), '');
    const succeeded = await platform.api<Json>('/executions', { method: 'POST', body: JSON.stringify({ action: 'flows.rerunnable', parameters: { dir } }) });
    await ended(succeeded.body.id);
    expect(await rerun(succeeded.body.id, { tasks: ['check'] })).toMatchObject({ status: 400, body: { message: `tasks: execution ${succeeded.body.id} is succeeded: only a failed workflow is re-run from its tasks` } });
  });

  it('re-runs from the CLI: tempest execution re-run <id> --tasks check', async () => {
    const { id, dir } = await failedRun();
    writeFileSync(join(dir, 'fixed'), '');
    const cli = await platform.tempest(['execution', 're-run', id, '--tasks', 'check']);
    expect(cli).toMatchObject({ code: 0, stderr: '' });
    const newId = new RegExp(`^execution (\\S+) started \\(re-run of ${id}\\)\\n$`).exec(cli.stdout)![1];
    expect(await ended(newId)).toMatchObject({ status: 'succeeded' });
    expect(readFileSync(join(dir, 'prepare.count'), 'utf8')).toBe('run\n');
    expect(existsSync(join(dir, 'finished'))).toBe(true);
    expect(await platform.tempest(['execution', 're-run', id, '--tasks', 'nope'])).toMatchObject({ code: 1, stderr: `tempest: tasks: task "nope" did not run in execution ${id}\n` });
  });
});
