// POST /workflows/inspect, as StackStorm's (st2api/tests/unit/controllers/v1/test_workflow_inspection.py and
// st2tests/integration/orquesta/test_wiring_error_handling.py: test_task_content_errors), on the real
// gateway and Postgres with the repo's core pack registered.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { findRepoRoot } from '@tempest/config';
import { registerPack } from '@tempest/packs';
import { captureLogs, createTestDatabase, testConfig, type TestDatabase } from '@tempest/testing';
import { createGatewayApp } from '../app';
import { WorkflowInspectionController } from './workflow-inspection.controller';

const ADMIN_KEY = 'tpst_test-admin-key-workflow-inspect-01';
const EXAMPLES = join(findRepoRoot(), 'libs/packs/fixtures/stackstorm/examples/actions');
const TASK = String.raw`properties.tasks.patternProperties.^\w+$`;
type Json = any; // eslint-disable-line @typescript-eslint/no-explicit-any

describe(WorkflowInspectionController.name, () => {
  let database: TestDatabase;
  let app: NestFastifyApplication;
  let url: string;

  async function inspect(body: string, contentType = 'text/plain'): Promise<{ status: number; body: Json }> {
    const response = await fetch(url, { method: 'POST', headers: { 'X-Api-Key': ADMIN_KEY, 'content-type': contentType }, body });
    return { status: response.status, body: await response.json() };
  }

  beforeAll(async () => {
    database = await createTestDatabase();
    const registered = await registerPack(database.db, join(findRepoRoot(), 'packs/core'), findRepoRoot());
    expect(registered).not.toHaveProperty('problems');
    app = await createGatewayApp(testConfig({ DATABASE_URL: database.url, TEMPEST_ADMIN_API_KEY: ADMIN_KEY }), captureLogs('gateway', 'warn').logger);
    await app.listen({ host: '127.0.0.1', port: 0 });
    url = `http://127.0.0.1:${(app.getHttpServer().address() as { port: number }).port}/api/v1/workflows/inspect`;
  });
  afterAll(async () => {
    await app?.close();
    await database?.drop();
  });

  it('answers 200 and an empty list for a workflow that can run', async () => {
    expect(await inspect(readFileSync(join(EXAMPLES, 'workflows/orquesta-sequential.yaml'), 'utf8'))).toEqual({ status: 200, body: [] });
  });

  it("lists st2's inspection errors of StackStorm's orquesta-fail-inspection, with task and line", async () => {
    const { status, body } = await inspect(readFileSync(join(EXAMPLES, 'workflows/tests/orquesta-fail-inspection.yaml'), 'utf8'));
    expect(status).toBe(200);
    expect(body).toEqual([
      { type: 'content', message: 'The action "std.noop" is not registered in the database.', schema_path: `${TASK}.properties.action`, spec_path: 'tasks.task3.action', task: 'task3', line: 23 },
      { type: 'context', language: 'yaql', expression: '<% ctx().foobar %>', message: 'Variable "foobar" is referenced before assignment.', schema_path: `${TASK}.properties.input`, spec_path: 'tasks.task1.input', task: 'task1', line: 10 },
      { type: 'expression', language: 'yaql', expression: '<% <% succeeded() %>', message: "Parse error: unexpected '<' at position 0 of expression '<% succeeded()'", schema_path: `${TASK}.properties.next.items.properties.when`, spec_path: 'tasks.task2.next[0].when', task: 'task2', line: 20 },
      { type: 'syntax', message: expect.any(String), schema_path: `${TASK}.properties.input`, spec_path: 'tasks.task2.input', task: 'task2', line: 18 },
    ]);
  });

  it("checks task contents against the registry, as st2's test_task_content_errors", async () => {
    const { status, body } = await inspect(readFileSync(join(EXAMPLES, 'workflows/tests/orquesta-fail-inspection-task-contents.yaml'), 'utf8'));
    expect(status).toBe(200);
    expect(body).toEqual([
      { type: 'content', message: 'The action reference "echo" is not formatted correctly.', schema_path: `${TASK}.properties.action`, spec_path: 'tasks.task1.action', task: 'task1', line: 16 },
      { type: 'content', message: 'The action "core.echoz" is not registered in the database.', schema_path: `${TASK}.properties.action`, spec_path: 'tasks.task2.action', task: 'task2', line: 22 },
      { type: 'content', message: 'Action "core.echo" is missing required input "message".', schema_path: `${TASK}.properties.input`, spec_path: 'tasks.task3.input', task: 'task3', line: 32 },
      { type: 'content', message: 'Action "core.echo" has unexpected input "messages".', schema_path: `${TASK}.properties.input.patternProperties.^\\w+$`, spec_path: 'tasks.task3.input.messages', task: 'task3', line: 32 },
    ]);
  });

  it('inspects an action chain, told by its `chain` or named by runner_type in a JSON body', async () => {
    const chain = 'chain:\n  - name: c1\n    ref: core.local\n    params:\n      cmd: echo hi\n    on-success: c2\n  - name: c2\n    ref: ops.missing\n';
    const expected = [
      { type: 'content', message: 'The action "ops.missing" is not registered in the database.', schema_path: 'properties.chain.items.properties.ref', spec_path: 'chain[1].ref', task: 'c2', line: 8 },
    ];
    expect(await inspect(chain)).toEqual({ status: 200, body: expected });
    expect(await inspect(JSON.stringify({ definition: chain, runner_type: 'action-chain' }), 'application/json')).toEqual({ status: 200, body: expected });
    expect(await inspect(JSON.stringify({ definition: readFileSync(join(EXAMPLES, 'workflows/orquesta-sequential.yaml'), 'utf8') }), 'application/json')).toEqual({ status: 200, body: [] });
    // Named Orquesta, a chain is missing its tasks.
    expect((await inspect(JSON.stringify({ definition: chain, runner_type: 'orquesta' }), 'application/json')).body).toEqual(expect.arrayContaining([expect.objectContaining({ type: 'syntax', message: "'tasks' is a required property." })]));
  });

  it('answers malformed YAML with a syntax error naming its line, where st2 answers 500', async () => {
    expect(await inspect('version: 1.0\ntasks:\n  t1:\n    action: [core.noop\n')).toEqual({
      status: 200,
      body: [{ type: 'syntax', message: expect.stringMatching(/^YAML: /), schema_path: '', spec_path: '', line: expect.any(Number) }],
    });
    // An alias bomb: refused by the parser's alias budget, named as a problem.
    const bomb = ['a: &a [x, x, x, x, x, x, x, x, x]', ...'bcdefg'.split('').map((n, i) => `${n}: &${n} [${Array(9).fill(`*${'abcdefg'[i]}`).join(', ')}]`), 'version: 1.0', 'tasks:', '  t1: {action: core.noop, input: {x: *g}}', ''].join('\n');
    expect(await inspect(bomb)).toMatchObject({ status: 200, body: expect.arrayContaining([expect.objectContaining({ type: 'syntax' })]) });
  });

  it('refuses, as st2 does with 400, an empty body and a definition that is not a mapping; and what it cannot read, naming the field', async () => {
    expect(await inspect('')).toMatchObject({ status: 400, body: { message: [expect.stringContaining('no workflow definition')] } });
    expect(await inspect('  \n# nothing\n')).toMatchObject({ status: 400, body: { message: [expect.stringContaining('no workflow definition')] } });
    expect(await inspect('- a\n- b\n')).toMatchObject({ status: 400, body: { message: ['the workflow definition is not a YAML mapping (got a list)'] } });
    expect(await inspect(JSON.stringify({ definition: 5 }), 'application/json')).toMatchObject({ status: 400, body: { message: ['definition: must be the workflow definition, YAML text'] } });
    expect(await inspect(JSON.stringify({ definition: 'chain: []', runner_type: 'local-shell-cmd' }), 'application/json')).toMatchObject({ status: 400, body: { message: ['runner_type: must be one of orquesta, orchestra, action-chain'] } });
    expect(await inspect(JSON.stringify({ definition: 'chain: []', wf: 1 }), 'application/json')).toMatchObject({ status: 400, body: { message: ['wf: is not a field of the body (definition, runner_type)'] } });
    expect(await inspect('version: 1.0', 'application/x-yaml')).toMatchObject({ status: 415 });
    expect(await inspect(`version: 1.0\ndescription: "${'x'.repeat(1024 * 1024)}"\n`)).toMatchObject({ status: 413 });
  });
});
