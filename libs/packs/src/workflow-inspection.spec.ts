// StackStorm's inspection answer (st2common/services/workflows.py: inspect, inspect_task_contents), for both dialects.
import type { ParameterSpecs } from '@tempest/domain';
import { inspectWorkflow, workflowDialect } from './workflow-inspection';

const registry: Record<string, ParameterSpecs> = {
  'core.echo': { message: { type: 'string', required: true } },
  'core.local': { cmd: { type: 'string', required: true }, timeout: { type: 'integer', default: 60 } },
};
const actionParameters = async (ref: string) => registry[ref];

describe(inspectWorkflow.name, () => {
  it('finds nothing wrong in a workflow whose actions are registered and given what they need', async () => {
    const yaml = 'version: 1.0\ninput:\n  - who\ntasks:\n  greet:\n    action: core.echo message="hi <% ctx(who) %>"\n    next:\n      - do: run\n  run:\n    action: core.local\n    input:\n      cmd: echo {{ ctx("who") }}\n';
    expect(await inspectWorkflow(yaml, { actionParameters })).toEqual([]);
  });

  it('answers in st2\'s shape, with the task and line, sorted by type and schema path', async () => {
    const yaml = ['version: 1.0', 'tasks:', '  t1:', '    action: core.echo message=<% ctx().nope %>', '    next:', '      - do: t9', '  t2:', '    action: nope.nope', ''].join('\n');
    expect(await inspectWorkflow(yaml, { actionParameters })).toEqual([
      { type: 'content', message: 'The action "nope.nope" is not registered in the database.', schema_path: 'properties.tasks.patternProperties.^\\w+$.properties.action', spec_path: 'tasks.t2.action', task: 't2', line: 8 },
      { type: 'context', language: 'yaql', expression: '<% ctx().nope %>', message: 'Variable "nope" is referenced before assignment.', schema_path: 'properties.tasks.patternProperties.^\\w+$.properties.input', spec_path: 'tasks.t1.input', task: 't1', line: 4 },
      { type: 'semantic', message: 'The task "t9" is not defined.', schema_path: 'properties.tasks.patternProperties.^\\w+$.properties.next.items.properties.do', spec_path: 'tasks.t1.next[0].do', task: 't1', line: 6 },
    ]);
  });

  it('checks task input against the action\'s parameters, as st2 does', async () => {
    const yaml = ['version: 1.0', 'tasks:', '  t1:', '    action: core.local', '    input:', '      command: ls', '      timeout: 5', '  t2:', '    action: core.echo message="hi" extra=1', '  t3:', '    action: nodots', '  t4:', '    action: <% ctx().anything %>', ''].join('\n');
    const errors = await inspectWorkflow(yaml, { actionParameters });
    expect(errors.filter((e) => e.type === 'content')).toEqual([
      { type: 'content', message: 'The action reference "nodots" is not formatted correctly.', schema_path: 'properties.tasks.patternProperties.^\\w+$.properties.action', spec_path: 'tasks.t3.action', task: 't3', line: 11 },
      { type: 'content', message: 'Action "core.local" is missing required input "cmd".', schema_path: 'properties.tasks.patternProperties.^\\w+$.properties.input', spec_path: 'tasks.t1.input', task: 't1', line: 5 },
      { type: 'content', message: 'Action "core.local" has unexpected input "command".', schema_path: 'properties.tasks.patternProperties.^\\w+$.properties.input.patternProperties.^\\w+$', spec_path: 'tasks.t1.input.command', task: 't1', line: 6 },
      // Inline input has no line of its own: the action's.
      { type: 'content', message: 'Action "core.echo" has unexpected input "extra".', schema_path: 'properties.tasks.patternProperties.^\\w+$.properties.input.patternProperties.^\\w+$', spec_path: 'tasks.t2.input.extra', task: 't2', line: 9 },
    ]);
  });

  it('names the line of the expression itself, not of the mapping holding it', async () => {
    const yaml = ['version: 1.0', 'tasks:', '  t1:', '    action: core.local', '    input:', '      timeout: 5', '      cmd: >-', '        echo', '        <% ctx().nope %>', 'output:', '  - a: 1', '  - b: "{{ ctx().nada }}"', ''].join('\n');
    expect((await inspectWorkflow(yaml)).map((e) => [e.expression, e.line])).toEqual([
      ['{{ ctx().nada }}', 12],
      ['<% ctx().nope %>', 7],
    ]);
  });

  it('checks task contents even when the definition has other problems', async () => {
    const errors = await inspectWorkflow('version: 1.0\nfoo: 1\ntasks:\n  t1:\n    action: nope.nope\n', { actionParameters });
    expect(errors.map((e) => [e.type, e.spec_path, e.message])).toEqual([
      ['content', 'tasks.t1.action', 'The action "nope.nope" is not registered in the database.'],
      ['syntax', '', "Additional properties are not allowed ('foo' was unexpected)."],
    ]);
  });

  it('leaves the registry out when it is not given (pack registration)', async () => {
    expect(await inspectWorkflow('version: 1.0\ntasks:\n  t1:\n    action: other_pack.not_yet\n')).toEqual([]);
  });

  it('names the line of a YAML syntax error', async () => {
    expect(await inspectWorkflow('version: 1.0\ntasks:\n  t1:\n    action: [core.noop\n')).toEqual([
      expect.objectContaining({ type: 'syntax', spec_path: '', schema_path: '', line: expect.any(Number), message: expect.stringMatching(/^YAML/) }),
    ]);
  });

  it('inspects an action chain, with its tasks\' refs and parameters checked against the registry', async () => {
    const yaml = ['chain:', '  - name: c1', '    ref: core.local', '    params:', '      cmd: "echo {{ x"', '      bogus: 1', '    on-success: c9', '  - name: c2', '    ref: nope.nope', ''].join('\n');
    expect(await inspectWorkflow(yaml, { actionParameters })).toEqual([
      { type: 'content', message: 'Action "core.local" has unexpected input "bogus".', schema_path: 'properties.chain.items.properties.params.patternProperties.^\\w+$', spec_path: 'chain[0].params.bogus', task: 'c1', line: 6 },
      { type: 'content', message: 'The action "nope.nope" is not registered in the database.', schema_path: 'properties.chain.items.properties.ref', spec_path: 'chain[1].ref', task: 'c2', line: 9 },
      expect.objectContaining({ type: 'expression', language: 'jinja', spec_path: 'chain[0].params.cmd', task: 'c1', line: 5 }),
      { type: 'semantic', message: 'Unable to find node with name "c9" referenced in "on-success" in task "c1".', schema_path: 'properties.chain.items.properties.on-success', spec_path: 'chain[0].on-success', task: 'c1', line: 7 },
    ]);
  });

  it('checks a chain task\'s notify as StackStorm\'s schema does, naming its field and line', async () => {
    const yaml = ['chain:', '  - name: c1', '    ref: core.local', '    params: { cmd: ls }', '    notify:', '      on-sucess: { routes: [chat] }', '      on-failure: { routes: pager }', ''].join('\n');
    const errors = await inspectWorkflow(yaml, { actionParameters });
    expect(errors.map((e) => [e.spec_path, e.task, e.line, e.message])).toEqual([
      ['chain[0].notify.on-failure.routes', 'c1', 5, 'expected a list of route names'],
      ['chain[0].notify.on-sucess', 'c1', 5, 'not a notify event (expected on-complete, on-success, on-failure)'],
    ]);
    expect(await inspectWorkflow(yaml.replace('on-sucess', 'on-success').replace('routes: pager', 'channels: [pager]'), { actionParameters })).toEqual([]);
  });
});

