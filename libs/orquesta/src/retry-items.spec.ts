// Retry, delay, action-less tasks and with-items, ported from Orquesta's
// orquesta/tests/unit/conducting/test_task_retry.py, test_task_with_no_action.py,
// test_workflow_conductor_with_items_failure.py and native/test_task_rendering_for_with_items.py.
// The driver answers each request as `answer` says, after every step (as st2 does).
import { OrquestaConductor, type OrquestaState, type Step, type TaskRequest, type TaskResult } from './index';

type Answer = (request: TaskRequest, nth: number) => Pick<TaskResult, 'status' | 'result'>;

function run(yaml: string, answer: Answer = () => ({ status: 'succeeded', result: null }), input: Record<string, unknown> = {}) {
  const conductor = new OrquestaConductor(yaml);
  const started = conductor.start(input);
  let state: OrquestaState = started.state;
  let step: Step = started.step;
  const requests: TaskRequest[] = [...step.schedule];
  const queue = [...step.schedule];
  const count: Record<string, number> = {};
  while (queue.length) {
    const request = queue.shift()!;
    const nth = (count[request.task] = (count[request.task] ?? 0) + 1);
    ({ state, step } = conductor.complete(state, { id: request.id, ...answer(request, nth) }));
    requests.push(...step.schedule);
    queue.push(...step.schedule);
  }
  return { state, done: step.done ?? started.step.done, requests, sequence: state.sequence.map((t) => t.id) };
}

const failFirst = (task: string, times: number): Answer => (r, nth) => ({ status: r.task === task && nth <= times ? 'failed' : 'succeeded', result: null });

const RETRY = (retry: string, extra = '') => `
version: 1.0
tasks:
  task1:${extra}
    action: core.echo message="$RANDOM"
${retry}
    next:
      - when: <% succeeded() %>
        do: task2
  task2:
    action: core.noop
`;

describe('retry (test_task_retry.py)', () => {
  it('test_basic_retry: retried after the delay, then the flow goes on', () => {
    const { requests, sequence, done } = run(RETRY('    retry:\n      delay: 1\n      count: 3'), failFirst('task1', 1));
    expect(requests.map((r) => [r.id, r.delaySeconds])).toEqual([['task1', undefined], ['task1#2', 1], ['task2', undefined]]);
    expect(sequence).toEqual(['task1', 'task2']);
    expect(done?.status).toBe('succeeded');
    expect(requests[0].input).toEqual({ message: '$RANDOM' });
  });

  it('test_retries_exhausted: three retries, then the workflow fails', () => {
    const { requests, sequence, state, done } = run(RETRY('    retry:\n      count: 3'), failFirst('task1', 9));
    expect(requests.map((r) => r.id)).toEqual(['task1', 'task1#2', 'task1#3', 'task1#4']);
    expect(sequence).toEqual(['task1']);
    expect(state.sequence[0].retry).toEqual({ count: 3, tally: 3 });
    expect(done?.status).toBe('failed');
  });

  it('test_retries_exhausted_and_task_remediated: the failure transition runs after the last retry', () => {
    const yaml = `
version: 1.0
tasks:
  task1:
    action: core.echo message="$RANDOM"
    retry:
      count: 3
    next:
      - when: <% succeeded() %>
        do: task2
      - when: <% failed() %>
        do: task3
  task2:
    action: core.noop
  task3:
    action: core.echo message="BOOM!"
    next:
      - do: fail
`;
    const { requests, sequence, done } = run(yaml, failFirst('task1', 9));
    expect(requests.map((r) => r.id)).toEqual(['task1', 'task1#2', 'task1#3', 'task1#4', 'task3']);
    expect(sequence).toEqual(['task1', 'task3', 'fail']);
    expect(done?.status).toBe('failed');
  });

  it('test_retry_delay_with_task_delay_defined: the retry delay replaces the task delay', () => {
    const { requests } = run(RETRY('    retry:\n      delay: 1\n      count: 3', '\n    delay: 2'), failFirst('task1', 1));
    expect(requests.map((r) => [r.id, r.delaySeconds])).toEqual([['task1', 2], ['task1#2', 1], ['task2', undefined]]);
  });

  it('test_no_retry_delay_with_task_delay_defined: a retry without delay runs at once', () => {
    const { requests } = run(RETRY('    retry:\n      count: 3', '\n    delay: 2'), failFirst('task1', 1));
    expect(requests.map((r) => [r.id, r.delaySeconds])).toEqual([['task1', 2], ['task1#2', undefined], ['task2', undefined]]);
  });

  it('test_retry_command: `do: retry` retries (count 3, when as written)', () => {
    const yaml = `
version: 1.0
tasks:
  task1:
    action: core.echo message="$RANDOM"
    next:
      - when: <% failed() %>
        do: retry
      - when: <% succeeded() %>
        do: task2
  task2:
    action: core.noop
`;
    const { requests, sequence, state, done } = run(yaml, failFirst('task1', 1));
    expect(requests.map((r) => r.id)).toEqual(['task1', 'task1#2', 'task2']);
    expect(sequence).toEqual(['task1', 'task2']);
    expect(state.sequence[0].retry).toEqual({ when: '<% failed() %>', count: 3, tally: 1 });
    expect(done?.status).toBe('succeeded');
  });

  it('retries when the `when` condition holds on a succeeded result', () => {
    const yaml = `
version: 1.0
tasks:
  task1:
    action: core.local cmd=check
    retry:
      when: <% succeeded() and result().stdout != 'ready' %>
      count: 5
`;
    const { requests, done } = run(yaml, (_r, nth) => ({ status: 'succeeded', result: { stdout: nth < 3 ? 'wait' : 'ready' } }));
    expect(requests.map((r) => r.id)).toEqual(['task1', 'task1#2', 'task1#3']);
    expect(done?.status).toBe('succeeded');
  });
});

