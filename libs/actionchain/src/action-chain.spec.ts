// Ported from StackStorm's contrib/runners/action_chain_runner/tests/unit/test_actionchain.py
// (github:StackStorm/st2 @ c2eaf56b), on its fixtures (./fixtures, copied from
// st2tests/st2tests/fixtures/generic/actionchains). Where upstream mocks action_service.request,
// these specs answer each TaskRequest with the status and result the mock gave.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { renderTemplate } from '@tempest/templating';
import { createActionChainConductor, type ActionChainOptions } from './action-chain';
import type { ActionInfo } from './cast';
import type { Step, TaskRequest, TaskResult } from '@tempest/domain';
import { ActionChainDefinitionError } from './definition';

const fixture = (name: string): unknown => parse(readFileSync(join(__dirname, 'fixtures', name), 'utf8'));
const render = (template: string, context: Record<string, unknown>): unknown => renderTemplate(template, context);

type Outcome = Partial<Omit<TaskResult, 'id'>>;

/** Drives a chain as the workflow will: each request answered by `answer`; the state goes through JSON between steps. */
function drive(definition: unknown, input: Record<string, unknown>, answer: (request: TaskRequest) => Outcome = () => ({}), options: Partial<ActionChainOptions> = {}) {
  const sut = createActionChainConductor(definition, { render, ...options });
  let { state, step } = sut.start(input);
  const requests: TaskRequest[] = [];
  while (!step.done) {
    expect(step.schedule).toHaveLength(1);
    const [request] = step.schedule;
    requests.push(request);
    if (requests.length > 50) throw new Error('the chain does not end');
    ({ state, step } = sut.complete(JSON.parse(JSON.stringify(state)), { id: request.id, status: 'succeeded', result: {}, ...answer(request) }));
  }
  return { requests, done: step.done as NonNullable<Step['done']>, state };
}

const actions = (parameters: ActionInfo['parameters']) => (): ActionInfo => ({ parameters });
// wolfpack.a2 of st2tests' generic fixtures pack (actions/a2.yaml): the typed parameters.
const A2: ActionInfo['parameters'] = { booltype: { type: 'boolean' }, inttype: { type: 'integer' }, numbertype: { type: 'number' }, strtype: { type: 'string' }, arrtype: { type: 'array' }, objtype: { type: 'object' } };