describe(workflowDialect.name, () => {
  it.each([
    ['version: 1.0\ntasks: {}\n', undefined, 'orquesta'],
    ['chain: []\n', undefined, 'action-chain'],
    ['chain: []\n', 'orquesta', 'orquesta'],
    ['version: 1.0\n', 'action-chain', 'action-chain'],
    ['version: 1.0\n', 'orchestra', 'orquesta'],
    ['{not yaml', undefined, 'orquesta'],
  ])('%j with runner %s is %s', (yaml, runnerType, dialect) => {
    expect(workflowDialect(yaml, runnerType)).toBe(dialect);
  });
});

describe('inspectWorkflow on input the schema refused', () => {
  it('checks the action but not the input, as st2 skips input that is not a mapping', async () => {
    const errors = await inspectWorkflow('version: 1.0\ntasks:\n  t1:\n    action: core.local\n    input:\n      - cmd: ls\n', { actionParameters });
    expect(errors).toEqual([expect.objectContaining({ type: 'syntax', spec_path: 'tasks.t1.input' })]);
  });
});

/** An alias bomb (9^6 strings once expanded). */
const bomb = 'a: &a ["x","x","x","x","x","x","x","x","x"]\nb: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]\nc: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]\nd: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]\ne: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]\nf: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]\nversion: 1.0\ntasks:\n  t: {action: core.noop, input: {x: *f}}\n';
const hostile: [string, string][] = [
  ['bomb', bomb],
  ['bomb chain', 'chain:\n  - name: c\n    ref: core.noop\n    params:\n      x: *f\n'.replace('chain:', bomb.split('version')[0] + 'chain:')],
  ['null task', 'version: 1.0\ntasks:\n  t1:\n'],
  ['null chain node', 'chain:\n  - null\n  - 5\n'],
  ['complex key', 'version: 1.0\ntasks:\n  ? [a, b]\n  : {action: core.noop}\n'],
  ['complex key chain', '? [a]\n: 1\nchain: [{name: a, ref: core.noop}]\n'],
  ['action number', 'version: 1.0\ntasks:\n  t1:\n    action: 5\n    input: {a: 1}\n'],
  ['tags', 'version: !!binary aGVsbG8=\ntasks:\n  t1: !foo {action: core.noop}\n'],
  ['deep', 'version: 1.0\ntasks:\n  t1:\n    action: core.noop\n    input:\n      x: ' + '['.repeat(5000) + ']'.repeat(5000) + '\n'],
  ['deep yaql', 'version: 1.0\ntasks:\n  t1:\n    action: core.noop\n    input:\n      x: <% ' + '('.repeat(5000) + '1' + ')'.repeat(5000) + ' %>\n'],
  ['deep jinja', 'version: 1.0\ntasks:\n  t1:\n    action: core.noop\n    input:\n      x: "{{ ' + '('.repeat(5000) + '1' + ')'.repeat(5000) + ' }}"\n'],
  ['deep chain jinja', 'chain:\n  - name: a\n    ref: core.noop\n    params:\n      x: "{{ ' + '['.repeat(5000) + ']'.repeat(5000) + ' }}"\n'],
  ['multi doc', 'version: 1.0\n---\nchain: []\n'],
  ['input list bad', 'version: 1.0\ninput:\n  - {a: 1, b: 2}\n  - 5\ntasks:\n  t: {action: core.noop}\n'],
  ['next weird', 'version: 1.0\ntasks:\n  t:\n    action: core.noop\n    next: [5, {do: [1, 2]}, {publish: [5]}]\n'],
  ['with weird', 'version: 1.0\ntasks:\n  t:\n    action: core.noop\n    with: {items: 5, concurrency: [1]}\n    retry: {count: [], when: 5}\n'],
  ['proto', 'version: 1.0\ntasks:\n  __proto__:\n    action: core.noop\n  constructor:\n    action: core.noop\n'],
  ['chain proto', 'chain:\n  - name: __proto__\n    ref: core.noop\n    on-success: constructor\n'],
];
describe('inspectWorkflow on hostile text', () => {
  // The API answers whatever it is sent: a problem list or a 400, never a 500.
  it.each(hostile)('%s: a list, not an exception', async (_name, text) => {
    await expect(inspectWorkflow(text, { actionParameters: async () => ({}) })).resolves.toEqual(expect.any(Array));
  });
});
