import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { findRepoRoot } from '@tempest/config';
import { eventually, startTestPlatform, type TestPlatform } from '@tempest/testing';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const NOTIFY_TRIGGER = 'core.st2.generic.notifytrigger';
const SECRET = 'sekrit-7f3a9c';

/**
 * A pack whose actions notify as StackStorm's do, and a rule on
 * core.st2.generic.notifytrigger that writes each notification to `out`
 * (route|status|message|execution id), as a chat or paging action would post it.
 */
function writeContent(root: string, out: string): void {
  const write = (path: string, lines: string[]) => {
    mkdirSync(join(root, path, '..'), { recursive: true });
    writeFileSync(join(root, path), lines.join('\n') + '\n');
  };
  cpSync(join(findRepoRoot(), 'packs', 'core'), join(root, 'packs', 'core'), { recursive: true });
  write('packs/chat/pack.yaml', ['name: chat', 'description: notifications', 'version: 1.0.0', 'author: test']);
  write('packs/chat/actions/deploy.yaml', [
    'name: deploy',
    'runner_type: local-shell-cmd',
    'parameters:',
    '  version: { type: string, required: true }',
    '  token: { type: string, secret: true }',
    '  code: { type: integer, default: 0 }',
    '  cmd: { default: "echo deployed {{ version }}; exit {{ code }}", immutable: true }',
    'notify:',
    '  on-success:',
    '    message: "{{ action_parameters.version }} by {{ action_context.user }}: {{ action_results.stdout }} (token {{ action_parameters.token }})"',
    '    data: { version: "{{ action_parameters.version }}", team: ops }',
    '    routes: [chat]',
    '  on-failure:',
    '    channels: [pager]',
    '  on-complete:',
    '    routes: [audit]',
  ]);
  write('packs/chat/actions/plain.yaml', ['name: plain', 'runner_type: local-shell-cmd', 'parameters:', '  cmd: { default: "echo plain", immutable: true }']);
  write('packs/chat/actions/relay.yaml', [
    'name: relay',
    'runner_type: action-chain',
    'entry_point: chains/relay.yaml',
    'notify:',
    '  on-complete: { routes: [chain] }',
  ]);
  write('packs/chat/actions/chains/relay.yaml', [
    'chain:',
    '  - name: first',
    '    ref: core.local',
    '    parameters: { cmd: "echo first" }',
    '    notify:',
    '      on-success: { message: "first said {{ action_results.stdout }}", routes: [task] }',
    '    on-success: second',
    '  - name: second',
    '    ref: core.local',
    '    parameters: { cmd: "echo second" }',
    '    on-success: third',
    '  - name: third',
    '    ref: core.local',
    '    parameters: { cmd: "echo third" }',
  ]);
  write('packs/chat/actions/flow.yaml', [
    'name: flow',
    'runner_type: orquesta',
    'entry_point: workflows/flow.yaml',
    'parameters:',
    '  notify: { default: [one] }',
    'notify:',
    '  on-complete: { routes: [flow] }',
  ]);
  write('packs/chat/actions/workflows/flow.yaml', [
    'version: 1.0',
    'tasks:',
    '  one:',
    '    action: core.local cmd="echo one"',
    '    next:',
    '      - when: <% succeeded() %>',
    '        do: two',
    '  two:',
    '    action: core.local cmd="echo two"',
  ]);
  write('packs/chat/rules/post.yaml', [
    'name: post',
    'pack: chat',
    'enabled: true',
    `trigger: { type: ${NOTIFY_TRIGGER} }`,
    'action:',
    '  ref: core.local',
    '  parameters:',
    `    cmd: "printf '%s|%s|%s|%s\\n' {{ trigger.route }} {{ trigger.status }} {{ trigger.message }} {{ trigger.execution_id }} >> ${out}"`,
  ]);
}

