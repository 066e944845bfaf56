import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { findRepoRoot } from '@tempest/config';
import { eventually, runProcess, startTestPlatform, type TestPlatform } from '@tempest/testing';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const APPROVAL_SCHEMA = { type: 'object', properties: { approve: { type: 'boolean', required: true }, reason: { type: 'string' } } };

/** A workflow that asks before it acts, and acts on the answer. */
const GATED: Record<string, string> = {
  'pack.yaml': 'name: gated\ndescription: asks before acting\nversion: 1.0.0\nauthor: test\n',
  'actions/clean.yaml': 'name: clean\nrunner_type: orquesta\nentry_point: workflows/clean.yaml\nparameters:\n  out: { type: string, required: true }\n',
  'actions/workflows/clean.yaml': [
    'version: 1.0',
    'input: [out]',
    'tasks:',
    '  ask:',
    '    action: core.ask',
    '    input:',
    `      schema: ${JSON.stringify(APPROVAL_SCHEMA)}`,
    '      users: [alice]',
    '      route: oncall',
    '    next:',
    '      - when: <% succeeded() and result().response.approve %>',
    '        publish:',
    '          - reason: <% result().response.reason %>',
    '        do: act',
    '  act:',
    '    action: core.local',
    '    input:',
    `      cmd: 'echo "approved: <% ctx(reason) %>" > <% ctx(out) %>'`,
    'output:',
    '  - reason: <% ctx(reason) %>',
    '',
  ].join('\n'),
  // The question asked one level down: the sub-workflow and the root both show paused while it waits.
  'actions/outer.yaml': 'name: outer\nrunner_type: orquesta\nentry_point: workflows/outer.yaml\nparameters:\n  out: { type: string, required: true }\n',
  'actions/workflows/outer.yaml': ['version: 1.0', 'input: [out]', 'tasks:', '  inner:', '    action: gated.clean', '    input:', '      out: <% ctx(out) %>', ''].join('\n'),
};