describe('createActionChainConductor (test_actionchain.py)', () => {
  it('test_malformed_chain: a task without name and ref is refused before anything runs', () => {
    expect(() => createActionChainConductor(fixture('malformedchain.yaml'), { render })).toThrow(ActionChainDefinitionError);
    expect(() => createActionChainConductor(fixture('malformedchain.yaml'), { render })).toThrow(/chain\[0\]\.name: "name" is required/);
  });

  it.each([
    ['bad_default_chain.yaml', 'Unable to find node with name "bad_default" referenced in "default".'],
    ['chain_broken_on_success_path_static_task_name.yaml', 'Unable to find node with name "c5" referenced in "on-success" in task "c2".'],
    ['chain_broken_on_failure_path_static_task_name.yaml', 'Unable to find node with name "c6" referenced in "on-failure" in task "c2".'],
    ['chain_action_params_and_parameters.yaml', 'Either "params" or "parameters" attribute needs to be provided, but not both'],
  ])('%s is refused: %s', (file, message) => {
    let caught: unknown;
    try {
      createActionChainConductor(fixture(file), { render });
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(ActionChainDefinitionError);
    expect((caught as ActionChainDefinitionError).problems.map((p) => p.message)).toContain(message);
  });

  it.each<[string, string, Record<string, Outcome>, string[], 'succeeded' | 'failed' | 'canceled']>([
    ['test_chain_runner_success_path', 'chain1.yaml', {}, ['c1', 'c2', 'c3'], 'succeeded'],
    ['test_chain_runner_success_task_action_call_with_no_params', 'chain_action_call_no_params.yaml', {}, ['c1', 'c2', 'c3'], 'succeeded'],
    ['test_chain_runner_no_default (the first task starts)', 'no_default_chain.yaml', {}, ['c1', 'c2', 'c3'], 'succeeded'],
    ['test_chain_runner_no_default_multiple_options (the first unreferenced task starts)', 'no_default_chain_2.yaml', {}, ['c1', 'c2'], 'succeeded'],
    ['test_chain_runner_failure_path (every task fails)', 'chain1.yaml', { c1: { status: 'failed' }, c4: { status: 'failed' } }, ['c1', 'c4'], 'failed'],
    ['test_chain_runner_task_is_canceled_while_running', 'chain2.yaml', { c2: { status: 'canceled' } }, ['c1', 'c2'], 'canceled'],
    // Upstream's mock hands every task the same execution object, so c3 (c2's on-failure) times out too.
    ['test_chain_runner_chain_second_task_times_out', 'chain2.yaml', { c2: { status: 'timeout' }, c3: { status: 'timeout' } }, ['c1', 'c2', 'c3'], 'failed'],
    ['a failure handled by on-failure ends as that task ends (chain_status is the last task\'s)', 'chain1.yaml', { c2: { status: 'failed' } }, ['c1', 'c2', 'c4'], 'succeeded'],
    ['an abandoned task follows on-failure as a failed one', 'chain2.yaml', { c1: { status: 'abandoned' }, c3: { status: 'abandoned' } }, ['c1', 'c3'], 'failed'],
  ])('%s', (_, file, outcomes, tasks, status) => {
    const { requests, done } = drive(fixture(file), {}, (request) => outcomes[request.task] ?? {}, { parentContext: { execution_id: 'ex-1' } });
    expect(requests.map((r) => r.task)).toEqual(tasks);
    expect(done.status).toBe(status);
  });

  it('a chain StackStorm reports as timed out fails, saying so in its error', () => {
    const { done } = drive(fixture('chain2.yaml'), {}, (request) => (request.task === 'c1' ? {} : { status: 'timeout', result: { error: 'timed out' } }));
    expect(done.errors).toEqual([{ type: 'error', message: 'Task "c3" ended timeout and has no "on-failure".', task_id: 'c3', result: { error: 'timed out' }, st2_status: 'timeout' }]);
  });

  it('the result is StackStorm\'s: tasks in order with state and result, and published', () => {
    const { done } = drive(fixture('chain1.yaml'), {}, (request) => ({ result: { out: request.task } }), { parentContext: { execution_id: 'ex-1' } });
    expect(done.output).toEqual({
      tasks: ['c1', 'c2', 'c3'].map((name) => ({ id: name, name, workflow: null, state: 'succeeded', result: { out: name } })),
      published: {},
    });
    expect(done.errors).toEqual([]);
  });

  it('action_context.parent is the chain execution\'s context (chain1 c4)', () => {
    const { requests } = drive(fixture('chain1.yaml'), {}, () => ({ status: 'failed' }), { parentContext: { execution_id: 'ex-1', user: 'stanley' } });
    expect(requests[1]).toEqual({ id: 'c4', task: 'c4', action: 'wolfpack.action-4-action-context-param', input: { actionstr: 'ex-1' } });
  });

  it('a task run again in a cycle gets a new request id', () => {
    const loop = { chain: [{ name: 'a', ref: 'core.noop', 'on-success': 'b' }, { name: 'b', ref: 'core.noop', 'on-success': 'a', 'on-failure': 'end' }, { name: 'end', ref: 'core.noop' }] };
    let runs = 0;
    const { requests, done } = drive(loop, {}, (request) => (request.task === 'b' && ++runs === 3 ? { status: 'failed' } : {}));
    expect(requests.map((r) => r.id)).toEqual(['a', 'b', 'a#2', 'b#2', 'a#3', 'b#3', 'end']);
    expect(done.status).toBe('succeeded');
  });

  describe('parameters', () => {
    const input = { s1: 1, s2: 2, s3: 3, s4: 4 };
    it.each<[string, string, Record<string, unknown>, unknown]>([
      ['test_chain_runner_str_param_temp', 'chain_first_task_parameter_render_fail.yaml', input, { p1: '1' }],
      ['test_chain_runner_list_param_temp', 'chain_list_template.yaml', input, { p1: '[2, 3, 4]' }],
      ['test_chain_runner_dict_param_temp', 'chain_dict_template.yaml', input, { p1: { 'p1.3': '[3, 4]', 'p1.2': '2', 'p1.1': '1' } }],
    ])('%s', (_, file, given, expected) => {
      // wolfpack.a1 declares no parameters: nothing is cast, values stay as Jinja renders them.
      const { requests } = drive(fixture(file), given, () => ({}), { actions: actions({}) });
      expect(requests[requests.length - 1].input).toEqual(expected);
    });

    it('an array parameter rendered as Python text is cast back, as ast.literal_eval does', () => {
      const chain = { chain: [{ name: 'c1', ref: 'wolfpack.a2', parameters: { arrtype: '{{ hosts }}', objtype: '{{ {"a": [1, none, true]} }}', booltype: '{{ "false" }}' } }] };
      const { requests } = drive(chain, { hosts: ['a', "b'c"] }, () => ({}), { actions: actions(A2) });
      expect(requests[0].input).toEqual({ arrtype: ['a', "b'c"], objtype: { a: [1, null, true] }, booltype: false });
    });

    it('without the actions option nothing is cast', () => {
      const { requests } = drive(fixture('chain_typed_params.yaml'), { s1: 1, s2: 'two', s3: 3.14 });
      expect(requests[0].input).toEqual({ booltype: true, inttype: '1', numbertype: '3.14', strtype: 'two', arrtype: ['1', 'two'], objtype: { s2: 'two', k1: '1' } });
    });

    it('test_chain_runner_dependent_param_temp: results by task name', () => {
      const { requests } = drive(fixture('chain_dependent_input.yaml'), input, () => ({ result: { o1: '1' } }));
      expect(requests.map((r) => r.input)).toEqual([{ p1: '1' }, { p1: '1' }, { p2: '1', p3: '1', p1: '1' }]);
    });

    it('test_chain_runner_dependent_results_param: __results holds every result so far', () => {
      const { requests } = drive(fixture('chain_dep_result_input.yaml'), { s1: 1 }, () => ({ result: { o1: '1' } }));
      expect(requests.map((r) => r.input)).toEqual([{ p1: '1' }, { p1: '1' }, { out: "{'c1': {'o1': '1'}, 'c2': {'o1': '1'}}" }]);
    });

    it('test_chain_runner_typed_params', () => {
      const { requests } = drive(fixture('chain_typed_params.yaml'), { s1: 1, s2: 'two', s3: 3.14 }, () => ({}), { actions: actions(A2) });
      expect(requests[0].input).toEqual({ booltype: true, inttype: 1, numbertype: 3.14, strtype: 'two', arrtype: ['1', 'two'], objtype: { s2: 'two', k1: '1' } });
    });

    it('test_chain_runner_typed_system_params: datastore values cast to the action\'s types', () => {
      const kv: Record<string, string> = { 'system.a': '1', 'system.a.b.c': 'two' };
      const { requests } = drive(fixture('chain_typed_system_params.yaml'), {}, () => ({}), { actions: actions(A2), lookup: (key) => kv[key] });
      expect(requests[0].input).toEqual({ inttype: 1, strtype: 'two' });
    });

    it.each<[string, string, Record<string, unknown>, Record<string, string>]>([
      ['test_chain_runner_vars_system_params', 'chain_with_system_vars.yaml', {}, { 'system.a': 'two' }],
      ['test_chain_runner_vars_action_params', 'chain_with_actionparam_vars.yaml', { input_a: 'two' }, {}],
    ])('%s', (_, file, given, kv) => {
      const { requests } = drive(fixture(file), given, () => ({}), { actions: actions(A2), lookup: (key) => kv[key] });
      expect(requests[0].input).toEqual({ inttype: 1, strtype: 'two', booltype: true });
    });

    it.each<[string, string, unknown]>([
      ['test_render_params_action_context', '{{action_context.parent.execution_id}}', { exec_id: { default: 'some_awesome_exec_id' }, k2: {}, foo: { default: 1 } }],
      ['test_render_params_action_context_non_existent_member', '{{action_context.parent.yo_gimme_tha_key}}', undefined],
    ])('%s (test_actionchain_params_rendering.py)', (_, template, expected) => {
      const chain = { chain: [{ name: 'test_action_context_params', ref: 'core.local', params: { exec_id: { default: template }, k2: {}, foo: { default: 1 } } }] };
      const { requests, done } = drive(chain, {}, () => ({}), { parentContext: { execution_id: 'some_awesome_exec_id', user: 'dad' } });
      if (expected) expect(requests[0].input).toEqual(expected);
      else expect(done.output?.['error']).toContain('Failed rendering value for action parameter "exec_id" in task "test_action_context_params"');
    });

    it('test_render_params_with_config (test_actionchain_params_rendering.py): config_context is the pack\'s config', () => {
      const chain = { chain: [{ name: 'c1', ref: 'core.local', params: { config_val: '{{config_context.amazing_config_value_fo_lyfe}}' } }] };
      const { requests } = drive(chain, {}, () => ({}), { config: { amazing_config_value_fo_lyfe: 'no' } });
      expect(requests[0].input).toEqual({ config_val: 'no' });
    });

    it('test_params_and_parameters_attributes_both_work', () => {
      expect(drive(fixture('chain_action_params_attribute.yaml'), {}).requests[0].input).toEqual({ pparams: 'v1' });
      expect(drive(fixture('chain_action_parameters_attribute.yaml'), {}).requests[0].input).toEqual({ pparameters: 'v1' });
    });

    it('test_chain_task_passes_invalid_parameter_type_to_action: the chain fails with StackStorm\'s cast message', () => {
      const { requests, done } = drive(fixture('chain_invalid_parameter_type_passed_to_action.yaml'), {}, () => ({}), { actions: actions(A2) });
      expect(requests).toEqual([]);
      expect(done.status).toBe('failed');
      expect(done.output?.['error']).toMatch(/^Failed to cast value "stringnotanarray" \(type: str\) for parameter "arrtype" of type "array"/);
    });

    it('test_action_chain_runner_referenced_action_doesnt_exist', () => {
      const registered = new Set(['wolfpack.a2']);
      const { requests, done } = drive(fixture('chain_with_invalid_action.yaml'), {}, () => ({ result: { raw_out: 'published' } }), {
        actions: (ref) => (registered.has(ref) ? { parameters: A2 } : undefined),
        lookup: () => 'x',
      });
      expect(requests.map((r) => r.task)).toEqual(['c1']);
      expect(done.status).toBe('failed');
      expect(done.output?.['error']).toContain('Failed to run task "c2". Action with reference "wolfpack.doesntexist" doesn\'t exist.');
    });

    it('test_chain_runner_failure_during_param_rendering_single_task (and test_chain_runner_missing_param_temp)', () => {
      const { requests, done } = drive(fixture('chain_first_task_parameter_render_fail.yaml'), {});
      expect(requests).toEqual([]);
      expect(done.status).toBe('failed');
      expect(done.output?.['tasks']).toEqual([]);
      expect(done.output?.['error']).toContain('Failed to run task "c1". Parameter rendering failed');
    });

    it('test_chain_runner_failure_during_param_rendering_multiple_tasks', () => {
      const { done } = drive(fixture('chain_second_task_parameter_render_fail.yaml'), {});
      expect(done.status).toBe('failed');
      expect((done.output?.['tasks'] as { name: string }[]).map((t) => t.name)).toEqual(['c1']);
      expect(done.output?.['error']).toContain('Failed to run task "c2". Parameter rendering failed');
      expect(done.output?.['error']).toContain('Failed rendering value for action parameter "p1" in task "c2" (template string={{s1}}):');
      expect(done.errors).toEqual([{ type: 'error', message: done.output?.['error'], task_id: 'c2' }]);
    });

    it('a datastore read with no lookup given fails the chain, naming the key', () => {
      const { done } = drive(fixture('chain_typed_system_params.yaml'), {});
      expect(done.output?.['error']).toContain('st2kv.system.a: no datastore lookup was given to the action chain');
    });
  });

  describe('vars and publish', () => {
    it('test_chain_runner_publish: published vars reach later tasks and the result; action parameters are in scope', () => {
      const { requests, done } = drive(fixture('chain_with_publish.yaml'), { action_param_1: 'test value 1' }, () => ({ result: { raw_out: 'published' } }), {
        actions: actions({ ...A2, published_action_param: { type: 'string' } }),
        lookup: () => 'two',
      });
      expect(requests[1].input).toEqual({ inttype: 1, strtype: 'published', booltype: true, published_action_param: 'test value 1' });
      expect(done.output?.['published']).toEqual({ published_action_param: 'test value 1', o1: 'published' });
    });

    it.each<[string, boolean | undefined, boolean]>([
      ['by default', undefined, true],
      ['with display_published true', true, true],
      ['with display_published false', false, false],
    ])('test_display_published_is_true_by_default: %s', (_, displayPublished, shown) => {
      const { done } = drive(fixture('chain_with_publish_2.yaml'), {}, () => ({}), displayPublished === undefined ? {} : { displayPublished });
      const expected = { t1_publish_param_1: 'foo1', t1_publish_param_2: 'foo2', t1_publish_param_3: 'foo3', t2_publish_param_1: 'foo4', t2_publish_param_2: 'foo5', t2_publish_param_3: 'foo6', publish_last_wins: 'bar_last' };
      if (shown) expect(done.output?.['published']).toEqual(expected);
      else expect(done.output).not.toHaveProperty('published');
    });

    it('test_chain_runner_publish_param_rendering_failure: the chain fails with StackStorm\'s message', () => {
      const { requests, done } = drive(fixture('chain_publish_params_rendering_failure.yaml'), {});
      expect(requests.map((r) => r.task)).toEqual(['c1', 'c2']);
      expect(done.status).toBe('failed');
      expect(done.output?.['error']).toContain('Failed rendering value for publish parameter "p1" in task "c2" (template string={{ not_defined }}):');
    });

    it('a failed task publishes too (StackStorm renders publish whatever the status), as text', () => {
      const chain = { chain: [{ name: 'c1', ref: 'core.local', publish: { code: '{{ c1.return_code }}', lines: '{{ c1.lines }}', none: '{{ c1.x | use_none }}', n: 3 } }] };
      const { done } = drive(chain, {}, () => ({ status: 'failed', result: { return_code: 2, lines: ['a', 'b'], x: null } }));
      expect(done).toMatchObject({ status: 'failed', output: { published: { code: '2', lines: "['a', 'b']", none: null, n: 3 } } });
    });

    it('test_init_params_vars_with_unicode_value (test_actionchain_params_rendering.py)', () => {
      const chain = { vars: { unicode_var: '٩(̾●̮̮̃̾•̃̾)۶ ٩(̾●̮̮̃̾•̃̾)۶ ćšž', unicode_var_param: '{{ param }}' }, chain: [{ name: 'c1', ref: 'core.local', parameters: { cmd: 'echo {{ unicode_var }}' } }] };
      const { requests, state } = drive(chain, { param: '٩(̾●̮̮̃̾•̃̾)۶' });
      expect(state.vars).toEqual({ unicode_var: '٩(̾●̮̮̃̾•̃̾)۶ ٩(̾●̮̮̃̾•̃̾)۶ ćšž', unicode_var_param: '٩(̾●̮̮̃̾•̃̾)۶' });
      expect(requests[0].input).toEqual({ cmd: 'echo ٩(̾●̮̮̃̾•̃̾)۶ ٩(̾●̮̮̃̾•̃̾)۶ ćšž' });
    });

    it('vars that fail to render fail the chain before any task', () => {
      const { requests, done } = drive({ vars: { x: '{{ nope }}' }, chain: [{ name: 'c1', ref: 'core.noop' }] }, {});
      expect(requests).toEqual([]);
      expect(done.output).toEqual({ tasks: [], published: {}, error: expect.stringMatching(/^Failed initializing ``vars`` in chain\.\. .*nope/) });
    });

    it('decrypt_kv reads the key decrypted through the lookup (examples/decrypt_kv_jinja_filter.yaml)', () => {
      const chain = { vars: { s: '{{ st2kv.system.my_cmd | decrypt_kv }}', u: '{{ st2kv.user.my_cmd | decrypt_kv }}' }, chain: [{ name: 'c1', ref: 'core.local', parameters: { cmd: 'echo {{ s }} {{ u }}' } }] };
      const lookup = (key: string, { decrypt }: { decrypt: boolean }) => (decrypt ? `plain ${key}` : `cipher ${key}`);
      expect(drive(chain, {}, () => ({}), { lookup }).requests[0].input).toEqual({ cmd: 'echo plain system.my_cmd plain user.my_cmd' });
    });
  });

  it('a result for another request than the one awaited is refused', () => {
    const sut = createActionChainConductor(fixture('chain1.yaml'), { render });
    const { state } = sut.start({});
    expect(() => sut.complete(state, { id: 'c2', status: 'succeeded', result: {} })).toThrow('the action chain waits for "c1", got a result for "c2"');
  });
});

describe('createActionChainConductor: task notify (test_actionchain_notifications.py)', () => {
  it('asks for each task with its own notify, and none for a task without', () => {
    const chain = {
      chain: [
        { name: 'c1', ref: 'core.local', params: { cmd: 'true' }, 'on-success': 'c2', notify: { 'on-complete': { message: 'c1 done', channels: ['chat'] } } },
        { name: 'c2', ref: 'core.local', params: { cmd: 'true' } },
      ],
    };
    const { requests } = drive(chain, {});
    expect(requests.map((r) => [r.task, r.notify])).toEqual([
      ['c1', { 'on-complete': { message: 'c1 done', channels: ['chat'] } }],
      ['c2', undefined],
    ]);
  });
});
