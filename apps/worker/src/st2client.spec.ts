import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { findRepoRoot } from '@tempest/config';
import { eventually, st2client, startTestPlatform, type St2Client, type TestPlatform } from '@tempest/testing';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

// StackStorm's own CLI and Python client (st2client from PyPI) pointed at the
// compiled gateway and worker, run as a StackStorm user types the everyday
// commands: the assertions are on what the user sees.
describe('the st2 CLI from PyPI against Tempest', () => {
  const root = mkdtempSync(join(tmpdir(), 'tempest-st2client-'));
  let platform: TestPlatform;
  let client: St2Client;
  /** `st2 ...`, expected to succeed: its standard output. */
  const st2 = async (...args: string[]) => {
    const result = await client.st2(args);
    if (result.code !== 0) throw new Error(`st2 ${args.join(' ')} exited ${result.code}:\n${result.stdout}\n${result.stderr}`);
    return result.stdout;
  };
  const st2Json = async (...args: string[]) => JSON.parse(await st2(...args, '--json')) as Json;

  beforeAll(async () => {
    cpSync(join(findRepoRoot(), 'packs', 'core'), join(root, 'packs', 'core'), { recursive: true });
    platform = await startTestPlatform({ root });
    client = await st2client(platform.base, platform.keys.admin);
  }, 600_000);
  afterAll(async () => {
    await platform?.stop();
    rmSync(root, { recursive: true, force: true });
  });

  describe('runners and actions', () => {
    it('st2 runner list shows the runner types by name', async () => {
      const out = await st2('runner', 'list');
      expect(out).toMatch(/\|\s*local-shell-cmd\s*\|/);
      expect(out).toMatch(/\|\s*orquesta\s*\|/);
    });

    it('st2 run core.local runs the command and shows its output and status', async () => {
      const out = await st2('run', 'core.local', 'cmd=echo hello from st2');
      expect(out).toMatch(/status: succeeded/);
      expect(out).toMatch(/stdout: hello from st2/);
    });

    it('st2 run -a answers the execution id at once; st2 execution get and list show it', async () => {
      const out = await st2('run', '-a', 'core.local', 'cmd=echo async');
      const id = /st2 execution get (\S+)/.exec(out)?.[1];
      expect(id).toBeDefined();
      await platform.temporal.workflow.getHandle(id!).result();
      expect(await st2('execution', 'get', id!)).toMatch(/status: succeeded/);
      const got = await st2Json('execution', 'get', id!);
      expect(got).toMatchObject({ id, action: { ref: 'core.local' }, status: 'succeeded', result: { stdout: 'async' } });
      const list = await st2('execution', 'list');
      expect(list).toContain(id);
      expect(list).toMatch(/core\.local/);
    });

    it('st2 execution cancel cancels a running execution and says so', async () => {
      const id = /st2 execution get (\S+)/.exec(await st2('run', '-a', 'core.local', 'cmd=sleep 30', 'timeout=60'))?.[1];
      expect(id).toBeDefined();
      await eventually(async () => (await st2Json('execution', 'get', id!)).status === 'running' || undefined, `execution ${id} to run`, 20_000);
      expect(await st2('execution', 'cancel', id!)).toContain(`action execution with id ${id} canceled.`);
      await eventually(async () => (await st2Json('execution', 'get', id!)).status === 'canceled' || undefined, `execution ${id} to be canceled`, 20_000);
    });

    it('st2 action list and get show the core pack\'s actions', async () => {
      expect(await st2('action', 'list', '--pack', 'core')).toMatch(/\|\s*core\.local\s*\|/);
      expect(await st2Json('action', 'get', 'core.local')).toMatchObject({ ref: 'core.local', pack: 'core', runner_type: 'local-shell-cmd', uid: 'action:core:local' });
    });
  });

  describe('keys', () => {
    it('st2 key set, get, list and delete, with --encrypt and --decrypt', async () => {
      await st2('key', 'set', 'greeting', 'hello');
      expect(await st2Json('key', 'get', 'greeting')).toMatchObject({ name: 'greeting', value: 'hello', scope: 'st2kv.system' });
      await st2('key', 'set', 'password', 's3cret', '--encrypt');
      expect((await st2Json('key', 'get', 'password')).value).not.toBe('s3cret');
      expect(await st2Json('key', 'get', 'password', '--decrypt')).toMatchObject({ name: 'password', value: 's3cret', secret: true });
      const list = await st2('key', 'list');
      expect(list).toMatch(/\|\s*greeting\s*\|\s*hello\s*\|/);
      expect(list).toMatch(/\|\s*password\s*\|/);
      expect(list).not.toContain('s3cret');
      await st2('key', 'delete', 'greeting');
      const after = await client.st2(['key', 'get', 'greeting']);
      expect(after.code).not.toBe(0);
      expect(`${after.stdout}${after.stderr}`).toMatch(/not found|No matching/i);
    });
  });

  describe('rules', () => {
    it('st2 rule create, list, get, disable, enable and delete', async () => {
      const file = join(root, 'rule.json');
      writeFileSync(file, JSON.stringify({ name: 'st2_hook', pack: 'core', enabled: true, trigger: { type: 'core.st2.webhook', parameters: { url: 'st2hook' } }, criteria: {}, action: { ref: 'core.local', parameters: { cmd: 'echo {{ trigger.body.x }}' } } }));
      expect(await st2('rule', 'create', file)).toMatch(/\|\s*ref\s*\|\s*core\.st2_hook\s*\|/);
      expect(await st2('rule', 'list')).toMatch(/\|\s*core\.st2_hook\s*\|\s*core\s*\|/);
      expect(await st2Json('rule', 'get', 'core.st2_hook')).toMatchObject({ ref: 'core.st2_hook', uid: 'rule:core:st2_hook', enabled: true, id: expect.any(String) });
      await st2('rule', 'disable', 'core.st2_hook');
      expect(await st2Json('rule', 'get', 'core.st2_hook')).toMatchObject({ enabled: false });
      await st2('rule', 'enable', 'core.st2_hook');
      expect(await st2Json('rule', 'get', 'core.st2_hook')).toMatchObject({ enabled: true });
      expect(await st2('webhook', 'list')).toContain('st2hook');

      // A webhook matched by the rule: its trigger instance is listed.
      const fired = await fetch(`${platform.base}/api/v1/webhooks/st2hook`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-api-key': platform.keys.admin }, body: JSON.stringify({ x: 'from the hook' }) });
      expect(fired.status).toBe(202);
      const instance = (await fired.json()) as Json;
      expect(await st2('trigger-instance', 'list')).toMatch(new RegExp(`\\|\\s*${instance.trigger_instance_id}\\s*\\|\\s*core\\.st2\\.webhook\\s*\\|`));

      await st2('rule', 'delete', 'core.st2_hook');
      expect(await st2('rule', 'list')).not.toContain('core.st2_hook');
    });
  });

  describe('content and identity', () => {
    it('st2 pack list and get', async () => {
      expect(await st2('pack', 'list')).toMatch(/\|\s*core\s*\|/);
      expect(await st2Json('pack', 'get', 'core')).toMatchObject({ name: 'core', description: expect.any(String) });
    });

    it('st2 trigger list', async () => {
      expect(await st2('trigger', 'list')).toMatch(/core\.st2\.webhook/);
    });

    it('st2 apikey list shows the key with its user, and st2 whoami', async () => {
      expect(await st2('apikey', 'list')).toMatch(/\|\s*\S+\s*\|\s*admin\s*\|/);
      expect(await st2('whoami')).toMatch(/admin/);
    });
  });

  describe('the Python Client', () => {
    it('query, get_by_name and get_all', async () => {
      const result = await client.python(
        [
          'import json, os',
          'from st2client.client import Client',
          'c = Client(base_url=os.environ["ST2_BASE_URL"], api_key=os.environ["ST2_API_KEY"])',
          'local = c.actions.get_by_name("local", pack="core")',
          'found = c.actions.query(pack="core", limit=5)',
          'runners = c.runners.get_all()',
          'page, total = c.actions.query_with_count(pack="core", limit=2, offset=1)',
          'print(json.dumps({"local": local.ref, "found": len(found), "runners": sorted(r.name for r in runners), "page": len(page), "total": total}))',
        ].join('\n'),
      );
      expect(result).toMatchObject({ code: 0 });
      const actions = (await platform.api<Json[]>('/actions?pack=core')).body.length;
      expect(JSON.parse(result.stdout)).toMatchObject({ local: 'core.local', found: 5, runners: expect.arrayContaining(['local-shell-cmd']), page: 2, total: actions });
    });

    it('answers include_attributes, exclude_attributes, sort and paging with X-Total-Count and X-Limit, as StackStorm does', async () => {
      const response = await fetch(`${platform.base}/api/v1/actions/?pack=core&include_attributes=ref,runner_type&limit=3&offset=0`, { headers: { 'X-Api-Key': platform.keys.admin } });
      expect(response.headers.get('x-limit')).toBe('3');
      expect(Number(response.headers.get('x-total-count'))).toBeGreaterThan(3);
      const items = (await response.json()) as Json[];
      expect(items).toHaveLength(3);
      expect(Object.keys(items[0]).sort()).toEqual(['id', 'ref', 'runner_type', 'uid']);
      const excluded = (await platform.api<Json[]>('/runnertypes/?exclude_attributes=runner_parameters,description')).body;
      expect(excluded[0]).not.toHaveProperty('runner_parameters');
      expect(excluded[0]).toHaveProperty('name');
      expect((await platform.api<Json>('/runnertypes/local-shell-cmd')).body).toMatchObject({ id: 'local-shell-cmd', uid: 'runner_type:local-shell-cmd', enabled: true });
    });
  });

  describe('policies, finished output, all results and re-run', () => {
    /** A pack with an action, a retry policy on it and a sensor, registered as `st2 pack register` would. */
    beforeAll(async () => {
      const pack = join(root, 'packs', 'guarded');
      mkdirSync(join(pack, 'actions'), { recursive: true });
      mkdirSync(join(pack, 'policies'), { recursive: true });
      mkdirSync(join(pack, 'sensors'), { recursive: true });
      writeFileSync(join(pack, 'pack.yaml'), 'ref: guarded\nname: guarded\ndescription: An action under a policy\nversion: 0.1.0\nauthor: Tempest\n');
      writeFileSync(join(pack, 'actions', 'deploy.yaml'), "name: deploy\nrunner_type: local-shell-cmd\nentry_point: ''\nparameters:\n  cmd:\n    type: string\n    default: echo deployed\n");
      writeFileSync(join(pack, 'policies', 'deploy_retry.yaml'), 'name: deploy.retry\ndescription: Retry the deploy on timeout.\nresource_ref: guarded.deploy\npolicy_type: action.retry\nparameters:\n  retry_on: timeout\n  max_retry_count: 2\n');
      writeFileSync(join(pack, 'sensors', 'heartbeat.yaml'), 'class_name: HeartbeatSensor\nentry_point: heartbeat.js\ndescription: Beats now and then\nenabled: false\ntrigger_types:\n  - name: beat\n');
      writeFileSync(join(pack, 'sensors', 'heartbeat.js'), 'module.exports = class HeartbeatSensor {};\n');
      // Its item `b` fails until `<dir>/fixed` exists; every item run is logged in `<dir>/items.log`.
      writeFileSync(join(pack, 'actions', 'items.yaml'), 'name: items\nrunner_type: orquesta\nentry_point: workflows/items.yaml\nparameters:\n  dir:\n    type: string\n    required: true\n');
      mkdirSync(join(pack, 'actions', 'workflows'), { recursive: true });
      writeFileSync(
        join(pack, 'actions', 'workflows', 'items.yaml'),
        [
          'version: 1.0',
          'input:',
          '  - dir',
          'tasks:',
          '  each:',
          '    with: <% list(a, b, c) %>',
          '    action: core.local',
          '    input:',
          '      cmd: echo <% item() %> >> <% ctx(dir) %>/items.log; test <% item() %> != b -o -f <% ctx(dir) %>/fixed',
          '',
        ].join('\n'),
      );
      const registered = await platform.api<{ problems: unknown[] }>('/packs/register', { method: 'POST' });
      expect(registered).toMatchObject({ status: 200, body: { problems: [] } });
    });

    it('st2 policy list and get show the pack\'s policy; st2 policy-type list and get the types Tempest applies', async () => {
      expect(await st2('policy', 'list', '--pack', 'guarded')).toMatch(/\|\s*guarded\.deploy\.retry\s*\|\s*guarded\.deploy\s*\|\s*action\.retry\s*\|\s*True\s*\|/);
      expect(await st2('policy', 'list', '--resource-ref', 'core.local')).not.toContain('guarded.deploy.retry');
      expect(await st2('policy', 'get', 'guarded.deploy.retry')).toMatch(/\|\s*resource_ref\s*\|\s*guarded\.deploy\s*\|/);
      expect(await st2Json('policy', 'get', 'guarded.deploy.retry')).toMatchObject({ ref: 'guarded.deploy.retry', pack: 'guarded', name: 'deploy.retry', policy_type: 'action.retry', enabled: true, parameters: { retry_on: 'timeout', max_retry_count: 2 } });
      const types = await st2('policy-type', 'list');
      expect(types).toMatch(/\|\s*action\.retry\s*\|\s*action\s*\|\s*retry\s*\|/);
      expect(types).toMatch(/\|\s*action\.concurrency\.attr\s*\|\s*action\s*\|\s*concurrency\.attr\s*\|/);
      expect(await st2Json('policy-type', 'get', 'action.concurrency')).toMatchObject({ ref: 'action.concurrency', resource_type: 'action', parameters: { threshold: { type: 'integer' } } });
    });

    it('st2 execution tail of a finished execution prints its output, all of it or one stream', async () => {
      const id = /st2 execution get (\S+)/.exec(await st2('run', '-a', 'core.local', 'cmd=echo to-stdout; echo to-stderr >&2'))?.[1];
      expect(id).toBeDefined();
      await platform.temporal.workflow.getHandle(id!).result();
      const tail = await st2('execution', 'tail', id!);
      // The output itself, as StackStorm prints it: not a JSON document about it.
      expect(tail).toMatch(/^to-std(out|err)\n/);
      expect(tail).not.toContain('chunks');
      expect(tail).toContain('to-stdout');
      expect(tail).toContain('to-stderr');
      expect(tail).toContain(`Execution ${id} has completed (status=succeeded).`);
      const stdout = await st2('execution', 'tail', id!, '--type', 'stdout');
      expect(stdout).toContain('to-stdout');
      expect(stdout).not.toContain('to-stderr');
      // Tempest's own clients still get the chunks as JSON.
      expect((await platform.api<Json>(`/executions/${id}/output`)).body).toMatchObject({ status: 'succeeded', chunks: expect.arrayContaining([expect.objectContaining({ stream: 'stdout' })]) });
    });

    it('st2 execution list -n -1 lists them all, as StackStorm takes limit=-1', async () => {
      const all = await st2Json('execution', 'list', '-n', '-1');
      expect(Array.isArray(all)).toBe(true);
      const total = (await platform.api<Json[]>('/executions?limit=100')).body.length;
      expect(all).toHaveLength(total);
      const instances = (await platform.api<Json[]>('/triggerinstances?limit=100')).body;
      expect(instances.length).toBeGreaterThan(0);
      expect(await st2Json('trigger-instance', 'list', '-n', '-1')).toHaveLength(instances.length);
    });

    it('st2 execution re-run runs the action again with its parameters, or with those given', async () => {
      const id = /st2 execution get (\S+)/.exec(await st2('run', '-a', 'guarded.deploy', 'cmd=echo first run'))?.[1];
      expect(id).toBeDefined();
      await platform.temporal.workflow.getHandle(id!).result();
      const again = await st2('execution', 're-run', id!);
      expect(again).toMatch(/status: succeeded/);
      expect(again).toMatch(/stdout: first run/);
      expect(again).not.toContain(id);
      expect(await st2('execution', 're-run', id!, 'cmd=echo second run')).toMatch(/stdout: second run/);
      // --delay: the new execution waits, delayed, then runs.
      const delayed = /st2 execution get (\S+)/.exec(await st2('execution', 're-run', id!, '--delay', '5000', '-a'))?.[1];
      expect(delayed).toBeDefined();
      expect(await st2Json('execution', 'get', delayed!)).toMatchObject({ status: 'delayed' });
      await platform.temporal.workflow.getHandle(delayed!).result();
      expect(await st2Json('execution', 'get', delayed!)).toMatchObject({ status: 'succeeded', result: { stdout: 'first run' } });
      const tasks = await client.st2(['execution', 're-run', id!, '--tasks', 'deploy']);
      expect(tasks.code).not.toBe(0);
      expect(`${tasks.stdout}${tasks.stderr}`).toContain('Task option is only supported for Orquesta workflows');
    });

    it('st2 execution re-run --tasks --no-reset runs a failed workflow again from a task, only its failed items', async () => {
      const dir = mkdtempSync(join(root, 'items-'));
      const id = /st2 execution get (\S+)/.exec(await st2('run', '-a', 'guarded.items', `dir=${dir}`))?.[1];
      expect(id).toBeDefined();
      // Read through the API: st2's table of a workflow's tasks wants StackStorm's task context on each child.
      const status = async (execution: string) => (await platform.api<Json>(`/executions/${execution}`)).body.status as string;
      await eventually(async () => (await status(id!)) === 'failed' || undefined, `execution ${id} to fail`, 30_000);
      writeFileSync(join(dir, 'fixed'), '');
      const again = /st2 execution get (\S+)/.exec(await st2('execution', 're-run', id!, '--tasks', 'each', '--no-reset', 'each', '-a'))?.[1];
      expect(again).toBeDefined();
      await eventually(async () => (await status(again!)) === 'succeeded' || undefined, `re-run ${again} to succeed`, 30_000);
      expect((await platform.api<Json>(`/executions/${again}`)).body.context).toMatchObject({ 're-run': { ref: id, tasks: ['each'], reset: [] } });
      expect(readFileSync(join(dir, 'items.log'), 'utf8').split('\n').filter(Boolean).sort()).toEqual(['a', 'b', 'b', 'c']);
    });

    it('st2 run --delay holds the execution delayed; st2 execution cancel cancels it before it runs', async () => {
      const id = /st2 execution get (\S+)/.exec(await st2('run', '-a', '--delay', '60000', 'guarded.deploy', 'cmd=echo too late'))?.[1];
      expect(id).toBeDefined();
      expect(await st2Json('execution', 'get', id!)).toMatchObject({ status: 'delayed', action: { ref: 'guarded.deploy' } });
      expect(await st2('execution', 'cancel', id!)).toContain(`action execution with id ${id} canceled.`);
      await eventually(async () => (await st2Json('execution', 'get', id!)).status === 'canceled' || undefined, `execution ${id} to be canceled`, 20_000);
      expect((await platform.api<Json>(`/executions/${id}/output`)).body).toMatchObject({ chunks: [] });
    });

    it('st2 sensor list shows the pack\'s sensor', async () => {
      expect(await st2('sensor', 'list')).toMatch(/\|\s*guarded\.HeartbeatSensor\s*\|\s*guarded\s*\|\s*Beats now and then\s*\|\s*False\s*\|/);
    });
  });

  describe('rule enforcements and traces', () => {
    const tag = 'st2-traced-event';
    let ruleId: string;
    let instanceId: string;
    let executionId: string;
    let enforcementId: string;
    /** A row of one of st2's tables: its cells in order, each matched whole. */
    const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    const row = (...cells: string[]) => new RegExp(`\\|${cells.map((c) => `\\s*${escape(c)}\\s*`).join('\\|')}\\|`);

    beforeAll(async () => {
      const file = join(root, 'traced-rule.json');
      writeFileSync(file, JSON.stringify({ name: 'st2_traced', pack: 'core', enabled: true, trigger: { type: 'core.st2.webhook', parameters: { url: 'st2traced' } }, criteria: { 'trigger.body.run': { type: 'equals', pattern: 'yes' } }, action: { ref: 'core.local', parameters: { cmd: 'echo traced' } } }));
      await st2('rule', 'create', file);
      ruleId = (await st2Json('rule', 'get', 'core.st2_traced')).id;
      const fire = async (traceTag: string, run: string) => {
        const fired = await fetch(`${platform.base}/api/v1/webhooks/st2traced`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-api-key': platform.keys.admin, 'St2-Trace-Tag': traceTag }, body: JSON.stringify({ run }) });
        expect(fired.status).toBe(202);
        return (await fired.json()) as Json;
      };
      // A trace the rule does not match, so that no listing below holds one trace only by chance.
      await fire(`${tag}-unmatched`, 'no');
      const outcome = await fire(tag, 'yes');
      instanceId = outcome.trigger_instance_id;
      [{ id: enforcementId, execution_id: executionId }] = outcome.rule_enforcements;
      await platform.temporal.workflow.getHandle(executionId).result();
      // The execution's end is in the trace too, as its actiontrigger.
      await eventually(async () => (await platform.api<Json[]>(`/triggerinstances?trace_tag=${tag}`)).body.length === 2 || undefined, 'the actiontrigger in the trace', 20_000);
    }, 60_000);

    it('st2 rule-enforcement list shows what the rule did, by rule ref; --rule, --trigger-instance and --execution filter it', async () => {
      // Its other cells (ids) wrap in the table's width.
      const enforced = row(enforcementId, 'core.st2_traced');
      expect(await st2('rule-enforcement', 'list')).toMatch(enforced);
      expect(await st2('rule-enforcement', 'list', '--rule', 'core.st2_traced')).toMatch(enforced);
      expect(await st2('rule-enforcement', 'list', '--trigger-instance', instanceId)).toMatch(enforced);
      expect(await st2('rule-enforcement', 'list', '--execution', executionId)).toMatch(enforced);
      expect(await st2('rule-enforcement', 'list', '--rule', 'core.no_such_rule')).not.toContain(enforcementId);
    });

    it("st2 rule-enforcement get shows one with its rule's ref; the API answers the rule as StackStorm's {ref, id, uid}", async () => {
      const out = await st2('rule-enforcement', 'get', enforcementId);
      expect(out).toMatch(row('rule.ref', 'core.st2_traced'));
      expect(out).toMatch(row('execution_id', executionId));
      expect(out).toMatch(row('trigger_instance_id', instanceId));
      expect((await platform.api<Json>(`/ruleenforcements/${enforcementId}`)).body).toMatchObject({ id: enforcementId, rule: { ref: 'core.st2_traced', id: ruleId, uid: 'rule:core:st2_traced' }, rule_ref: 'core.st2_traced' });
    });

    it('st2 trace list shows the trace by its tag; filtered to one (by execution, rule or trigger instance) it shows what is in it', async () => {
      const listed = await st2('trace', 'list');
      expect(listed).toMatch(row(tag, `trace:${tag}`, tag));
      expect(listed).toMatch(row(`${tag}-unmatched`, `trace:${tag}-unmatched`, `${tag}-unmatched`));
      for (const filter of [['--execution', executionId], ['--rule', ruleId], ['--trigger-instance', instanceId], ['--trace-tag', tag]]) {
        const out = await st2('trace', 'list', ...filter);
        expect(out).toContain(`trace_tag: ${tag}\n`);
        expect(out).toMatch(row(instanceId, 'trigger-instance', 'core.st2.webhook'));
        expect(out).toMatch(row(ruleId, 'rule', 'core.st2_traced'));
        expect(out).toMatch(row(executionId, 'execution', 'core.local'));
      }
      expect(await st2('trace', 'list', '--execution', 'no-such-execution')).not.toContain(tag);
    });

    it('st2 trace list -s asc starts from the oldest trace, not from the newest page reversed', async () => {
      const traces = (await platform.api<Json[]>('/traces?limit=100')).body.map((t) => t.id as string);
      expect(traces.length).toBeGreaterThan(1);
      const [newest, oldest] = [traces[0], traces[traces.length - 1]];
      // One trace is shown whole, as `st2 trace get` shows it.
      const listed = await st2('trace', 'list', '-s', 'asc', '-n', '1');
      expect(listed).toContain(`id: ${oldest}\n`);
      expect(listed).not.toContain(`id: ${newest}\n`);
    });

    it('st2 trace get shows its trigger instances, rules and executions, and with -e only what caused that execution', async () => {
      const out = await st2('trace', 'get', tag);
      expect(out).toContain(`id: ${tag}\ntrace_tag: ${tag}\n`);
      expect(out).toMatch(row(instanceId, 'trigger-instance', 'core.st2.webhook'));
      expect(out).toMatch(row(ruleId, 'rule', 'core.st2_traced'));
      expect(out).toMatch(row(executionId, 'execution', 'core.local'));
      expect(out).toMatch(/\|\s*trigger-instance\s*\|\s*core\.st2\.generic\.actiontrigger\s*\|/);
      // The causation chain, walked through caused_by: execution <- rule <- trigger instance.
      const chain = await st2('trace', 'get', tag, '-e', executionId);
      expect(chain).toMatch(row(executionId, 'execution', 'core.local'));
      expect(chain).toMatch(row(ruleId, 'rule', 'core.st2_traced'));
      expect(chain).toMatch(row(instanceId, 'trigger-instance', 'core.st2.webhook'));
      expect(chain).not.toContain('actiontrigger');
    });
  });

  describe('timers, API keys, inquiries, enabling and re-emitting', () => {
    /** A pack with a sensor of its own, registered, so that this block does not lean on another's. */
    beforeAll(async () => {
      const pack = join(root, 'packs', 'beacon');
      mkdirSync(join(pack, 'sensors'), { recursive: true });
      writeFileSync(join(pack, 'pack.yaml'), 'ref: beacon\nname: beacon\ndescription: A sensor to switch on and off\nversion: 0.1.0\nauthor: Tempest\n');
      writeFileSync(join(pack, 'sensors', 'blink.yaml'), 'class_name: BlinkSensor\nentry_point: blink.js\ndescription: Blinks\nenabled: false\ntrigger_types:\n  - name: blink\n');
      writeFileSync(join(pack, 'sensors', 'blink.js'), 'module.exports = class BlinkSensor {};\n');
      expect(await platform.api<{ problems: unknown[] }>('/packs/register', { method: 'POST' })).toMatchObject({ status: 200, body: { problems: [] } });
    });

    it('st2 timer list and get show the timers the rules use', async () => {
      const file = join(root, 'timer-rule.json');
      writeFileSync(file, JSON.stringify({ name: 'hourly', pack: 'core', enabled: false, trigger: { type: 'core.st2.IntervalTimer', parameters: { unit: 'hours', delta: 1 } }, action: { ref: 'core.noop' } }));
      await st2('rule', 'create', file);
      const [timer] = (await st2Json('timer', 'list')) as unknown as Json[];
      expect(timer).toMatchObject({ type: 'core.st2.IntervalTimer', parameters: { unit: 'hours', delta: 1 }, pack: 'core' });
      expect(await st2('timer', 'list', '--timer-type', 'core.st2.CronTimer')).toContain('No matching items found');
      expect(await st2('timer', 'get', timer.id)).toMatch(/\|\s*type\s*\|\s*core\.st2\.IntervalTimer\s*\|/);
      await st2('rule', 'delete', 'core.hourly');
      expect(await st2('timer', 'list')).toContain('No matching items found');
    });

    it('st2 apikey create makes a key for a user; disable, enable and delete take effect at once', async () => {
      const key = (await st2('apikey', 'create', '-k', '-u', 'ci', '-m', '{"used_by": "nightly deploys"}')).trim();
      expect(key).toMatch(/^tpst_/);
      const whoami = () => client.st2(['whoami'], { apiKey: key });
      expect((await whoami()).stdout).toContain('"ci"');
      const listed = await st2('apikey', 'list');
      expect(listed).toMatch(/\|\s*ci\s*\|.*nightly deploys/);
      expect(listed).not.toContain(key);
      const { id } = await st2Json('apikey', 'get', key);
      await st2('apikey', 'disable', id);
      expect((await whoami()).stdout).toContain('Unable to retrieve currently logged-in user');
      await st2('apikey', 'enable', id);
      expect((await whoami()).stdout).toContain('"ci"');
      expect(await st2('apikey', 'delete', id)).toContain(`Resource with id "${id}" has been successfully deleted.`);
      expect((await whoami()).stdout).toContain('Unable to retrieve currently logged-in user');
    });

    it('st2 action disable refuses runs until st2 action enable; st2 sensor disable and enable', async () => {
      expect(await st2Json('action', 'disable', 'core.noop')).toMatchObject({ ref: 'core.noop', enabled: false });
      const refused = await client.st2(['run', 'core.noop']);
      expect(refused.code).not.toBe(0);
      expect(`${refused.stdout}${refused.stderr}`).toContain('action "core.noop" is disabled');
      expect(await st2Json('action', 'enable', 'core.noop')).toMatchObject({ enabled: true });
      expect(await st2('run', 'core.noop')).toMatch(/status: succeeded/);
      expect(await st2Json('sensor', 'enable', 'beacon.BlinkSensor')).toMatchObject({ ref: 'beacon.BlinkSensor', enabled: true });
      expect(await st2Json('sensor', 'disable', 'beacon.BlinkSensor')).toMatchObject({ ref: 'beacon.BlinkSensor', enabled: false });
    });

    it('st2 inquiry list, get and respond answer the question a core.ask run asks', async () => {
      const id = /st2 execution get (\S+)/.exec(await st2('run', '-a', 'core.ask', 'route=oncall'))?.[1];
      expect(id).toBeDefined();
      await eventually(async () => ((await st2('inquiry', 'list')).includes(id!) ? true : undefined), `inquiry ${id} to be listed`, 20_000);
      expect(await st2('inquiry', 'list')).toMatch(new RegExp(`\\|\\s*${id}\\s*\\|.*\\|\\s*oncall\\s*\\|`));
      expect(await st2Json('inquiry', 'get', id!)).toMatchObject({ id, route: 'oncall', schema: { properties: { continue: { type: 'boolean' } } } });
      const refused = await client.st2(['inquiry', 'respond', id!, '-r', '{"continue": "yes"}']);
      expect(refused.code).not.toBe(0);
      expect(`${refused.stdout}${refused.stderr}`).toContain('continue');
      expect(await st2('inquiry', 'respond', id!, '-r', '{"continue": true}')).toContain(`Response accepted for inquiry ${id}.`);
      await platform.temporal.workflow.getHandle(id!).result();
      expect(await st2Json('execution', 'get', id!)).toMatchObject({ status: 'succeeded', result: { response: { continue: true } } });
    });

    it('st2 trigger-instance re-emit sends an event again; st2 execution list --trigger_instance finds what it started', async () => {
      const file = join(root, 'reemit-rule.json');
      writeFileSync(file, JSON.stringify({ name: 'reemit_hook', pack: 'core', trigger: { type: 'core.st2.webhook', parameters: { url: 'reemit' } }, action: { ref: 'core.noop' } }));
      await st2('rule', 'create', file);
      const first = (await platform.api<Json>('/webhooks/reemit', { method: 'POST', body: JSON.stringify({ n: 1 }) })).body;
      const out = await st2('trigger-instance', 're-emit', first.trigger_instance_id);
      const again = new RegExp(`Trigger instance ${first.trigger_instance_id} successfully re-sent as (\\S+)\\.`).exec(out)?.[1];
      expect(again).toBeDefined();
      const [started] = (await st2Json('execution', 'list', '--trigger_instance', again!)) as unknown as Json[];
      expect(started).toMatchObject({ action: { ref: 'core.noop' } });
      expect(started.id).not.toBe(first.rule_enforcements[0].execution_id);
      await st2('rule', 'delete', 'core.reemit_hook');
    });

    it('st2 trigger-instance list -tg and -tl keep to the time window', async () => {
      const cut = new Date(Date.now() + 1);
      await eventually(async () => (Date.now() > cut.getTime() ? true : undefined), 'the clock to pass the cut', 1_000);
      const fired = (await platform.api<Json>('/webhooks/st2', { method: 'POST', body: JSON.stringify({ trigger: 'core.st2.webhook', payload: { after: 'the cut' } }) })).body;
      const ids = async (...window: string[]) => ((await st2Json('trigger-instance', 'list', '-n', '-1', ...window)) as unknown as Json[]).map((i) => i.id);
      expect(await ids('-tg', cut.toISOString())).toContain(fired.trigger_instance_id);
      expect(await ids('-tl', cut.toISOString())).not.toContain(fired.trigger_instance_id);
    });

    it('st2 pack install and st2 pack search say what to do instead, and install nothing', async () => {
      const install = await client.st2(['pack', 'install', 'file:///tmp/some-pack']);
      expect(install.code).not.toBe(0);
      expect(`${install.stdout}${install.stderr}`).toContain('st2 pack install is not served (it follows an asynchronous packs.install execution): install with `tempest pack install <git URL or folder>`');
      const search = await client.st2(['pack', 'search', 'jira']);
      expect(`${search.stdout}${search.stderr}`).toContain('Tempest keeps no pack index and does not search StackStorm Exchange');
      expect(await st2('pack', 'list')).not.toContain('some-pack');
    });
  });
});
