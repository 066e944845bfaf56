// Schema cases ported from StackStorm's st2common/tests/unit/test_actionchain_schema.py and the
// pre_run checks of contrib/runners/action_chain_runner/tests/unit/test_actionchain.py
// (github:StackStorm/st2 @ c2eaf56b), fixtures in ./fixtures.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { parseTemplate } from '@tempest/templating';
import { parseDefinition } from './definition';
import { inspect } from './inspect';

const text = (name: string): string => readFileSync(join(__dirname, 'fixtures', name), 'utf8');

describe('parseDefinition (test_actionchain_schema.py)', () => {
  it.each([
    ['test_actionchain_schema_valid', 'chain1.yaml', 4, 'c1'],
    // StackStorm leaves default unset here and resolves it to the first task when it runs.
    ['test_actionchain_no_default', 'no_default_chain.yaml', 4, 'c1'],
    ['test_actionchain_with_vars', 'chain_with_vars.yaml', 4, 'c1'],
    ['test_actionchain_with_publish', 'chain_with_publish.yaml', 2, 'c1'],
  ])('%s', (_, file, tasks, first) => {
    const definition = parseDefinition(parse(text(file)));
    expect(definition.chain).toHaveLength(tasks);
    expect(definition.default).toBe(first);
  });

  it('keeps vars and publish as written', () => {
    const definition = parseDefinition(parse(text('chain_with_publish.yaml')));
    expect(definition.vars).toEqual({ inttype: 1, strtype: '{{st2kv.system.a}}' });
    expect(definition.chain[0].publish).toEqual({ o1: '{{c1.raw_out}}', published_action_param: '{{ action_param_1 }}' });
  });
});

describe('inspect', () => {
  it('finds nothing wrong in StackStorm\'s valid fixtures', () => {
    for (const file of ['chain1.yaml', 'chain2.yaml', 'no_default_chain.yaml', 'chain_with_publish.yaml', 'chain_typed_params.yaml', 'chain_dict_template.yaml']) {
      expect([file, inspect(text(file), { checkTemplate: parseTemplate })]).toEqual([file, []]);
    }
  });

  it.each([
    ['test_actionchain_schema_invalid', 'malformedchain.yaml', [
      { path: 'chain[0].malformed_action', line: 3, message: expect.stringContaining('"malformed_action" is not a property of a task') },
      { path: 'chain[0].malformed_name', line: 4, message: expect.stringContaining('"malformed_name" is not a property of a task') },
      { path: 'chain[0].name', line: 3, message: '"name" is required' },
      { path: 'chain[0].ref', line: 3, message: '"ref" is required' },
      { path: 'default', line: 5, message: 'Unable to find node with name "c1" referenced in "default".' },
    ]],
    ['test_chain_runner_bad_default', 'bad_default_chain.yaml', [{ path: 'default', line: 21, message: 'Unable to find node with name "bad_default" referenced in "default".' }]],
    ['test_chain_runner_broken_on_success_path_static_task_name', 'chain_broken_on_success_path_static_task_name.yaml', [
      { path: 'chain[1].on-success', task: 'c2', line: 13, message: 'Unable to find node with name "c5" referenced in "on-success" in task "c2".' },
    ]],
    ['test_chain_runner_broken_on_failure_path_static_task_name', 'chain_broken_on_failure_path_static_task_name.yaml', [
      { path: 'chain[1].on-failure', task: 'c2', line: 14, message: 'Unable to find node with name "c6" referenced in "on-failure" in task "c2".' },
    ]],
    ['test_exception_is_thrown_if_both_params_and_parameters_attributes_are_provided', 'chain_action_params_and_parameters.yaml', [
      { path: 'chain[0]', task: 'c1', line: 3, message: 'Either "params" or "parameters" attribute needs to be provided, but not both' },
    ]],
  ])('%s: %s', (_, file, problems) => {
    expect(inspect(text(file))).toEqual(problems);
  });

  it('lists every problem with its path, task and line', () => {
    const yaml = [
      'chain:', //                                    1
      '  - name: one', //                             2
      '    ref: core.local', //                       3
      '    on-success: "{{ next }}"', //              4
      '    parameters:', //                           5
      '      cmd: "echo {{ x }"', //                  6
      '  - name: one', //                             7
      '    ref: nodots', //                           8
      '    notify: [on-complete]', //                 9
      '    on-failure: 3', //                         10
      '  - name: three', //                           11
      '    ref: core.missing', //                     12
      '    publish: [a]', //                          13
      'vars:', //                                     14
      '  v: "{% if %}"', //                           15
      'extra: 1', //                                  16
    ].join('\n');
    const problems = inspect(yaml, { checkTemplate: parseTemplate, actionExists: (ref) => ref === 'core.local' });
    expect(problems).toEqual([
      { path: 'extra', line: 16, message: '"extra" is not a property of an action chain (expected chain, default, vars)' },
      { path: 'chain[1].ref', task: 'one', line: 8, message: '"nodots" is not an action reference (pack.name)' },
      { path: 'chain[1].name', task: 'one', line: 7, message: 'duplicate task name "one" (also chain[0]): StackStorm would only ever run the first' },
      { path: 'chain[1].on-failure', task: 'one', line: 10, message: 'expected a task name, got number' },
      { path: 'chain[1].notify', task: 'one', line: 9, message: 'expected a mapping of on-complete, on-success, on-failure, got array' },
      { path: 'chain[2].publish', task: 'three', line: 13, message: 'expected a mapping, got array' },
      { path: 'chain[0].on-success', task: 'one', line: 4, message: 'templated task names are not supported: StackStorm does not render "on-success" and fails when it gets there' },
      { path: 'chain[0].parameters.cmd', task: 'one', line: 6, message: expect.stringMatching(/^bad template "echo \{\{ x \}": /) },
      { path: 'chain[1].ref', task: 'one', line: 8, message: 'Action with ref nodots not registered.' },
      { path: 'chain[2].ref', task: 'three', line: 12, message: 'Action with ref core.missing not registered.' },
      { path: 'vars.v', line: 15, message: expect.stringMatching(/^bad template "\{% if %\}": /) },
    ]);
  });

  it.each([
    ['YAML syntax', 'chain:\n  - name: [a\n', 'YAML syntax error'],
    ['not a mapping', '- a\n- b\n', 'an action chain is a mapping with "chain", got array'],
    ['no chain', 'vars: {}\n', '"chain" is required'],
    ['an empty chain', 'chain: []\n', 'Failed to find default node: the chain has no tasks'],
    ['a task that is not a mapping', 'chain:\n  - core.local\n', 'a task is a mapping with "name" and "ref", got string'],
  ])('reports %s', (_, yaml, message) => {
    const problems = inspect(yaml);
    expect(problems).toHaveLength(1);
    expect(problems[0].message).toContain(message);
    expect(problems[0].line).toBeGreaterThan(0);
  });

  it('accepts a task description, as StackStorm\'s examples pack writes them', () => {
    expect(inspect('chain:\n  - name: a\n    description: says hi\n    ref: core.noop\n')).toEqual([]);
  });
});
