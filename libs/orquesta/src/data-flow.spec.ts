// Values keep their type through input, vars, publish and output, in YAQL and in Jinja:
// orquesta/tests/unit/conducting/test_workflow_conductor_data_flow.py.
import { renderTemplate } from '@tempest/templating';
import { OrquestaConductor } from './index';

const YAQL = `
version: 1.0
input:
  - a1
  - b1: <% ctx().a1 %>
vars:
  - a2: <% ctx().b1 %>
  - b2: <% ctx().a2 %>
output:
  - a5: <% ctx().b4 %>
  - b5: <% ctx().a5 %>
tasks:
  task1:
    action: core.noop
    next:
      - when: <% succeeded() %>
        publish:
          - a3: <% ctx().b2 %>
          - b3: <% ctx().a3 %>
        do: task2
  task2:
    action: core.noop
    next:
      - when: <% succeeded() %>
        publish: a4=<% ctx().b3 %> b4=<% ctx().a4 %>
        do: task3
  task3:
    action: core.noop
`;

const JINJA = `
version: 1.0
input:
  - a1
  - b1: '{{ ctx("a1") }}'
vars:
  - a2: '{{ ctx("b1") }}'
  - b2: '{{ ctx("a2") }}'
output:
  - a5: '{{ ctx("b4") }}'
  - b5: '{{ ctx("a5") }}'
tasks:
  task1:
    action: core.noop
    next:
      - when: '{{ succeeded() }}'
        publish:
          - a3: '{{ ctx("b2") }}'
          - b3: '{{ ctx("a3") }}'
        do: task2
  task2:
    action: core.noop
    next:
      - when: '{{ succeeded() }}'
        publish: a4='{{ ctx("b3") }}' b4='{{ ctx("a4") }}'
        do: task3
  task3:
    action: core.noop
`;

const combined = (depth = 0): Record<string, unknown> =>
  depth < 2
    ? { null: null, integer_positive: 123, integer_negative: -123, number_positive: 99.99, number_negative: -99.99, string: 'xyz', boolean_true: true, boolean_false: false, array: Object.values(combined(depth + 1)), object: combined(depth + 1) }
    : {};

describe.each([
  ['yaql', YAQL],
  ['jinja', JINJA],
])('data flow through %s', (_language, yaml) => {
  it.each([
    ['string', 'xyz'],
    ['integer', 123],
    ['negative integer', -123],
    ['float', 99.99],
    ['boolean', true],
    ['false', false],
    ['null', null],
    ['dict', combined()],
    ['list', Object.values(combined())],
    ['unicode', '光合作用'],
  ])('test_data_flow_%s', (_name, value) => {
    const conductor = new OrquestaConductor(yaml, { jinja: renderTemplate });
    let { state, step } = conductor.start({ a1: value });
    while (step.schedule.length) ({ state, step } = conductor.complete(state, { id: step.schedule[0].id, status: 'succeeded', result: null }));
    expect(step.done).toEqual({ status: 'succeeded', output: { a5: value, b5: value }, errors: [] });
  });
});
