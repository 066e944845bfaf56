// Ported from Orquesta's conducting tests (github:StackStorm/orquesta,
// orquesta/tests/unit/conducting/native/*.py, fixtures orquesta/tests/fixtures/workflows/native/*.yaml):
// each case drives the conductor, completing requests first-in first-out as Orquesta's rehearsal
// does, and compares the task sequence (`task__rN` off route 0), status, output and errors.
import { OrquestaConductor, parseDefinition, type OrquestaState, type Step, type TaskResult } from './index';

type Mock = { status?: TaskResult['status']; result?: unknown };

function drive(yaml: string, input: Record<string, unknown>, mocks: Record<string, Mock | Mock[]> = {}) {
  const conductor = new OrquestaConductor(yaml);
  const started = conductor.start(input);
  const step = started.step;
  let state = started.state;
  const queue = [...step.schedule];
  const requests = [...step.schedule];
  const seen: Record<string, number> = {};
  let last: Step = step;
  while (queue.length) {
    const request = queue.shift()!;
    const n = (seen[request.task] = (seen[request.task] ?? 0) + 1) - 1;
    const mock = mocks[request.task];
    const m: Mock = Array.isArray(mock) ? (mock[n] ?? {}) : (mock ?? {});
    ({ state, step: last } = conductor.complete(state, { id: request.id, status: m.status ?? 'succeeded', result: m.result ?? null }));
    queue.push(...last.schedule);
    requests.push(...last.schedule);
  }
  return { state, done: last.done ?? step.done, requests, sequence: sequenceOf(state) };
}

const sequenceOf = (state: OrquestaState) => state.sequence.map((t) => (t.route ? `${t.id}__r${t.route}` : t.id));

const SEQUENTIAL = `
version: 1.0
description: A basic sequential workflow.
input:
  - name
vars:
  - greeting: null
output:
  - greeting: <% ctx().greeting %>
tasks:
  task1:
    action: core.echo message=<% ctx().name %>
    next:
      - when: <% succeeded() %>
        publish: greeting=<% result() %>
        do: task2
  task2:
    action: core.echo
    input:
      message: "All your base are belong to us!"
    next:
      - when: <% succeeded() %>
        publish:
          - greeting: <% ctx("greeting") %>, <% result() %>
        do:
          - task3
  task3:
    action: core.echo message=<% ctx('greeting') %>
    next:
      - when: <% succeeded() %>
        publish: greeting=<% result() %>
`;

const ERROR_HANDLING_CONTINUE = `
version: 1.0
vars:
  - message: null
tasks:
  task1:
    action: core.noop
    next:
      - when: <% succeeded() %>
        do: task2
      - when: <% failed() %>
        publish:
          - message: "$%#&@#$!!!"
        do: continue
  task2:
    action: core.noop
    next:
      - when: <% succeeded() %>
        publish:
          - message: "hooray!!!"
output:
  - message: <% ctx().message %>
`;

const ERROR_HANDLING_FAIL = `
version: 1.0
vars:
  - message: null
tasks:
  task1:
    action: core.noop
    next:
      - when: <% succeeded() %>
        do: task2
      - when: <% failed() %>
        do: task3
  task2:
    action: core.noop
    next:
      - when: <% succeeded() %>
        publish:
          - message: "hooray!!!"
  task3:
    action: core.noop
    next:
      - when: <% succeeded() %>
        publish:
          - message: "$%#&@#$!!!"
        do: fail
output:
  - message: <% ctx().message %>
`;

const JOIN = `
version: 1.0
tasks:
  task1:
    action: core.noop
    next:
      - when: <% succeeded() %>
        do: task2, task4
  task2:
    action: core.noop
    next:
      - when: <% succeeded() %>
        do: task3
  task3:
    action: core.noop
    next:
      - when: <% succeeded() %>
        do: task6
  task4:
    action: core.noop
    next:
      - when: <% succeeded() %>
        do: task5
  task5:
    action: core.noop
    next:
      - when: <% succeeded() %>
        do: task6
  task6:
    join: all
    action: core.noop
    next:
      - when: <% succeeded() %>
        do: task7
  task7:
    action: core.noop
`;

