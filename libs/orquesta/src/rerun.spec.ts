// Orquesta's request_workflow_rerun (orquesta/conducting.py; st2's workflow service asks it with every
// route of each named task): a completed run's final state starts again from the named tasks.
import { OrquestaConductor, tasksNotRun, type OrquestaState, type Step, type TaskRequest, type TaskResult } from './index';

const FLOW = `
version: 1.0
input: [name]
output:
  - greeting: <% ctx(greeting) %>
  - checked: <% ctx(checked) %>
tasks:
  greet:
    action: core.echo message=<% ctx(name) %>
    next:
      - when: <% succeeded() %>
        publish: greeting=<% result() %>
        do: check
  check:
    action: core.local cmd="test -f /tmp/x"
    next:
      - when: <% succeeded() %>
        publish: checked=<% ctx(greeting) %>
        do: finish
  finish:
    action: core.echo message=<% ctx(checked) %>
`;

const ITEMS = `
version: 1.0
tasks:
  each:
    with: <% list(a, b, c) %>
    action: core.echo message=<% item() %>
    next:
      - when: <% succeeded() %>
        do: after
  after:
    action: core.noop
`;

/** Completes each request with the status `outcome` gives it, first in first out, until the run ends. */
function run(conductor: OrquestaConductor, first: { state: OrquestaState; step: Step }, outcome: (r: TaskRequest) => TaskResult['status'], results: (r: TaskRequest) => unknown = () => null) {
  let { state, step } = first;
  const requests = [...step.schedule];
  const queue = [...step.schedule];
  while (queue.length) {
    const request = queue.shift()!;
    ({ state, step } = conductor.complete(state, { id: request.id, status: outcome(request), result: results(request) }));
    requests.push(...step.schedule);
    queue.push(...step.schedule);
  }
  return { state, done: step.done ?? first.step.done, requests };
}

describe('OrquestaConductor.rerun', () => {
  const flow = new OrquestaConductor(FLOW);
  const failed = run(flow, flow.start({ name: 'ops' }), (r) => (r.task === 'check' ? 'failed' : 'succeeded'), (r) => (r.task === 'greet' ? 'hello ops' : { stderr: 'no file' }));

  it('runs the named failed task again with the context published before it, and the rest of the graph after it', () => {
    expect(failed.done).toMatchObject({ status: 'failed' });
    const again = flow.rerun(failed.state, [{ task: 'check' }]);
    expect(again.step.schedule).toEqual([expect.objectContaining({ task: 'check', action: 'core.local', input: { cmd: 'test -f /tmp/x' } })]);
    const rerun = run(flow, again, () => 'succeeded');
    expect(rerun.requests.map((r) => r.task)).toEqual(['check', 'finish']);
    expect(rerun.requests[1].input).toEqual({ message: 'hello ops' });
    expect(rerun.done).toEqual({ status: 'succeeded', output: { greeting: 'hello ops', checked: 'hello ops' }, errors: [] });
  });

  it('takes the new execution st2 context and input in place of the old run', () => {
    const withContext = new OrquestaConductor(FLOW, { context: { st2: { action_execution_id: 'new' } } });
    expect(withContext.rerun(failed.state, [{ task: 'check' }]).state.contexts[0]).toMatchObject({ st2: { action_execution_id: 'new' }, name: 'ops' });
    expect(withContext.rerun(failed.state, [{ task: 'check' }], { name: 'sealed for the new run', other: 1 }).state.contexts[0]).toEqual({ st2: { action_execution_id: 'new' }, name: 'sealed for the new run' });
  });

  it('runs a task that is downstream of another one asked for once, through it', () => {
    const all = run(flow, flow.start({ name: 'ops' }), () => 'succeeded');
    const again = flow.rerun(all.state, [{ task: 'greet' }, { task: 'check' }]);
    expect(again.step.schedule.map((r) => r.task)).toEqual(['greet']);
    expect(run(flow, again, () => 'succeeded').requests.map((r) => r.task)).toEqual(['greet', 'check', 'finish']);
  });

  it('refuses a task that does not exist or did not run, naming it, and a run that has not ended', () => {
    expect(tasksNotRun(failed.state, ['greet', 'finish', 'nope'])).toEqual(['finish', 'nope']);
    expect(() => flow.rerun(failed.state, [{ task: 'finish' }, { task: 'nope' }])).toThrow('Unable to rerun workflow because one or more tasks is not found: finish,nope');
    expect(() => new OrquestaConductor(FLOW.replace(/check/g, 'verify')).rerun(failed.state, [{ task: 'check' }])).toThrow('Unable to rerun workflow because one or more tasks is not in its definition any more: check');
    const running = flow.start({ name: 'ops' }).state;
    expect(() => flow.rerun(running, [{ task: 'greet' }])).toThrow('The workflow is still active');
  });

  describe('with items', () => {
    const items = new OrquestaConductor(ITEMS);
    const failedItem = run(items, items.start({}), (r) => (r.item === 1 ? 'failed' : 'succeeded'), (r) => `item ${r.item}`);

    it('runs only the items that failed, and keeps the results of the others', () => {
      expect(failedItem.done).toMatchObject({ status: 'failed' });
      const again = items.rerun(failedItem.state, [{ task: 'each' }]);
      expect(again.step.schedule.map((r) => [r.task, r.item])).toEqual([['each', 1]]);
      const rerun = run(items, again, () => 'succeeded', (r) => `again ${r.item}`);
      expect(rerun.requests.map((r) => r.task)).toEqual(['each', 'after']);
      expect(rerun.done).toMatchObject({ status: 'succeeded', errors: [] });
      expect(rerun.state.results['each__r0']).toEqual({ status: 'succeeded', result: { items: [{ status: 'succeeded', result: 'item 0' }, { status: 'succeeded', result: 'again 1' }, { status: 'succeeded', result: 'item 2' }] } });
    });

    it('runs every item again when the task is reset', () => {
      const again = items.rerun(failedItem.state, [{ task: 'each', resetItems: true }]);
      expect(again.step.schedule.map((r) => r.item)).toEqual([0, 1, 2]);
    });
  });
});
