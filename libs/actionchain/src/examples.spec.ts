// StackStorm's own `examples` pack chains (github:StackStorm/st2 @ c2eaf56b,
// contrib/examples/actions/chains, copied to ./fixtures/examples) checked and run.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { parseTemplate, renderTemplate } from '@tempest/templating';
import { createActionChainConductor, type ActionChainOptions } from './action-chain';
import type { TaskRequest, TaskResult } from '@tempest/domain';
import { inspect } from './inspect';

const dir = join(__dirname, 'fixtures', 'examples');
const text = (name: string): string => readFileSync(join(dir, name), 'utf8');
const render = (template: string, context: Record<string, unknown>): unknown => renderTemplate(template, context);

function run(file: string, input: Record<string, unknown>, answer: (request: TaskRequest) => Partial<TaskResult>, options: Partial<ActionChainOptions> = {}) {
  const sut = createActionChainConductor(parse(text(file)), { render, ...options });
  let { state, step } = sut.start(input);
  const requests: TaskRequest[] = [];
  while (!step.done && requests.length < 20) {
    const [request] = step.schedule;
    requests.push(request);
    ({ state, step } = sut.complete(state, { id: request.id, status: 'succeeded', result: {}, ...answer(request) }));
  }
  return { requests, done: step.done };
}

describe('the examples pack\'s action chains', () => {
  // StackStorm's own pre_run fails these two the same way: their on-failure names a task "c4" they lack.
  const broken: Record<string, string> = {
    'echochain_task_failure.yaml': 'Unable to find node with name "c4" referenced in "on-failure" in task "c1".',
    'echochain_top_level_failure.yaml': 'Unable to find node with name "c4" referenced in "on-failure" in task "c1".',
  };

  it.each(readdirSync(dir).sort())('%s inspects as StackStorm would run it', (file) => {
    const problems = inspect(text(file), { checkTemplate: parseTemplate });
    expect(problems.map((p) => p.message)).toEqual(broken[file] ? [broken[file]] : []);
  });

  it('publish_data.yaml: vars, publish (nested values as text) and the datastore', () => {
    const { requests, done } = run('publish_data.yaml', { system_info_path: '/v1/system' }, (request) => (request.task === 'get_host' ? { result: { stdout: 'box', return_code: 0 } } : {}), {
      lookup: (key) => (key === 'system.domain' ? 'example.com' : undefined),
    });
    expect(requests.map((r) => [r.task, r.input])).toEqual([
      ['get_host', { cmd: "hostname | tr -d ' \\n'" }],
      ['say_the_names', { cmd: 'echo host=box, domain=example.com, fqdn=box.example.com, api_url=http://box:9101, webui_url=http://box:8080' }],
      ['call_api', { method: 'GET', url: 'http://box:9101/v1/actions' }],
      ['call_webui', { method: 'GET', url: 'http://box:8080//', allow_redirects: true }],
    ]);
    expect(done?.output?.['published']).toEqual({
      api_url: 'http://box:9101',
      webui_url: 'http://box:8080',
      host: 'box',
      fqdn: 'box.example.com',
      paths: { api: ['v1/actions', 'v1/triggers'], webui: '/', auth_port: '9102', system_info: '/v1/system' },
    });
  });

  it('echochain_param.yaml: input and a previous task\'s stdout', () => {
    const { requests, done } = run('echochain_param.yaml', { input1: 'hi' }, (request) => ({ result: { stdout: `out of ${request.task}` } }));
    expect(requests.map((r) => r.input['cmd'])).toEqual(['echo c1, input hi', 'echo c2 out of c1', 'echo c3 out of c2']);
    expect(done?.status).toBe('succeeded');
  });

  it('echochain_param.yaml: a failed task goes to its on-failure task and the chain ends as that one does', () => {
    const { requests, done } = run('echochain_param.yaml', { input1: 'hi' }, (request) => (request.task === 'c2' ? { status: 'failed', result: { stderr: 'boom' } } : { result: { stdout: 'ok' } }));
    expect(requests.map((r) => r.task)).toEqual(['c1', 'c2', 'c4']);
    expect(done?.status).toBe('succeeded');
  });

  it('data_jinja_filter.yaml: StackStorm\'s filters through the injected renderer', () => {
    // A Python action's result: what it returned is under `result`.
    const { requests } = run('data_jinja_filter.yaml', {}, (request) => (request.task === 'c1' ? { result: { result: { a: 1 }, stdout: '', stderr: '', exit_code: 0 } } : {}));
    expect(requests.map((r) => r.input)).toEqual([{}, { json_str: '{"a": 1}' }, { yaml_str: 'a: 1\n' }]);
  });
});
