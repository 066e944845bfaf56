import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { defineSearchAttributeKey, SearchAttributeType } from '@temporalio/common';
import { findRepoRoot } from '@tempest/config';
import { startTestPlatform, type TestPlatform } from '@tempest/testing';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const repo = findRepoRoot();
const stackstormExamples = join(repo, 'libs/packs/fixtures/stackstorm/examples');

/** StackStorm's own workflows (its `examples` pack), each the file its integration tests run (st2tests/integration/orquesta). */
const WORKFLOWS = {
  'orquesta-join': 'workflows/orquesta-join.yaml',
  'orquesta-with-items': 'workflows/orquesta-with-items.yaml',
  'orquesta-task-retry': 'workflows/orquesta-task-retry.yaml',
  'orquesta-task-retry-exhausted': 'workflows/orquesta-task-retry-exhausted.yaml',
  echochain: 'chains/echochain.yaml',
};
const metadataFile = (name: string) => (name === 'echochain' ? 'echochain.meta.yaml' : `${name}.yaml`);

/** What StackStorm's integration tests expect of each, plus its tasks as child executions (task name per child, in start order). */
async function expectOutcome(platform: TestPlatform, name: keyof typeof WORKFLOWS, execution: Json): Promise<Json[]> {
  const children = (await platform.api<Json[]>(`/executions/${execution.id}/children`)).body;
  expect(children.every((c) => c.parent === execution.id)).toBe(true);
  const tasks = children.map((c) => c.context.task as string);
  // Where StackStorm's runners put the task's name (st2 execution tail and get read it there), and the workflow's children as StackStorm lists them.
  expect(children.map((c) => (name === 'echochain' ? c.context.chain?.name : c.context.orquesta?.task_name))).toEqual(tasks);
  expect([...(await platform.api<Json>(`/executions/${execution.id}`)).body.children].sort()).toEqual(children.map((c) => c.id).sort());
  switch (name) {
    case 'orquesta-join':
      expect(execution).toMatchObject({ status: 'succeeded' });
      expect(execution.result.output.messages).toHaveLength(4);
      expect(execution.result.output.messages[3]).toBe("I'll grind his bones to make my bread");
      expect([...tasks].sort()).toEqual(['task1', 'task10', 'task2', 'task3', 'task4', 'task5', 'task6', 'task7', 'task8', 'task9']);
      // The join runs once, after every branch.
      expect(tasks.at(-1)).toBe('task10');
      break;
    case 'orquesta-with-items':
      expect(execution).toMatchObject({ status: 'succeeded' });
      // Exactly as st2's test_with_items: the local runner's stdout loses its last line ending.
      expect(execution.result.output.items).toEqual(['Lakshmi, resistance is futile!', 'Lindsay, resistance is futile!', 'Tomaz, resistance is futile!']);
      expect(tasks).toEqual(['task1', 'task1', 'task1']);
      break;
    case 'orquesta-task-retry':
      expect(execution).toMatchObject({ status: 'succeeded' });
      // Retried until the parallel branch created the file (st2's test_task_retry: more than one `check`).
      expect(tasks.filter((t) => t === 'check').length).toBeGreaterThan(1);
      expect(tasks.filter((t) => t === 'delete')).toHaveLength(1);
      break;
    case 'orquesta-task-retry-exhausted':
      expect(execution).toMatchObject({ status: 'failed' });
      expect(children.filter((c) => c.context.task === 'check').map((c) => c.status)).toEqual(['failed', 'failed', 'failed']);
      expect(tasks).not.toContain('delete');
      // One entry per distinct failed result of `check`, as Orquesta logs them (equal ones once).
      expect(execution.result.errors.length).toBeGreaterThanOrEqual(1);
      for (const error of execution.result.errors) expect(error).toMatchObject({ type: 'error', task_id: 'check', message: 'Execution failed. See result for details.', result: { return_code: 1 } });
      break;
    case 'echochain':
      expect(execution).toMatchObject({ status: 'succeeded' });
      expect(execution.result.tasks.map((t: Json) => [t.name, t.state])).toEqual([['c1', 'succeeded'], ['c2', 'succeeded'], ['c3', 'succeeded']]);
      expect(tasks).toEqual(['c1', 'c2', 'c3']);
      expect(children[1].result.stdout).toBe(`c2: parent exec is ${execution.id}.`);
      break;
  }
  return children;
}

const SEARCH = {
  actionRef: defineSearchAttributeKey('TempestActionRef', SearchAttributeType.KEYWORD),
  pack: defineSearchAttributeKey('TempestPack', SearchAttributeType.KEYWORD),
  user: defineSearchAttributeKey('TempestUser', SearchAttributeType.KEYWORD),
  rule: defineSearchAttributeKey('TempestRule', SearchAttributeType.KEYWORD),
};