describe('tasks without an action (test_task_with_no_action.py)', () => {
  it.each([
    ['test_init_task_with_no_action', 'task1:\n    next:\n      - publish: xyz=123\n        do: task2\n  task2:\n    action: core.echo message=<% ctx(xyz) %>', ['task1', 'task2']],
    ['test_next_task_with_no_action', 'task0:\n    action: core.noop\n    next:\n      - do: task1\n  task1:\n    next:\n      - publish: xyz=123\n        do: task2\n  task2:\n    action: core.echo message=<% ctx(xyz) %>', ['task0', 'task1', 'task2']],
  ])('%s: completes at once and publishes', (_name, tasks, sequence) => {
    const result = run(`version: 1.0\ntasks:\n  ${tasks}\n`);
    expect(result.sequence).toEqual(sequence);
    expect(result.requests.find((r) => r.task === 'task2')?.input).toEqual({ message: 123 });
    expect(result.done?.status).toBe('succeeded');
  });
});

const ITEMS = (withSpec: string, next = '') => `
version: 1.0
vars:
  - xs:
      - fee
      - fi
      - fo
      - fum
tasks:
  task1:
    with: ${withSpec}
    action: core.echo message=<% item() %>${next}
${next ? '  task2:\n    action: core.noop\n' : ''}`;

