import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { loadPack } from './pack-loader';
import { loadRules } from './rule-loader';
import { formatProblem } from './yaml-file';

/** A pack folder `packs/ops` holding the given files. */
function pack(files: Record<string, string>): { dir: string; root: string } {
  const root = mkdtempSync(join(tmpdir(), 'tempest-rules-'));
  const dir = join(root, 'packs', 'ops');
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), text);
  }
  return { dir, root };
}

async function problemsOf(text: string): Promise<string[]> {
  const { dir, root } = pack({ 'rules/r.yaml': text });
  return (await loadRules(dir, 'ops', root)).problems.map(formatProblem);
}

const diskRule = `---
name: disk_full
pack: ops
description: Diagnose a host whose disk is full
enabled: true
trigger:
  type: core.st2.webhook
  parameters:
    url: alerts
criteria:
  trigger.body.severity:
    type: equals
    pattern: critical
  trigger.body.used#high:
    type: greaterthan
    pattern: 90
  or:
    - trigger.body.host:
        type: startswith
        pattern: db-
    - trigger.body.tags:
        type: contains
        pattern: database
action:
  ref: linux.diag
  parameters:
    hosts: "{{ trigger.body.host }}"
    threshold: 90
`;

describe(loadRules.name, () => {
  it('loads a StackStorm rule with its trigger, criteria (or groups included) and action', async () => {
    const { dir, root } = pack({ 'rules/disk_full.yaml': diskRule, 'rules/README.md': 'not a rule' });
    const { rules, problems } = await loadRules(dir, 'ops', root);
    expect(problems).toEqual([]);
    expect(rules).toEqual([
      {
        ref: 'ops.disk_full',
        pack: 'ops',
        name: 'disk_full',
        description: 'Diagnose a host whose disk is full',
        enabled: true,
        type: 'standard',
        trigger: { type: 'core.st2.webhook', parameters: { url: 'alerts' } },
        criteria: {
          'trigger.body.severity': { type: 'equals', pattern: 'critical' },
          'trigger.body.used#high': { type: 'greaterthan', pattern: 90 },
          or: [{ 'trigger.body.host': { type: 'startswith', pattern: 'db-' } }, { 'trigger.body.tags': { type: 'contains', pattern: 'database' } }],
        },
        action: { ref: 'linux.diag', parameters: { hosts: '{{ trigger.body.host }}', threshold: 90 } },
        context: undefined,
        tags: [],
        metadataFile: 'rules/disk_full.yaml',
      },
    ]);
  });

  it('defaults as StackStorm: disabled without enabled, standard without type, no criteria', async () => {
    const { dir, root } = pack({ 'rules/r.yaml': 'name: r\ntrigger: {type: ops.alert}\ntype: {ref: backstop}\naction: {ref: core.noop}\n' });
    const [rule] = (await loadRules(dir, 'ops', root)).rules;
    expect(rule).toMatchObject({ enabled: false, type: 'backstop', trigger: { type: 'ops.alert', parameters: {} }, criteria: {}, action: { ref: 'core.noop', parameters: {} } });
  });

  it('reports a bad operator at load, with file, line and field', async () => {
    const text = diskRule.replace('type: greaterthan', 'type: greater_than');
    expect(await problemsOf(text)).toEqual([expect.stringMatching(/^packs\/ops\/rules\/r\.yaml:15: criteria\["trigger\.body\.used#high"\]\.type: unknown operator "greater_than" \(one of equals, /)]);
  });

  it('refuses a timer that Temporal cannot schedule, naming the parameter', async () => {
    const problems = await problemsOf('name: nightly\ntrigger:\n  type: core.st2.CronTimer\n  parameters:\n    hour: 25\naction:\n  ref: core.noop\n');
    expect(problems).toEqual(['packs/ops/rules/r.yaml:5: trigger.parameters.hour: 25 is out of range 0-23']);
  });

  it('reports bad criteria inside or groups and bad parameter templates where they are', async () => {
    const text = diskRule.replace('pattern: db-', 'pattern: "{{ trigger.body.prefix "').replace('threshold: 90', 'threshold: "{% if %}"');
    expect(await problemsOf(text)).toEqual([
      expect.stringMatching(/^packs\/ops\/rules\/r\.yaml:28: action\.parameters\.threshold: syntax error: /),
      expect.stringMatching(/^packs\/ops\/rules\/r\.yaml:20: criteria\.or\[0\]\["trigger\.body\.host"\]\.pattern: syntax error: /),
    ]);
  });

  it('names missing and unknown fields', async () => {
    expect(await problemsOf('name: r\nenabled: yes please\ntrigger: {}\naction: {ref: core.noop, params: {}}\ncriterias: {}\n')).toEqual([
      'packs/ops/rules/r.yaml:2: enabled: expected true or false',
      'packs/ops/rules/r.yaml:3: trigger.type: required: the trigger type ref, e.g. core.st2.webhook',
      'packs/ops/rules/r.yaml:4: action.params: unknown field',
      'packs/ops/rules/r.yaml:5: criterias: unknown field',
    ]);
    expect(await problemsOf('name: r\ntrigger: {type: ops.alert}\n')).toEqual(['packs/ops/rules/r.yaml:1: action: required: {ref, parameters}']);
  });

  it('makes rules part of the loaded pack, and a bad rule fails the whole pack', async () => {
    const packYaml = 'name: ops\nversion: 0.1.0\ndescription: Ops\nauthor: ops\nemail: ops@example.com\n';
    const good = pack({ 'pack.yaml': packYaml, 'rules/disk_full.yaml': diskRule });
    expect(await loadPack(good.dir, good.root)).toMatchObject({ rules: [{ ref: 'ops.disk_full' }] });
    const bad = pack({ 'pack.yaml': packYaml, 'rules/disk_full.yaml': diskRule.replace('type: equals', 'type: equal') });
    expect(await loadPack(bad.dir, bad.root)).toEqual([expect.objectContaining({ file: 'packs/ops/rules/disk_full.yaml', line: 12, field: 'criteria["trigger.body.severity"].type' })]);
  });

  it('refuses a rule that names another pack, and two rules with one name', async () => {
    expect(await problemsOf(diskRule.replace('pack: ops', 'pack: other'))).toEqual(['packs/ops/rules/r.yaml:3: pack: names pack "other", but the file is in pack "ops"']);
    const { dir, root } = pack({ 'rules/a.yaml': diskRule, 'rules/b.yaml': diskRule });
    const { rules, problems } = await loadRules(dir, 'ops', root);
    expect(rules.map((rule) => rule.metadataFile)).toEqual(['rules/a.yaml']);
    expect(problems.map(formatProblem)).toEqual(['packs/ops/rules/b.yaml:2: name: "disk_full" is also the name of the rule in rules/a.yaml']);
  });
});