describe('inquiries (core.ask): waiting durably for a human', () => {
  const root = mkdtempSync(join(tmpdir(), 'tempest-inquiries-'));
  let platform: TestPlatform;

  beforeAll(async () => {
    cpSync(join(findRepoRoot(), 'packs', 'core'), join(root, 'packs', 'core'), { recursive: true });
    for (const [file, text] of Object.entries(GATED)) {
      mkdirSync(join(root, 'packs/gated', file, '..'), { recursive: true });
      writeFileSync(join(root, 'packs/gated', file), text);
    }
    platform = await startTestPlatform({ root, users: ['alice', 'bob'] });
  });
  afterAll(async () => {
    await platform?.stop();
    rmSync(root, { recursive: true, force: true });
  });

  const status = async (id: string) => (await platform.api<Json>(`/executions/${id}`, { as: 'admin' })).body.status;
  const respond = (id: string, response: unknown, as: string) => platform.api<Json>(`/inquiries/${id}`, { method: 'PUT', as, body: JSON.stringify({ id, response }) });

  it('waits pending and announces itself; refuses a response that breaks its schema or comes from someone not asked, then takes the right one', async () => {
    const created = await platform.api<Json>('/executions', { method: 'POST', as: 'admin', body: JSON.stringify({ action: 'core.ask', parameters: { schema: APPROVAL_SCHEMA, users: ['alice'], route: 'oncall' } }) });
    expect(created.status).toBe(201);
    const id: string = created.body.id;
    await eventually(async () => (await status(id)) === 'pending', 'the inquiry to wait', 20_000);

    const announced = await eventually(
      async () => (await platform.api<Json[]>('/triggerinstances?trigger=core.st2.generic.inquiry', { as: 'admin' })).body.find((i) => i.payload.id === id),
      'the core.st2.generic.inquiry trigger instance',
      10_000,
    );
    expect(announced.payload).toEqual({ id, route: 'oncall' });
    expect((await platform.api<Json[]>('/inquiries', { as: 'admin' })).body).toContainEqual(expect.objectContaining({ id, route: 'oncall', ttl: 1440, users: ['alice'], roles: [], schema: APPROVAL_SCHEMA, status: 'pending' }));

    expect(await respond(id, { approve: 'yes' }, 'alice')).toMatchObject({ status: 400, body: { message: ['response.approve: expected boolean, got string "yes"'] } });
    expect(await respond(id, { reason: 'why not' }, 'alice')).toMatchObject({ status: 400, body: { message: ['response.approve: required'] } });
    expect(await respond(id, { approve: true }, 'bob')).toMatchObject({ status: 403, body: { message: `user "bob" may not respond to inquiry ${id}` } });
    expect(await status(id)).toBe('pending');

    expect(await respond(id, { approve: true, reason: 'disk full' }, 'alice')).toEqual({ status: 200, body: { id, response: { approve: true, reason: 'disk full' } } });
    await platform.temporal.workflow.getHandle(id).result();
    const answered = (await platform.api<Json>(`/executions/${id}`, { as: 'admin' })).body;
    expect(answered).toMatchObject({ status: 'succeeded', result: { schema: APPROVAL_SCHEMA, users: ['alice'], roles: [], route: 'oncall', ttl: 1440, response: { approve: true, reason: 'disk full' } } });
    expect(answered.status_history.map((s: Json) => s.status)).toEqual(['requested', 'scheduled', 'running', 'pending', 'succeeded']);
    expect(await respond(id, { approve: false }, 'alice')).toMatchObject({ status: 409 });
    expect((await platform.api<Json[]>('/inquiries', { as: 'admin' })).body.map((i) => i.id)).not.toContain(id);
  });

  it('answers 404 for an execution that is not an inquiry, and 400 for a body without a response', async () => {
    expect((await platform.api('/inquiries/00000000-0000-4000-8000-000000000000', { as: 'admin' })).status).toBe(404);
    const created = await platform.api<Json>('/executions', { method: 'POST', as: 'admin', body: JSON.stringify({ action: 'core.ask', parameters: {} }) });
    await eventually(async () => (await status(created.body.id)) === 'pending', 'the inquiry to wait', 20_000);
    expect(await platform.api<Json>(`/inquiries/${created.body.id}`, { method: 'PUT', as: 'admin', body: JSON.stringify({ answer: true }) })).toMatchObject({ status: 400 });
    expect((await platform.api<Json>(`/executions/${created.body.id}`, { method: 'DELETE', as: 'admin' })).status).toBe(200);
    await eventually(async () => (await status(created.body.id)) === 'canceled', 'the inquiry to be canceled', 20_000);
  });

  const history = async (id: string) => (await platform.api<Json>(`/executions/${id}`, { as: 'admin' })).body.status_history.map((s: Json) => s.status);
  const statusIs = (id: string, wanted: string) => eventually(async () => (await status(id)) === wanted || undefined, `execution ${id} ${wanted}`, 30_000);
  const askedBy = (parent: string) =>
    eventually(async () => (await platform.api<Json[]>('/inquiries', { as: 'admin' })).body.find((i) => i.parent === parent), `an inquiry of ${parent}`, 30_000);

  it('shows the workflow waiting on a question, and the workflow above it, paused, with the inquiry pending; the answer resumes them, as StackStorm', async () => {
    const out = join(root, 'outer.txt');
    const started = await platform.api<Json>('/executions', { method: 'POST', as: 'admin', body: JSON.stringify({ action: 'gated.outer', parameters: { out } }) });
    expect(started.status).toBe(201);
    const id: string = started.body.id;
    const inner = await eventually(
      async () => (await platform.api<Json[]>(`/executions/${id}/children`, { as: 'admin' })).body.find((c) => c.parent === id),
      'the sub-workflow',
      30_000,
    );
    const inquiry = await askedBy(inner.id);
    await statusIs(inner.id, 'paused');
    await statusIs(id, 'paused');
    expect(await status(inquiry.id)).toBe('pending');

    expect((await respond(inquiry.id, { approve: true, reason: 'go' }, 'alice')).status).toBe(200);
    await platform.temporal.workflow.getHandle(id).result();
    for (const workflow of [id, inner.id]) {
      expect(await history(workflow)).toEqual(['requested', 'scheduled', 'running', 'pausing', 'paused', 'resuming', 'running', 'succeeded']);
    }
    expect(readFileSync(out, 'utf8')).toBe('approved: go\n');
  });

  it('cancels a workflow paused by its question: the inquiry is canceled and answers no more', async () => {
    const started = await platform.api<Json>('/executions', { method: 'POST', as: 'admin', body: JSON.stringify({ action: 'gated.clean', parameters: { out: join(root, 'never.txt') } }) });
    const id: string = started.body.id;
    const inquiry = await askedBy(id);
    await statusIs(id, 'paused');
    expect((await platform.api<Json>(`/executions/${id}`, { method: 'DELETE', as: 'admin' })).status).toBe(200);
    await statusIs(id, 'canceled');
    expect(await status(inquiry.id)).toBe('canceled');
    expect(await history(id)).toEqual(['requested', 'scheduled', 'running', 'pausing', 'paused', 'canceling', 'canceled']);
    expect((await respond(inquiry.id, { approve: true }, 'alice')).status).toBe(409);
  });

  // Last: it replaces the platform's worker and gateway.
  it('holds a workflow at the question across a restart of the worker and the gateway, and goes on with the CLI\'s answer', async () => {
    const out = join(root, 'cleaned.txt');
    const started = await platform.api<Json>('/executions', { method: 'POST', as: 'admin', body: JSON.stringify({ action: 'gated.clean', parameters: { out } }) });
    expect(started.status).toBe(201);
    const inquiry = await eventually(
      async () => (await platform.api<Json[]>('/inquiries', { as: 'admin' })).body.find((i) => i.parent === started.body.id),
      'the workflow to ask',
      20_000,
    );
    expect(inquiry).toMatchObject({ route: 'oncall', users: ['alice'], status: 'pending' });

    await statusIs(started.body.id, 'paused');

    // Nothing holds the question: the worker and the gateway die; new ones take over, the workflow still paused.
    for (const old of [platform.worker, platform.gateway]) {
      old.child.kill('SIGKILL');
      await old.exited;
    }
    const next = [runProcess(join(findRepoRoot(), 'dist/apps/gateway/src/main.js'), platform.gatewayEnv), runProcess(join(findRepoRoot(), 'dist/apps/worker/src/main.js'), platform.workerEnv)];
    try {
      await Promise.all([next[0].printed(/"gateway listening"/), next[1].printed(/"worker polling"/)]);
      expect(await status(started.body.id)).toBe('paused');
      // On-call answers from the CLI: a wrong answer is refused, naming the field, and the question stays open.
      const listed = await platform.tempest(['inquiry', 'list'], 'alice');
      expect(listed.stdout).toMatch(new RegExp(`\\n${inquiry.id}\\s+oncall\\s+alice\\s+1440\\s+${started.body.id}`));
      expect(await platform.tempest(['inquiry', 'respond', inquiry.id, '-r', '{"approve": "sure"}'], 'alice')).toMatchObject({ code: 1, stderr: 'tempest: response.approve: expected boolean, got string "sure"\n' });
      expect(await status(inquiry.id)).toBe('pending');
      expect(await platform.tempest(['inquiry', 'respond', inquiry.id, '-r', '{"approve": true, "reason": "on-call said yes"}'], 'alice')).toEqual({ code: 0, stdout: `Response accepted for inquiry ${inquiry.id}.\n`, stderr: '' });
      await platform.temporal.workflow.getHandle(started.body.id).result();
      expect((await platform.api<Json>(`/executions/${started.body.id}`, { as: 'admin' })).body).toMatchObject({ status: 'succeeded', result: { output: { reason: 'on-call said yes' } } });
      expect(readFileSync(out, 'utf8')).toBe('approved: on-call said yes\n');
      const shown = (await platform.tempest(['inquiry', 'get', inquiry.id])).stdout;
      expect(shown).toMatch(/^status\s+succeeded$/m);
      expect(JSON.parse(/^response\s+(.*)$/m.exec(shown)![1])).toEqual({ approve: true, reason: 'on-call said yes' });
    } finally {
      for (const process of next) {
        process.child.kill('SIGTERM');
        await process.exited;
      }
    }
  });
});