describe('with items (test_workflow_conductor_with_items_failure.py)', () => {
  it('a failed item fails the task once no item runs, and the workflow with it', () => {
    const { requests, sequence, done } = run(ITEMS('<% ctx(xs) %>'), (r) => ({ status: r.item === 1 ? 'failed' : 'succeeded', result: r.input['message'] }));
    expect(requests.map((r) => r.id)).toEqual(['task1[0]', 'task1[1]', 'task1[2]', 'task1[3]']);
    expect(sequence).toEqual(['task1']);
    expect(done?.status).toBe('failed');
    expect(done?.errors).toEqual([{ type: 'error', message: 'Execution failed. See result for details.', task_id: 'task1', result: 'fi' }]);
  });

  it('test_failed_item_task_dormant_with_concurrency: items not started stay unstarted', () => {
    const { requests, done } = run(ITEMS('\n      items: <% ctx(xs) %>\n      concurrency: 1'), (r) => ({ status: r.item === 1 ? 'failed' : 'succeeded', result: null }));
    expect(requests.map((r) => r.id)).toEqual(['task1[0]', 'task1[1]']);
    expect(done?.status).toBe('failed');
  });

  it('test_failed_item_with_task_remediation: a transition on the failed task remediates it', () => {
    const yaml = ITEMS('<% ctx(xs) %>', '\n    next:\n      - do: task2\n        publish: items=<% result() %>') + 'output:\n  - items: <% ctx(items) %>\n';
    const { requests, done } = run(yaml, (r) => ({ status: r.item === 1 ? 'failed' : 'succeeded', result: r.input['message'] ?? null }));
    expect(requests.map((r) => r.id)).toEqual(['task1[0]', 'task1[1]', 'task1[2]', 'task1[3]', 'task2']);
    expect(done?.status).toBe('succeeded');
    expect(done?.output).toEqual({ items: ['fee', 'fi', 'fo', 'fum'] });
  });

  it('an empty list completes the task at once with result []', () => {
    const yaml = 'version: 1.0\ntasks:\n  task1:\n    with: <% [] %>\n    action: core.noop\n    next:\n      - publish: r=<% result() %>\noutput:\n  - r: <% ctx(r) %>\n';
    const { requests, done } = run(yaml);
    expect(requests).toEqual([]);
    expect(done).toEqual({ status: 'succeeded', output: { r: [] }, errors: [] });
  });
});

describe('with items rendering (native/test_task_rendering_for_with_items.py)', () => {
  it.each([
    ['test_bad_item_key', 'x in <% ctx(xs) %>', '<% item(y) %>', `YaqlEvaluationException: Unable to evaluate expression '<% item(y) %>'. ExpressionEvaluationException: Item does not have key "y".`],
    ['test_bad_item_type', '<% ctx(xs) %>', '<% item(x) %>', `YaqlEvaluationException: Unable to evaluate expression '<% item(x) %>'. ExpressionEvaluationException: Item is not type of collections.abc.Mapping.`],
  ])('%s', (_name, withSpec, message, error) => {
    const yaml = `version: 1.0\nvars:\n  - xs:\n      - fee\n      - fi\ntasks:\n  task1:\n    with: ${withSpec}\n    action: core.echo message=${message}\n`;
    expect(run(yaml).done).toEqual({ status: 'failed', output: null, errors: [{ type: 'error', message: error, task_id: 'task1', route: 0 }] });
  });

  it('test_bad_items_type', () => {
    const yaml = 'version: 1.0\nvars:\n  - xs: fee fi fo fum\ntasks:\n  task1:\n    with: x in <% ctx(xs) %>\n    action: core.echo message=<% item(y) %>\n';
    expect(run(yaml).done?.errors).toEqual([{ type: 'error', message: 'TypeError: The value of "<% ctx(xs) %>" is not type of list.', task_id: 'task1', route: 0 }]);
  });

  it('test_multiple_lists_rendering', () => {
    const yaml = 'version: 1.0\nvars:\n  - xs: [foo, fu, marco]\n  - ys: [bar, bar, polo]\ntasks:\n  task1:\n    with: x, y in <% zip(ctx(xs), ctx(ys)) %>\n    action: core.echo message=<% item(x) + item(y) %>\n';
    const conductor = new OrquestaConductor(yaml);
    expect(conductor.start({}).step.schedule.map((r) => [r.action, r.input, r.item])).toEqual([
      ['core.echo', { message: 'foobar' }, 0],
      ['core.echo', { message: 'fubar' }, 1],
      ['core.echo', { message: 'marcopolo' }, 2],
    ]);
  });
});