// StackStorm's documented workflows, unchanged (branches, a join, with-items,
// retry; an ActionChain), run the three ways a user starts them: the CLI, the
// API and a rule on a webhook. The compiled gateway, worker and CLI, Temporal
// and Postgres; each task a child execution that shows in Temporal Web as a
// top-level one does, and goes through StackStorm's statuses.
describe("StackStorm's example workflows, from the CLI, the API and a rule", () => {
  const root = mkdtempSync(join(tmpdir(), 'tempest-st2-workflows-'));
  let platform: TestPlatform;

  beforeAll(async () => {
    cpSync(join(repo, 'packs/core'), join(root, 'packs/core'), { recursive: true });
    // The workflows' files byte for byte; the rest of StackStorm's pack (Python sensors) is not what is tested here.
    const pack = join(root, 'packs/examples');
    cpSync(join(stackstormExamples, 'pack.yaml'), join(pack, 'pack.yaml'));
    for (const [name, definition] of Object.entries(WORKFLOWS)) {
      cpSync(join(stackstormExamples, 'actions', metadataFile(name)), join(pack, 'actions', metadataFile(name)));
      cpSync(join(stackstormExamples, 'actions', definition), join(pack, 'actions', definition));
    }
    platform = await startTestPlatform({ root });
  });
  afterAll(async () => {
    await platform?.stop();
    rmSync(root, { recursive: true, force: true });
  });

  const names = Object.keys(WORKFLOWS) as (keyof typeof WORKFLOWS)[];
  const execution = async (id: string) => (await platform.api<Json>(`/executions/${id}`)).body;

  it.each(names)('runs examples.%s through POST /api/v1/executions, its tasks as children with StackStorm\'s statuses and the workflow\'s search attributes', async (name) => {
    const done = await platform.run(`examples.${name}`);
    const children = await expectOutcome(platform, name, done as unknown as Json);
    for (const child of children.filter((c) => c.status === 'succeeded')) {
      expect(child.status_history.map((s: Json) => s.status)).toEqual(['requested', 'scheduled', 'running', 'succeeded']);
    }
    // Temporal Web filters children by the same attributes as top-level executions: their own action, the workflow's user.
    const description = await platform.temporal.workflow.getHandle(children[0].id).describe();
    expect(description.typedSearchAttributes.get(SEARCH.actionRef)).toBe(children[0].action.ref);
    expect(description.typedSearchAttributes.get(SEARCH.pack)).toBe('core');
    expect(description.typedSearchAttributes.get(SEARCH.user)).toBe('admin');
  });

  it.each(names)('runs examples.%s with `tempest run`, printing its result, exit code 0 only when it succeeded', async (name) => {
    const ran = await platform.tempest(['run', `examples.${name}`]);
    const id = (await platform.api<Json[]>(`/executions?action=examples.${name}&limit=1`)).body[0].id as string;
    const done = await execution(id);
    await expectOutcome(platform, name, done);
    expect(ran.code).toBe(done.status === 'succeeded' ? 0 : 1);
    if (name === 'orquesta-join') expect(ran.stdout).toContain("I'll grind his bones to make my bread");
    if (name === 'echochain') expect(ran.stdout).toMatch(/c3\s+core\.local\s+succeeded/);
    if (name === 'orquesta-task-retry-exhausted') expect(ran.stderr).toMatch(/check\s+error\s+Execution failed\. See result for details\./);
  });

  it('runs each from a rule on a webhook: one event, one enforcement and one workflow per rule, children tagged with the rule', async () => {
    for (const name of names) {
      const created = await platform.api('/rules', {
        method: 'POST',
        body: JSON.stringify({ name: `run_${name.replace(/-/g, '_')}`, pack: 'examples', trigger: { type: 'core.st2.webhook', parameters: { url: 'st2-examples' } }, action: { ref: `examples.${name}` } }),
      });
      expect(created.status).toBe(201);
    }
    // The gateway that answered the rules' creation matches them from now on.
    const answer = await platform.api<Json>('/webhooks/st2-examples', { method: 'POST', body: JSON.stringify({ go: true }) });
    expect(answer.status).toBe(202);
    const posted = answer.body;
    expect(posted.rule_enforcements).toHaveLength(names.length);
    for (const enforcement of posted.rule_enforcements as Json[]) {
      expect(enforcement.status).toBe('succeeded');
      const name = (await execution(enforcement.execution_id)).action.ref.replace(/^examples\./, '') as keyof typeof WORKFLOWS;
      await platform.temporal.workflow.getHandle(enforcement.execution_id).result().catch(() => undefined);
      const done = await execution(enforcement.execution_id);
      expect(done.context).toMatchObject({ source: 'rule', rule: enforcement.rule_ref });
      const children = await expectOutcome(platform, name, done);
      const description = await platform.temporal.workflow.getHandle(children[0].id).describe();
      expect(description.typedSearchAttributes.get(SEARCH.rule)).toBe(enforcement.rule_ref);
    }
  });
});
