import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { loadActions } from './action-loader';
import { formatProblem } from './yaml-file';

/** A pack folder `packs/ops` holding the given files. */
function pack(files: Record<string, string>): { dir: string; root: string } {
  const root = mkdtempSync(join(tmpdir(), 'tempest-actions-'));
  const dir = join(root, 'packs', 'ops');
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), text);
  }
  return { dir, root };
}

async function problemsOf(files: Record<string, string>): Promise<string[]> {
  const { dir, root } = pack(files);
  return (await loadActions(dir, 'ops', root)).problems.map(formatProblem);
}

describe(loadActions.name, () => {
  it('loads StackStorm action metadata with its parameters', async () => {
    const { dir, root } = pack({
      'actions/restart.yaml': [
        'name: restart',
        'runner_type: local-shell-script',
        'entry_point: restart.sh',
        'description: Restart a service',
        'parameters:',
        '  service: {type: string, required: true, position: 0}',
        '  timeout: {default: 120}',
        'tags: [{name: ops, value: remediation}]',
        '',
      ].join('\n'),
      'actions/restart.sh': '#!/bin/sh\n',
      'actions/workflows/flow.yaml': 'version: 1.0\n',
    });
    const { actions, problems } = await loadActions(dir, 'ops', root);
    expect(problems).toEqual([]);
    expect(actions).toEqual([
      expect.objectContaining({
        ref: 'ops.restart',
        pack: 'ops',
        runnerType: 'local-shell-script',
        entryPoint: 'restart.sh',
        enabled: true,
        parameters: { service: { type: 'string', required: true, position: 0 }, timeout: { default: 120 } },
        tags: [{ name: 'ops', value: 'remediation' }],
        metadataFile: 'actions/restart.yaml',
      }),
    ]);
  });

  it('names file, line and field for an unknown runner and a bad parameter', async () => {
    expect(await problemsOf({ 'actions/a.yaml': 'name: a\nrunner_type: local-shell-command\n' })).toEqual([
      expect.stringMatching(/^packs\/ops\/actions\/a\.yaml:2: runner_type: expected one of local-shell-cmd, .*, orquesta, orchestra, action-chain, /),
    ]);
    expect(await problemsOf({ 'actions/b.yaml': 'name: b\nrunner_type: noop\nparameters:\n  count:\n    type: int\n' })).toEqual([
      expect.stringMatching(/^packs\/ops\/actions\/b\.yaml:5: parameters\.count\.type: /),
    ]);
  });

  it('refuses a parameter pattern that cannot be matched in linear time, naming file, line and parameter', async () => {
    const action = (pattern: string) => ({ 'actions/p.yaml': `name: p\nrunner_type: noop\nparameters:\n  who:\n    type: string\n    pattern: '${pattern}'\n` });
    expect(await problemsOf(action('^(?!root)[a-z]+$'))).toEqual([expect.stringMatching(/^packs\/ops\/actions\/p\.yaml:6: parameters\.who\.pattern: .*lookahead/)]);
    expect(await problemsOf(action('^(a)\\1$'))).toEqual([expect.stringMatching(/^packs\/ops\/actions\/p\.yaml:6: parameters\.who\.pattern: .*backreference/)]);
    expect(await problemsOf(action('^[a-z'))).toEqual([expect.stringMatching(/^packs\/ops\/actions\/p\.yaml:6: parameters\.who\.pattern: /)]);
    expect(await problemsOf(action('^\\u0041(?<rest>[\\w-]+)$'))).toEqual([]);
  });

  it('requires an entry point, present in the pack, for script runners', async () => {
    expect(await problemsOf({ 'actions/s.yaml': 'name: s\nrunner_type: python-script\n' })).toEqual([
      'packs/ops/actions/s.yaml:1: entry_point: required by runner python-script',
    ]);
    expect(await problemsOf({ 'actions/s.yaml': 'name: s\nrunner_type: python-script\nentry_point: missing.py\n' })).toEqual([
      'packs/ops/actions/s.yaml:3: entry_point: no file actions/missing.py in the pack',
    ]);
  });

  it('registers a TypeScript workflow (temporal-workflow): a module of the pack, named as a workflow type can be', async () => {
    const { dir, root } = pack({ 'actions/heal.yaml': 'name: heal\nrunner_type: temporal-workflow\nentry_point: workflows/heal.ts\nparameters:\n  function:\n    default: heal\n', 'actions/workflows/heal.ts': 'export async function heal() {}\n' });
    const { actions, problems } = await loadActions(dir, 'ops', root);
    expect(problems).toEqual([]);
    expect(actions[0]).toMatchObject({ ref: 'ops.heal', runnerType: 'temporal-workflow', entryPoint: 'workflows/heal.ts', parameters: { function: { default: 'heal' } } });
    expect(await problemsOf({ 'actions/heal.yaml': 'name: heal-host\nrunner_type: temporal-workflow\nentry_point: heal.yaml\n', 'actions/heal.yaml.ts': '' })).toEqual([
      'packs/ops/actions/heal.yaml:1: name: is the workflow\'s Temporal workflow type: a letter, then letters, digits and _ (runner temporal-workflow)',
      'packs/ops/actions/heal.yaml:3: entry_point: must name a TypeScript or JavaScript module (.ts, .js) for runner temporal-workflow',
    ]);
    expect(await problemsOf({ 'actions/heal.yaml': 'name: heal\nrunner_type: temporal-workflow\nentry_point: heal.ts\n' })).toEqual(['packs/ops/actions/heal.yaml:3: entry_point: no module actions/heal.ts in the pack']);
  });

  it('keeps an entry point inside the pack\'s actions folder', async () => {
    expect(await problemsOf({ 'actions/s.yaml': 'name: s\nrunner_type: local-shell-script\nentry_point: ../../other/run.sh\n', 'other/run.sh': '#!/bin/sh\n' })).toEqual([
      "packs/ops/actions/s.yaml:3: entry_point: must name a file inside the pack's actions folder",
    ]);
    expect(await problemsOf({ 'actions/s.yaml': 'name: s\nrunner_type: local-shell-script\nentry_point: scripts\n', 'actions/scripts/run.sh': '#!/bin/sh\n' })).toEqual([
      'packs/ops/actions/s.yaml:3: entry_point: no file actions/scripts in the pack',
    ]);
  });

  it('registers workflows of runners Tempest does not run yet, their definition a file of the pack that need not be executable', async () => {
    const { dir, root } = pack({
      'actions/flow.yaml': 'name: flow\nrunner_type: orquesta\nentry_point: workflows/flow.yaml\nparameters:\n  who: {type: string}\n  notify: {default: [step1]}\n',
      'actions/old.yaml': 'name: old\nrunner_type: orchestra\nentry_point: workflows/flow.yaml\n',
      'actions/chain.yaml': 'name: chain\nrunner_type: action-chain\nentry_point: chains/chain.yaml\n',
      'actions/ask.yaml': 'name: ask\nrunner_type: inquirer\nparameters:\n  ttl: {default: 60}\n',
      'actions/workflows/flow.yaml': 'version: 1.0\ntasks:\n  one:\n    action: core.noop\n',
      'actions/chains/chain.yaml': 'chain:\n  - name: one\n    ref: core.noop\n',
    });
    const { actions, problems } = await loadActions(dir, 'ops', root);
    expect(problems).toEqual([]);
    expect(actions.map((a) => [a.name, a.runnerType, a.entryPoint])).toEqual([
      ['ask', 'inquirer', undefined],
      ['chain', 'action-chain', 'chains/chain.yaml'],
      ['flow', 'orquesta', 'workflows/flow.yaml'],
      ['old', 'orquesta', 'workflows/flow.yaml'],
    ]);
    expect(await problemsOf({ 'actions/flow.yaml': 'name: flow\nrunner_type: orquesta\nentry_point: workflows/missing.yaml\n' })).toEqual([
      'packs/ops/actions/flow.yaml:3: entry_point: no workflow definition actions/workflows/missing.yaml in the pack',
    ]);
    expect(await problemsOf({ 'actions/flow.yaml': 'name: flow\nrunner_type: action-chain\n' })).toEqual(['packs/ops/actions/flow.yaml:1: entry_point: required by runner action-chain']);
    expect(await problemsOf({ 'actions/flow.yaml': 'name: flow\nrunner_type: orquesta\nentry_point: workflows/flow.yaml\nparameters:\n  notify: {type: string}\n', 'actions/workflows/flow.yaml': '' })).toEqual([
      'packs/ops/actions/flow.yaml:5: parameters.notify: overrides runner parameter notify of orquesta: only default, enum, immutable, required, description, secret may change, not type',
    ]);
  });

  it('keeps an action\'s notify, and refuses one StackStorm\'s schema refuses, naming its line and field', async () => {
    const notify = "notify:\n  on-success:\n    message: '{{ action_results.stdout }}'\n    routes: [chat]\n";
    const { dir, root } = pack({ 'actions/n.yaml': `name: n\nrunner_type: noop\n${notify}` });
    const { actions, problems } = await loadActions(dir, 'ops', root);
    expect(problems).toEqual([]);
    expect(actions[0].metadata.notify).toEqual({ 'on-success': { message: '{{ action_results.stdout }}', routes: ['chat'] } });
    expect(await problemsOf({ 'actions/n.yaml': 'name: n\nrunner_type: noop\nnotify:\n  on-sucess: {routes: [chat]}\n  on-failure:\n    routes: pager\n' })).toEqual([
      'packs/ops/actions/n.yaml:4: notify.on-sucess: not a notify event (expected on-complete, on-success, on-failure)',
      'packs/ops/actions/n.yaml:6: notify.on-failure.routes: expected a list of route names',
    ]);
  });

  it("registers a workflow whose definition has problems, as st2 does, warning of each at the definition's file, line and path", async () => {
    const { dir, root } = pack({
      'actions/flow.yaml': 'name: flow\nrunner_type: orquesta\nentry_point: workflows/flow.yaml\n',
      'actions/workflows/flow.yaml': 'version: 1.0\ntasks:\n  one:\n    action: core.echo message=<% ctx().nope %>\n    next:\n      - do: two\n',
      'actions/chain.yaml': 'name: chain\nrunner_type: action-chain\nentry_point: chains/chain.yaml\n',
      'actions/chains/chain.yaml': 'chain:\n  - name: one\n    ref: core.noop\n    on-failure: three\n',
    });
    const { actions, problems, warnings } = await loadActions(dir, 'ops', root);
    expect(problems).toEqual([]);
    expect(actions.map((a) => a.ref)).toEqual(['ops.chain', 'ops.flow']);
    expect(warnings.map(formatProblem)).toEqual([
      'packs/ops/actions/chains/chain.yaml:4: chain[0].on-failure: Unable to find node with name "three" referenced in "on-failure" in task "one".',
      'packs/ops/actions/workflows/flow.yaml:4: tasks.one.input: Variable "nope" is referenced before assignment.',
      'packs/ops/actions/workflows/flow.yaml:6: tasks.one.next[0].do: The task "two" is not defined.',
    ]);
  });

  it('still refuses a workflow action whose metadata is wrong, without inspecting its definition', async () => {
    expect(await problemsOf({ 'actions/flow.yaml': 'name: flow\npack: other\nrunner_type: orquesta\nentry_point: workflows/flow.yaml\n', 'actions/workflows/flow.yaml': 'version: 1.0\ntasks:\n  one:\n    next:\n      - do: two\n' })).toEqual([
      'packs/ops/actions/flow.yaml:2: pack: names pack "other", but the file is in pack "ops"',
    ]);
  });

  it('registers a workflow whose tasks name actions of packs not registered (yet): st2 checks them when inspecting and running, not when registering', async () => {
    expect(await problemsOf({ 'actions/flow.yaml': 'name: flow\nrunner_type: orquesta\nentry_point: workflows/flow.yaml\n', 'actions/workflows/flow.yaml': 'version: 1.0\ntasks:\n  one:\n    action: elsewhere.later\n    input: {x: 1}\n' })).toEqual([]);
  });

  it('leaves a Mistral workflow (a retired runner, refused when run) to say so when run', async () => {
    expect(await problemsOf({ 'actions/old.yaml': 'name: old\nrunner_type: mistral-v2\nentry_point: workflows/old.yaml\n', 'actions/workflows/old.yaml': "version: '2.0'\nops.old:\n  tasks:\n    one:\n      action: core.noop\n" })).toEqual([]);
  });

  it('registers a valid StackStorm workflow that uses what Tempest does not implement yet (running it says so)', async () => {
    expect(await problemsOf({ 'actions/flow.yaml': 'name: flow\nrunner_type: orquesta\nentry_point: workflows/flow.yaml\n', 'actions/workflows/flow.yaml': 'version: 1.0\ntasks:\n  one:\n    action: core.noop\noutput:\n  - m: <% regex_match("a", "b") %>\n' })).toEqual([]);
  });

  it('lets an action override only what StackStorm allows on a runner parameter', async () => {
    expect(await problemsOf({ 'actions/c.yaml': 'name: c\nrunner_type: local-shell-cmd\nparameters:\n  cmd: {default: uptime, immutable: true}\n' })).toEqual([]);
    expect(await problemsOf({ 'actions/c.yaml': 'name: c\nrunner_type: local-shell-cmd\nparameters:\n  timeout:\n    type: string\n' })).toEqual([
      'packs/ops/actions/c.yaml:5: parameters.timeout: overrides runner parameter timeout of local-shell-cmd: only default, enum, immutable, required, description, secret may change, not type',
    ]);
    // StackStorm's http-request runner has no body, method nor timeout: its actions declare them, as core.http does.
    expect(await problemsOf({ 'actions/h.yaml': 'name: h\nrunner_type: http-request\nparameters:\n  body: {type: string}\n  timeout: {type: integer, default: 60}\n' })).toEqual([]);
    expect(await problemsOf({ 'actions/h.yaml': 'name: h\nrunner_type: http-request\nparameters:\n  url: {type: object}\n' })).toEqual([
      'packs/ops/actions/h.yaml:4: parameters.url: overrides runner parameter url of http-request: only default, enum, immutable, required, description, secret may change, not type',
    ]);
  });

  it('refuses an action that claims another pack, and two actions with one name', async () => {
    expect(await problemsOf({ 'actions/d.yaml': 'name: d\npack: core\nrunner_type: noop\n' })).toEqual([
      'packs/ops/actions/d.yaml:2: pack: names pack "core", but the file is in pack "ops"',
    ]);
    expect(await problemsOf({ 'actions/e1.yaml': 'name: e\nrunner_type: noop\n', 'actions/e2.yaml': 'name: e\nrunner_type: noop\n' })).toEqual([
      'packs/ops/actions/e2.yaml: name: "e" is also the name of the action in actions/e1.yaml',
    ]);
  });
});