describe('OrquestaConductor (Orquesta conducting tests)', () => {
  it('runs a sequence, publishing into the context (test_workflow_basic.py: sequential)', () => {
    const { done, sequence, requests } = drive(SEQUENTIAL, { name: 'Stanley' }, { task1: { result: 'Stanley' }, task2: { result: 'All your base are belong to us!' }, task3: { result: 'Stanley, All your base are belong to us!' } });
    expect(sequence).toEqual(['task1', 'task2', 'task3', 'continue']);
    expect(requests.map((r) => [r.id, r.action, r.input])).toEqual([
      ['task1', 'core.echo', { message: 'Stanley' }],
      ['task2', 'core.echo', { message: 'All your base are belong to us!' }],
      ['task3', 'core.echo', { message: 'Stanley, All your base are belong to us!' }],
    ]);
    expect(done).toEqual({ status: 'succeeded', output: { greeting: 'Stanley, All your base are belong to us!' }, errors: [] });
  });

  it.each([
    ['continue, success path', ERROR_HANDLING_CONTINUE, {}, ['task1', 'task2', 'continue__r1'], 'succeeded', { message: 'hooray!!!' }],
    ['continue, failure path', ERROR_HANDLING_CONTINUE, { task1: { status: 'failed' } }, ['task1', 'continue__r1'], 'failed', { message: '$%#&@#$!!!' }],
    ['fail, success path', ERROR_HANDLING_FAIL, {}, ['task1', 'task2', 'continue'], 'succeeded', { message: 'hooray!!!' }],
    ['fail, failure path', ERROR_HANDLING_FAIL, { task1: { status: 'failed' } }, ['task1', 'task3', 'fail'], 'failed', { message: '$%#&@#$!!!' }],
  ] as const)('error handling with %s (test_workflow_error_handling.py)', (_name, yaml, mocks, sequence, status, output) => {
    const run = drive(yaml, {}, mocks as Record<string, Mock>);
    expect(run.sequence).toEqual(sequence);
    expect(run.done?.status).toBe(status);
    expect(run.done?.output).toEqual(output);
  });

  it('reports the failed task and the fail command as Orquesta errors', () => {
    const run = drive(ERROR_HANDLING_FAIL, {}, { task1: { status: 'failed', result: { stderr: 'boom' } } });
    expect(run.done?.errors).toEqual([
      { type: 'error', message: 'Execution failed. See result for details.', task_id: 'task1', result: { stderr: 'boom' } },
      { type: 'error', message: 'Execution failed. See result for details.', task_id: 'fail' },
    ]);
  });

  it('fails the workflow when a failed task has no transition handling it', () => {
    const run = drive(JOIN, {}, { task1: { status: 'failed', result: 'x' } });
    expect(run.sequence).toEqual(['task1']);
    expect(run.done).toEqual({ status: 'failed', output: null, errors: [{ type: 'error', message: 'Execution failed. See result for details.', task_id: 'task1', result: 'x' }] });
  });

  it('joins all branches (test_workflow_join.py: test_join)', () => {
    const run = drive(JOIN, {});
    expect(run.sequence).toEqual(['task1', 'task2', 'task4', 'task3', 'task5', 'task6', 'task7']);
    expect(run.done?.status).toBe('succeeded');
  });

  it('fails with an unreachable join when both branches fail (test_workflow_join.py: test_join_no_inbound)', () => {
    const run = drive(JOIN, {}, { task3: { status: 'failed' }, task5: { status: 'failed' } });
    expect(run.sequence).toEqual(['task1', 'task2', 'task4', 'task3', 'task5']);
    expect(run.done?.status).toBe('failed');
  });

  it('runs with-items with concurrency and item() in the input (with-items-concurrency.yaml)', () => {
    const yaml = `
version: 1.0
input:
  - members
  - concurrency: 2
tasks:
  task1:
    with:
      items: <% ctx(members) %>
      concurrency: <% ctx(concurrency) %>
    action: core.echo message="<% item() %>, resistance is futile!"
    next:
      - when: <% succeeded() %>
        publish: items=<% result() %>
output:
  - items: <% ctx(items) %>
`;
    const conductor = new OrquestaConductor(yaml);
    let { state, step } = conductor.start({ members: ['Lakshmi', 'Lindsay', 'Tomaz'] });
    expect(step.schedule.map((r) => [r.id, r.item, r.input])).toEqual([
      ['task1[0]', 0, { message: 'Lakshmi, resistance is futile!' }],
      ['task1[1]', 1, { message: 'Lindsay, resistance is futile!' }],
    ]);
    ({ state, step } = conductor.complete(state, { id: 'task1[1]', status: 'succeeded', result: 'b' }));
    expect(step.schedule.map((r) => r.id)).toEqual(['task1[2]']);
    ({ state, step } = conductor.complete(state, { id: 'task1[0]', status: 'succeeded', result: 'a' }));
    expect(step.schedule).toEqual([]);
    ({ state, step } = conductor.complete(state, { id: 'task1[2]', status: 'succeeded', result: 'c' }));
    expect(step.done).toEqual({ status: 'succeeded', output: { items: ['a', 'b', 'c'] }, errors: [] });
  });

  it('zips several lists into named items (with-multi-items.yaml)', () => {
    const yaml = `
version: 1.0
input:
  - xs
  - ys
tasks:
  task1:
    with: x, y in <% zip(ctx(xs), ctx(ys)) %>
    action: core.echo message="<% item(x) %> <% item(y) %>"
`;
    const { state, step } = new OrquestaConductor(yaml).start({ xs: ['foo', 'fu'], ys: ['bar', 'baz'] });
    expect(step.schedule.map((r) => r.input)).toEqual([{ message: 'foo bar' }, { message: 'fu baz' }]);
    expect(state.status).toBe('running');
  });

  it('retries a failed task up to count, passing the delay (task-retry-spec.yaml)', () => {
    const yaml = `
version: 1.0
tasks:
  task1:
    action: core.noop
    retry:
      count: 2
      delay: 5
`;
    const run = drive(yaml, {}, { task1: [{ status: 'failed' }, { status: 'failed' }, { status: 'succeeded' }] });
    expect(run.requests.map((r) => [r.id, r.delaySeconds])).toEqual([
      ['task1', undefined],
      ['task1#2', 5],
      ['task1#3', 5],
    ]);
    expect(run.done?.status).toBe('succeeded');
  });

  it('goes around a cycle with a new id each pass (cycle.yaml)', () => {
    const yaml = `
version: 1.0
vars:
  - count: 0
tasks:
  prep:
    action: core.noop
    next:
      - do: task1
  task1:
    action: core.noop
    next:
      - do: task2
  task2:
    action: core.noop
    next:
      - publish: count=<% ctx(count) + 1 %>
        do: task3
  task3:
    action: core.noop
    next:
      - when: <% ctx(count) < 3 %>
        do: task1
output:
  - count: <% ctx(count) %>
`;
    const run = drive(yaml, {});
    expect(run.requests.map((r) => r.id)).toEqual(['prep', 'task1', 'task2', 'task3', 'task1#2', 'task2#2', 'task3#2', 'task1#3', 'task2#3', 'task3#3']);
    expect(run.done).toEqual({ status: 'succeeded', output: { count: 3 }, errors: [] });
  });

  it('fails with Orquesta\'s message when an expression cannot be evaluated', () => {
    const yaml = `
version: 1.0
tasks:
  task1:
    action: core.echo message=<% ctx('no' + 'pe') %>
`;
    const { step } = new OrquestaConductor(yaml).start({});
    expect(step.done).toEqual({
      status: 'failed',
      output: null,
      errors: [{ type: 'error', message: `YaqlEvaluationException: Unable to evaluate expression '<% ctx('no' + 'pe') %>'. VariableUndefinedError: The variable "nope" is undefined.`, task_id: 'task1', route: 0 }],
    });
  });
});