describe('notify: core.st2.generic.notifytrigger when an execution ends', () => {
  const root = mkdtempSync(join(tmpdir(), 'tempest-notify-'));
  const out = join(root, 'notified');
  let platform: TestPlatform;

  beforeAll(async () => {
    writeContent(root, out);
    platform = await startTestPlatform({ root });
  });
  afterAll(async () => {
    await platform?.stop();
    rmSync(root, { recursive: true, force: true });
  });

  /** What the rule posted about `ids`, once there are `count` lines: `route|status|message`, sorted. */
  const posted = (ids: string[], count: number) =>
    eventually(
      () => {
        const lines = existsSync(out) ? readFileSync(out, 'utf8').split('\n') : [];
        const mine = lines.filter((line) => ids.some((id) => line.endsWith(`|${id}`)));
        return mine.length >= count ? mine.map((line) => line.slice(0, line.lastIndexOf('|'))).sort() : undefined;
      },
      `${count} notifications posted`,
      30_000,
    );
  const notifications = async (id: string) => (await platform.api<Json[]>(`/triggerinstances?trigger=${NOTIFY_TRIGGER}&limit=100`)).body.filter((i) => i.payload.execution_id === id);
  const start = async (body: Json) => {
    const created = await platform.api<Json>('/executions', { method: 'POST', body: JSON.stringify(body) });
    expect(created.status).toBe(201);
    await platform.temporal.workflow.getHandle(created.body.id).result();
    return (await platform.api<Json>(`/executions/${created.body.id}`)).body;
  };

  it('routes on-success and on-complete through a rule, with the message rendered against the execution and its secrets masked', async () => {
    const execution = await start({ action: 'chat.deploy', parameters: { version: '1.2', token: SECRET } });
    expect(execution.status).toBe('succeeded');
    expect(execution.notify).toEqual({ 'on-success': expect.objectContaining({ routes: ['chat'] }), 'on-failure': { routes: ['pager'] }, 'on-complete': { routes: ['audit'] } });

    expect(await posted([execution.id], 2)).toEqual(['audit|succeeded|Action chat.deploy completed.', 'chat|succeeded|1.2 by admin: deployed 1.2 (token ********)']);
    const sent = await notifications(execution.id);
    expect(sent.map((i) => i.payload.route).sort()).toEqual(['audit', 'chat']);
    expect(sent.find((i) => i.payload.route === 'chat')).toMatchObject({
      trigger: NOTIFY_TRIGGER,
      trace_tag: execution.id,
      payload: {
        execution_id: execution.id,
        status: 'succeeded',
        action_ref: 'chat.deploy',
        runner_ref: 'local-shell-cmd',
        route: 'chat',
        channel: 'chat',
        start_timestamp: execution.start_timestamp,
        end_timestamp: execution.end_timestamp,
        message: '1.2 by admin: deployed 1.2 (token ********)',
        data: { version: '1.2', team: 'ops', result: expect.any(String) },
      },
    });
    // As StackStorm sends it: the result as JSON text.
    expect(JSON.parse(sent.find((i) => i.payload.route === 'chat')!.payload.data.result)).toEqual(execution.result);
    expect(platform.responses.join('\n')).not.toContain(SECRET);
    const rows = await sql<{ row: string }>`select t::text as row from trigger_instances t`.execute(platform.database.db);
    expect(rows.rows.filter((r) => r.row.includes(SECRET))).toEqual([]);
  });

  it('sends on-failure only when the execution failed, and on-complete whatever its end', async () => {
    const execution = await start({ action: 'chat.deploy', parameters: { version: '1.3', code: 3 } });
    expect(execution.status).toBe('failed');
    expect(await posted([execution.id], 2)).toEqual(['audit|failed|Action chat.deploy completed.', 'pager|failed|Action chat.deploy failed.']);
    expect((await notifications(execution.id)).map((i) => i.payload.route).sort()).toEqual(['audit', 'pager']);
  });

  it('shows each notification in the execution\'s trace, with the rule enforcement it caused', async () => {
    const execution = await start({ action: 'chat.deploy', parameters: { version: '1.4' } });
    await posted([execution.id], 2);
    const trace = await eventually(
      async () => {
        const body = (await platform.api<Json>(`/traces/${execution.id}`)).body;
        return body.rule_enforcements?.length === 2 ? body : undefined;
      },
      'both enforcements in the trace',
      20_000,
    );
    expect(trace.trigger_instance_details.filter((i: Json) => i.trigger === NOTIFY_TRIGGER).map((i: Json) => i.payload.route).sort()).toEqual(['audit', 'chat']);
    expect(trace.rule_enforcements.map((e: Json) => e.rule_ref)).toEqual(['chat.post', 'chat.post']);
    // The execution the trace is named after first (as StackStorm's trace of a run holds it), then what its notifications started.
    expect(trace.executions.map((e: Json) => e.action.ref)).toEqual(['chat.deploy', 'core.local', 'core.local']);
    const notified = trace.trigger_instances.filter((c: Json) => c.ref === NOTIFY_TRIGGER);
    expect(notified.map((c: Json) => c.caused_by)).toEqual([{ type: 'action_execution', id: execution.id }, { type: 'action_execution', id: execution.id }]);
  });

  it('takes notify on POST /executions as StackStorm\'s API does (channels read as routes, st2kv.system in templates), and refuses a bad one naming the field', async () => {
    expect((await platform.api('/keys/chat.room', { method: 'PUT', as: 'admin', body: JSON.stringify({ value: '#ops' }) })).status).toBe(200);
    const message = 'said {{ action_results.stdout }} in {{ st2kv.system.chat.room }}';
    const execution = await start({ action: 'chat.plain', notify: { 'on-complete': { channels: ['api'], message } } });
    expect(execution.notify).toEqual({ 'on-complete': { routes: ['api'], message } });
    expect(await posted([execution.id], 1)).toEqual(['api|succeeded|said plain in #ops']);

    const refused = await platform.api<Json>('/executions', { method: 'POST', body: JSON.stringify({ action: 'chat.plain', notify: { 'on-sucess': { routes: ['api'] }, 'on-failure': { routes: 'pager' } } }) });
    expect(refused.status).toBe(400);
    expect(JSON.stringify(refused.body)).toContain('notify.on-sucess: not a notify event (expected on-complete, on-success, on-failure)');
    expect(JSON.stringify(refused.body)).toContain('notify.on-failure.routes: expected a list of route names');
  });

  it('notifies ActionChain tasks: a task\'s own notify, else the chain\'s, none for a task in skip_notify; in the chain\'s trace', async () => {
    const chain = await start({ action: 'chat.relay', parameters: { skip_notify: ['third'] } });
    expect(chain.status).toBe('succeeded');
    const tasks = (await platform.api<Json[]>(`/executions/${chain.id}/children`)).body;
    const [first, second, third] = ['first', 'second', 'third'].map((task) => tasks.find((c) => c.context.task === task)!);
    expect([first.notify, second.notify, third.notify]).toEqual([{ 'on-success': { message: 'first said {{ action_results.stdout }}', routes: ['task'] } }, { 'on-complete': { routes: ['chain'] } }, undefined]);
    const ids = [chain.id, first.id, second.id, third.id];
    expect(await posted(ids, 3)).toEqual(['chain|succeeded|Action chat.relay completed.', 'chain|succeeded|Action core.local completed.', 'task|succeeded|first said first']);
    expect(await notifications(third.id)).toEqual([]);
    const trace = (await platform.api<Json>(`/traces/${chain.id}`)).body;
    expect(trace.trigger_instance_details.filter((i: Json) => i.trigger === NOTIFY_TRIGGER).map((i: Json) => i.payload.execution_id).sort()).toEqual([chain.id, first.id, second.id].sort());
  });

  it('notifies the Orquesta tasks its notify parameter names, with the workflow\'s notify', async () => {
    const flow = await start({ action: 'chat.flow' });
    expect(flow.status).toBe('succeeded');
    const tasks = (await platform.api<Json[]>(`/executions/${flow.id}/children`)).body;
    const one = tasks.find((c) => c.parameters.cmd === 'echo one')!;
    const two = tasks.find((c) => c.parameters.cmd === 'echo two')!;
    expect(await posted([flow.id, one.id, two.id], 2)).toEqual(['flow|succeeded|Action chat.flow completed.', 'flow|succeeded|Action core.local completed.']);
    expect((await notifications(one.id)).map((i) => i.payload.route)).toEqual(['flow']);
    expect(await notifications(two.id)).toEqual([]);

    // As StackStorm's: a task the parameter names that the workflow does not have fails it before any task runs.
    const refused = await start({ action: 'chat.flow', parameters: { notify: ['one', 'tree'] } });
    expect(refused).toMatchObject({ status: 'failed', result: { error: 'The following tasks in the notify parameter do not exist in the workflow definition: tree.' } });
    expect((await platform.api<Json[]>(`/executions/${refused.id}/children`)).body).toEqual([]);
  });
});
