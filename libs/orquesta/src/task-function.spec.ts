// StackStorm's own Orquesta functions: task() as st2's orquesta_runner/orquesta_functions/runtime.py,
// ported from st2's contrib/runners/orquesta_runner/tests/unit/test_functions_task.py with its
// workflow contrib/examples/actions/workflows/tests/orquesta-test-yaql-task-functions.yaml.
import { renderTemplate } from '@tempest/templating';
import { OrquestaConductor, type OrquestaState, type Step, type TaskRequest } from './index';

/** Runs a workflow where core.echo returns its message and core.local echoes its `echo "x"` as stdout. */
function run(yaml: string, input: Record<string, unknown> = {}) {
  const conductor = new OrquestaConductor(yaml, { jinja: renderTemplate });
  const started = conductor.start(input);
  let state: OrquestaState = started.state;
  let step: Step = started.step;
  const queue: TaskRequest[] = [...step.schedule];
  while (queue.length) {
    const r = queue.shift()!;
    const stdout = r.action === 'core.echo' ? r.input['message'] : r.action === 'core.local' ? /echo "([^"]*)"/.exec(String(r.input['cmd']))?.[1] : undefined;
    ({ state, step } = conductor.complete(state, { id: r.id, status: 'succeeded', result: stdout === undefined ? null : { stdout } }));
    queue.push(...step.schedule);
  }
  return { state, done: step.done };
}

const TASK_FUNCTIONS = (x: (e: string) => string, kw: string) => `
version: 1.0
vars:
  - loop: True
tasks:
  task1:
    action: core.echo message="foobar"
    next:
      - publish:
          - this_task_no_arg: '${x('task().task_id')}'
          - this_task_by_name: '${x('task("task1").task_id')}'
        do: task2
  task2:
    action: core.noop
  task3:
    action: core.noop
    next:
      - do: task4
  task4:
    action: core.local
    input:
      cmd: 'echo "${x('ctx("loop")')}"; sleep 1'
    next:
      - when: '${x('ctx("loop") = true').replace(' = true', kw === '=>' ? ' = true' : ' == true')}'
        publish:
          - loop: False
        do: task4
      - when: '${x('ctx("loop") != true')}'
        do: task5
  task5:
    action: core.noop
  task6:
    action: core.noop
    next:
      - do: task8
  task7:
    action: core.noop
    next:
      - do: task8
  task8:
    action: core.noop
    next:
      - do: task9
  task9:
    action: core.echo
    input:
      message: '${x('task("task8").task_id + "__" + str(task("task8").route)').replace('str(task("task8").route)', kw === '=>' ? 'str(task("task8").route)' : 'task("task8").route | string')}'
output:
  - this_task_no_arg: '${x('ctx("this_task_no_arg")')}'
  - this_task_by_name: '${x('ctx("this_task_by_name")')}'
  - that_task_by_name: '${x('task("task1").task_id')}'
  - last_task4_result: '${x('task("task4").result.stdout')}'
  - task9__1__parent: '${x(`task("task9", route${kw}1).result.stdout`)}'
  - task9__2__parent: '${x(`task("task9", route${kw}2).result.stdout`)}'
`;

describe.each([
  ['yaql', TASK_FUNCTIONS((e) => `<% ${e} %>`, '=>')],
  ['jinja', TASK_FUNCTIONS((e) => `{{ ${e} }}`, '=')],
])('task() in %s (test_functions_task.py)', (_language, yaml) => {
  it('reads the task, in a cycle and across a split', () => {
    const { done } = run(yaml);
    expect(done).toEqual({
      status: 'succeeded',
      errors: [],
      output: { last_task4_result: 'False', task9__1__parent: 'task8__1', task9__2__parent: 'task8__2', that_task_by_name: 'task1', this_task_by_name: 'task1', this_task_no_arg: 'task1' },
    });
  });
});

describe('task()', () => {
  it('gives a with-items task result as st2 does: items of { status, result } (examples/orquesta-with-items.yaml)', () => {
    const yaml = `
version: 1.0
input:
  - members
tasks:
  task1:
    with: <% ctx(members) %>
    action: core.echo message="<% item() %>, resistance is futile!"
output:
  - items: <% task(task1).result.items.select($.result.stdout) %>
`;
    expect(run(yaml, { members: ['Lakshmi', 'Lindsay'] }).done?.output).toEqual({ items: ['Lakshmi, resistance is futile!', 'Lindsay, resistance is futile!'] });
  });

  it('fails for a task that did not run, with st2\'s message (orquesta-test-yaql-task-nonexistent.yaml)', () => {
    const yaml = 'version: 1.0\ntasks:\n  task1:\n    action: core.noop\n    next:\n      - publish:\n          - r: <% task("task0") %>\n';
    expect(run(yaml).done?.errors).toEqual([
      { type: 'error', message: `YaqlEvaluationException: Unable to evaluate expression '<% task("task0") %>'. ExpressionEvaluationException: Unable to find task execution for "task0".`, task_id: 'task1', route: 0, task_transition_id: 'continue__t0' },
    ]);
  });

  it('has no execution ids or timestamps (the driver has them): reading one fails', () => {
    const yaml = 'version: 1.0\ntasks:\n  task1:\n    action: core.noop\n    next:\n      - publish:\n          - r: <% task().task_execution_id %>\n';
    expect(run(yaml).done?.status).toBe('failed');
  });
});