describe('OrquestaConductor (driver seams)', () => {
  const ONE = `
version: 1.0
input:
  - who
  - greeting: hello
tasks:
  task1:
    action: core.echo
    input:
      message: <% ctx(greeting) %> <% ctx(who) %> from <% ctx().st2.user %>, <% st2kv('system.motd') %>
`;

  it('reads the parent context and the datastore through the injected lookup', () => {
    const conductor = new OrquestaConductor(ONE, { context: { st2: { user: 'stanley' } }, lookup: (key, { decrypt }) => (key === 'system.motd' && !decrypt ? 'be nice' : undefined) });
    expect(conductor.start({ who: 'world' }).step.schedule.map((r) => r.input)).toEqual([{ message: 'hello world from stanley, be nice' }]);
  });

  it('refuses an input the workflow does not declare, and a missing required one', () => {
    const { step } = new OrquestaConductor(ONE, { contextNames: ['st2'] }).start({ whom: 'x' });
    expect(step).toEqual({
      schedule: [],
      done: {
        status: 'failed',
        output: null,
        errors: [
          { type: 'error', message: 'WorkflowInputError: The input "whom" is not defined in the workflow.' },
          { type: 'error', message: 'WorkflowInputError: The input "who" is required.' },
        ],
      },
    });
  });

  it('ends canceled when a task is canceled', () => {
    const conductor = new OrquestaConductor(JOIN);
    const started = conductor.start({});
    const { step } = conductor.complete(started.state, { id: 'task1', status: 'canceled', result: null });
    expect(step.done?.status).toBe('canceled');
  });

  it('keeps a failed workflow open until its running tasks report, then starts nothing new', () => {
    const conductor = new OrquestaConductor(JOIN);
    let { state, step } = conductor.start({});
    ({ state, step } = conductor.complete(state, { id: 'task1', status: 'succeeded', result: null }));
    expect(step.schedule.map((r) => r.id)).toEqual(['task2', 'task4']);
    ({ state, step } = conductor.complete(state, { id: 'task2', status: 'failed', result: null }));
    expect(step).toEqual({ schedule: [] });
    expect(state.status).toBe('failed');
    ({ state, step } = conductor.complete(state, { id: 'task4', status: 'succeeded', result: null }));
    expect(step.schedule).toEqual([]);
    expect(step.done?.status).toBe('failed');
  });

  it('refuses a result for a request it did not make', () => {
    const conductor = new OrquestaConductor(JOIN);
    const { state } = conductor.start({});
    expect(() => conductor.complete(state, { id: 'task9', status: 'succeeded', result: null })).toThrow('no task request "task9" is running in this workflow');
  });

  it('refuses a definition with problems, naming them', () => {
    expect(() => new OrquestaConductor('version: 1.0\ntasks:\n  t1:\n    action: core.noop\n    next:\n      - do: t2\n')).toThrow('tasks.t1.next[0].do (line 6): The task "t2" is not defined.');
  });

  it('keeps its state JSON (a round trip changes nothing)', () => {
    const conductor = new OrquestaConductor(JOIN);
    const { state } = conductor.start({});
    expect(JSON.parse(JSON.stringify(state))).toEqual(state);
  });
});

