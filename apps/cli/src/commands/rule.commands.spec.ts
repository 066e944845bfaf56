import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { registerPack } from '@tempest/packs';
import { uniqueName } from '@tempest/testing';
import { startCliGateway, type CliGateway } from '../testing/cli-harness';
import { ruleCommand } from './rule.commands';

describe(ruleCommand.name, () => {
  let gateway: CliGateway;
  const dir = mkdtempSync(join(tmpdir(), 'tempest-cli-rules-'));
  const file = (name: string, text: string) => {
    writeFileSync(join(dir, name), text);
    return join(dir, name);
  };

  const tempest = (...argv: string[]) => gateway.tempest(...argv);

  beforeAll(async () => {
    const pack = join(dir, 'packs', 'ops');
    mkdirSync(join(pack, 'actions'), { recursive: true });
    mkdirSync(join(pack, 'rules'), { recursive: true });
    writeFileSync(join(pack, 'pack.yaml'), 'ref: ops\nname: ops\ndescription: d\nversion: 1.0.0\nauthor: a\n');
    writeFileSync(join(pack, 'actions', 'page.yaml'), 'name: page\nrunner_type: noop\nparameters:\n  who: {type: string}\n');
    writeFileSync(join(pack, 'rules', 'page_oncall.yaml'), [
      'name: page_oncall',
      'enabled: true',
      'trigger: {type: core.st2.webhook, parameters: {url: pages}}',
      'criteria: {trigger.body.level: {type: equals, pattern: critical}}',
      'action: {ref: ops.page, parameters: {who: "{{ trigger.body.team }}"}}',
      '',
    ].join('\n'));
    writeFileSync(join(pack, 'actions', 'run.yaml'), 'name: run\nrunner_type: local-shell-cmd\n');
    writeFileSync(join(pack, 'rules', 'run_on_alert.yaml'), [
      'name: run_on_alert',
      'pack: ops',
      'enabled: true',
      'trigger: {type: core.st2.webhook, parameters: {url: alerts}}',
      'action: {ref: ops.run, parameters: {cmd: "echo {{ trigger.body.labels | to_json_string }} {{ trigger.body.msg }}"}}',
      '',
    ].join('\n'));
    gateway = await startCliGateway({ prepare: async (database) => {
      expect(await registerPack(database.db, pack, dir)).toMatchObject({ rules: { created: ['ops.page_oncall', 'ops.run_on_alert'] } });
    }, env: { TEMPORAL_TASK_QUEUE: uniqueName('unserved') } });
  });
  afterAll(async () => {
    await gateway.stop();
  });

  it('lists, gets, disables, enables and deletes rules', async () => {
    expect(await tempest('rule', 'list', '--pack', 'ops')).toMatchObject({ code: 0, out: expect.stringMatching(/\nops\.page_oncall\s+true\s+core\.st2\.webhook\s+ops\.page/) });
    expect((await tempest('rule', 'get', 'ops.page_oncall')).out).toMatch(/^ref\s+ops\.page_oncall\nenabled\s+true\n/);
    expect(await tempest('rule', 'disable', 'ops.page_oncall')).toMatchObject({ code: 0, out: 'ops.page_oncall: disabled' });
    expect(JSON.parse((await tempest('rule', 'get', 'ops.page_oncall', '--json')).out)).toMatchObject({ enabled: false });
    expect(await tempest('rule', 'enable', 'ops.page_oncall')).toMatchObject({ code: 0, out: 'ops.page_oncall: enabled' });
    const created = await fetch(`${gateway.base}/api/v1/rules`, {
      method: 'POST',
      headers: { 'X-Api-Key': gateway.adminKey, 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'scratch', pack: 'ops', trigger: { type: 'core.st2.webhook', parameters: { url: 'scratch' } }, action: { ref: 'ops.page' } }),
    });
    expect(created.status).toBe(201);
    expect(await tempest('rule', 'delete', 'ops.scratch')).toMatchObject({ code: 0, out: 'ops.scratch: deleted' });
    expect(await tempest('rule', 'get', 'ops.scratch')).toMatchObject({ code: 1, err: 'tempest: no rule "ops.scratch"' });
    expect((await tempest('rule', 'frobnicate')).code).toBe(2);
  });

  it('lists one page of rules, saying so when there may be more', async () => {
    const page = await tempest('rule', 'list', '--pack', 'ops', '--limit', '1');
    expect(page).toMatchObject({ code: 0, err: 'Note: only the first 1 rules are shown; use --limit N (at most 100) for more.' });
    expect(page.out.match(/\nops\./g)).toHaveLength(1);
    expect(await tempest('rule', 'list', '--pack', 'ops')).toMatchObject({ code: 0, err: '' });
  });

  it('lists trigger types and instances, shows one, re-emits it, and shows its trace', async () => {
    expect((await tempest('trigger', 'list')).out).toMatch(/\ncore\.st2\.webhook\s+An HTTP POST/);
    const posted = await fetch(`${gateway.base}/api/v1/webhooks/pages`, { method: 'POST', headers: { 'X-Api-Key': gateway.adminKey, 'content-type': 'application/json', 'St2-Trace-Tag': 'cli-trace' }, body: JSON.stringify({ level: 'critical', team: 'db' }) });
    const { trigger_instance_id: id } = (await posted.json()) as { trigger_instance_id: string };
    expect((await tempest('triggerinstance', 'list', '--trigger', 'core.st2.webhook')).out).toContain(id);
    expect((await tempest('triggerinstance', 'get', id)).out).toMatch(/\nstatus\s+processed\n/);
    expect((await tempest('triggerinstance', 're-emit', id)).out).toMatch(/^re-emitted as \S+ \(processed, trace cli-trace\)\n {2}ops\.page_oncall: execution \S+$/);
    const trace = await tempest('trace', 'get', 'cli-trace');
    expect(trace.code).toBe(0);
    expect(trace.out.match(/ops\.page\s+scheduled/g)).toHaveLength(2);
  });

  it('tests a rule file against a trigger instance file or a stored one, running nothing', async () => {
    const rule = file('rule.yaml', 'name: test_rule\npack: ops\ntrigger: {type: core.st2.webhook, parameters: {url: pages}}\ncriteria: {trigger.body.level: {type: iequals, pattern: CRITICAL}}\naction: {ref: ops.page, parameters: {who: "{{ trigger.body.team | upper }}"}}\n');
    const critical = file('critical.json', JSON.stringify({ trigger: 'core.st2.webhook', parameters: { url: 'pages' }, payload: { body: { level: 'critical', team: 'web' } } }));
    const matched = await tempest('rule', 'test', '--rule', rule, '--trigger-instance', critical, '--json');
    expect(matched.code).toBe(0);
    expect(JSON.parse(matched.out)).toEqual({ rule: 'ops.test_rule', matches: true, parameters: { who: 'WEB' } });

    const warning = file('warning.yaml', 'trigger: core.st2.webhook\nparameters: {url: pages}\npayload: {body: {level: warning}}\n');
    expect(await tempest('rule', 'test', '--rule', rule, '--trigger-instance', warning)).toMatchObject({ code: 1, out: expect.stringMatching(/^rule\s+ops\.test_rule\nmatches\s+no\n/) });

    const stored = (await (await fetch(`${gateway.base}/api/v1/triggerinstances?trigger=core.st2.webhook&limit=1`, { headers: { 'X-Api-Key': gateway.adminKey } })).json()) as { id: string }[];
    expect(JSON.parse((await tempest('rule', 'test', '--rule', rule, '--trigger-instance', stored[0].id, '--json')).out)).toMatchObject({ matches: true, parameters: { who: 'DB' } });
    const executions = (await (await fetch(`${gateway.base}/api/v1/executions?action=ops.page`, { headers: { 'X-Api-Key': gateway.adminKey } })).json()) as unknown[];
    expect(executions).toHaveLength(2);

    const broken = file('broken.yaml', 'name: b\npack: ops\ntrigger: {type: core.st2.webhook}\ncriteria: {trigger.x: {type: bogus, pattern: 1}}\naction: {ref: ops.page}\n');
    expect(await tempest('rule', 'test', '--rule', broken, '--trigger-instance', critical)).toMatchObject({ code: 2, err: expect.stringContaining(`${broken}: criteria["trigger.x"]`) });
    expect((await tempest('rule', 'test', '--rule', rule)).code).toBe(2);
  });

  it("shows a shell runner's cmd exactly as the rule's enforcement renders it, each output one shell word", async () => {
    const payload = { body: { msg: '$(touch /tmp/pwned) `id`', labels: { severity: "it's bad" } } };
    const posted = await fetch(`${gateway.base}/api/v1/webhooks/alerts`, { method: 'POST', headers: { 'X-Api-Key': gateway.adminKey, 'content-type': 'application/json' }, body: JSON.stringify(payload.body) });
    expect(posted.status).toBe(202);
    const executions = (await (await fetch(`${gateway.base}/api/v1/executions?action=ops.run`, { headers: { 'X-Api-Key': gateway.adminKey } })).json()) as { parameters: { cmd: string } }[];
    expect(executions).toHaveLength(1);
    const enforced = executions[0].parameters.cmd;
    expect(enforced).toBe(`echo '{"severity": "it'"'"'s bad"}' '$(touch /tmp/pwned) \`id\`'`);

    const instance = file('alert.json', JSON.stringify({ trigger: 'core.st2.webhook', parameters: { url: 'alerts' }, payload }));
    const tested = await tempest('rule', 'test', '--rule', join(dir, 'packs', 'ops', 'rules', 'run_on_alert.yaml'), '--trigger-instance', instance, '--json');
    expect(tested.code).toBe(0);
    expect(JSON.parse(tested.out)).toEqual({ rule: 'ops.run_on_alert', matches: true, parameters: { cmd: enforced } });
  });

  it('says so when the rule names an action that is not registered, as its enforcement would', async () => {
    const rule = file('ghost.yaml', 'name: ghost\npack: ops\ntrigger: {type: core.st2.webhook, parameters: {url: pages}}\naction: {ref: ops.ghost, parameters: {cmd: "echo {{ trigger.body.team }}"}}\n');
    const instance = file('ghost.json', JSON.stringify({ trigger: 'core.st2.webhook', parameters: { url: 'pages' }, payload: { body: { team: 'db' } } }));
    const tested = await tempest('rule', 'test', '--rule', rule, '--trigger-instance', instance, '--json');
    expect(tested.code).toBe(1);
    expect(JSON.parse(tested.out)).toEqual({ rule: 'ops.ghost', matches: true, reason: 'matches, but action ops.ghost is not registered' });
  });
});