describe('OrquestaConductor (test_workflow_conductor_task_status.py, test_workflow_conductor_context.py)', () => {
  it('test_get_task_status_of_tasks_along_split: task_status() reads the route the split came from', () => {
    const yaml = `
version: 1.0
tasks:
  task1:
    action: core.noop
    next:
      - do: task3
  task2:
    action: core.noop
    next:
      - do: task3
  task3:
    action: core.noop
    next:
      - publish:
          - task1_status: <% task_status(task1) %>
          - task2_status: <% task_status(task2) %>
          - task3_status: <% task_status(task3) %>
output:
  - task1_status: <% ctx(task1_status) %>
  - task2_status: <% ctx(task2_status) %>
  - task3_status: <% ctx(task3_status) %>
`;
    const run = drive(yaml, {});
    expect(run.sequence).toEqual(['task1', 'task2', 'task3__r1', 'task3__r2', 'continue__r1', 'continue__r2']);
    expect(run.done).toEqual({ status: 'succeeded', output: { task1_status: 'succeeded', task2_status: 'succeeded', task3_status: 'succeeded' }, errors: [] });
  });

  it('test_bad_app_ctx_references: input, vars and output errors as Orquesta logs them', () => {
    const yaml = `
version: 1.0
input:
  - a: <% ctx().x %>
vars:
  - b: <% ctx().y %>
output:
  - x: <% ctx().a %>
  - y: <% ctx().b %>
  - z: <% ctx().z %>
tasks:
  task1:
    action: core.noop
`;
    // inspect() refuses this definition; the definition object bypasses it to check the run-time errors.
    const { step } = new OrquestaConductor(parseDefinition(yaml).definition!).start({});
    const unresolved = (key: string) => ({ type: 'error', message: `YaqlEvaluationException: Unable to resolve key '${key}' in expression '<% ctx().${key} %>' from context.` });
    expect(step).toEqual({ schedule: [], done: { status: 'failed', output: null, errors: ['x', 'y', 'a', 'b', 'z'].map(unresolved) } });
  });
});
