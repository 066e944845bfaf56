import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { loadActions } from './action-loader';
import { loadAliases } from './alias-loader';
import { loadPack } from './pack-loader';
import { loadPolicies } from './policy-loader';
import { loadRules } from './rule-loader';
import { loadSensors } from './sensor-loader';
import { loadTriggerTypes } from './trigger-loader';
import { formatProblem } from './yaml-file';

// StackStorm's own packs, copied unchanged from github:StackStorm/st2 contrib/ (see fixtures/stackstorm/README.md).
const root = join(__dirname, '..', 'fixtures', 'stackstorm');

/** What of a pack registers, kind by kind, every problem (file:line: field: message) that refuses something, and every warning of what registers but fails when run. */
async function contentOf(ref: string) {
  const dir = join(root, ref);
  const { actions, problems: actionProblems, warnings } = await loadActions(dir, ref, root);
  const { policies, problems: policyProblems } = await loadPolicies(dir, ref, actions.map((a) => a.ref), root);
  const { triggerTypes, problems: triggerProblems } = await loadTriggerTypes(dir, ref, root);
  const { sensors, problems: sensorProblems } = await loadSensors(dir, ref, root, triggerTypes);
  const { rules, problems: ruleProblems } = await loadRules(dir, ref, root);
  const { aliases, problems: aliasProblems } = await loadAliases(dir, ref, root);
  return {
    actions,
    actionFiles: readdirSync(join(dir, 'actions')).filter((f) => f.endsWith('.yaml')).length,
    counts: { actions: actions.length, policies: policies.length, triggerTypes: triggerTypes.length, sensors: sensors.length, rules: rules.length, aliases: aliases.length },
    warnings: warnings.map(formatProblem),
    refused: [...actionProblems, ...policyProblems, ...triggerProblems, ...sensorProblems, ...ruleProblems, ...aliasProblems].map(formatProblem),
  };
}

const byRunner = (actions: { runnerType: string }[]) => actions.reduce<Record<string, number>>((count, a) => ({ ...count, [a.runnerType]: (count[a.runnerType] ?? 0) + 1 }), {});

describe("StackStorm's own packs", () => {
  it('registers every core action, inquiries, announcements and WinRM included', async () => {
    const core = await contentOf('core');
    expect(core.refused).toEqual([]);
    expect(core.warnings).toEqual([]);
    expect(core.counts.actions).toBe(core.actionFiles);
    // StackStorm's http-request runner has no body nor timeout: core.http declares them, its own way.
    expect(core.actions.find((a) => a.name === 'http')?.parameters).toMatchObject({ body: { type: 'string' }, timeout: { type: 'number', default: 60 } });
    expect(byRunner(core.actions)).toMatchObject({ inquirer: 1, announcement: 1, 'winrm-cmd': 1, 'winrm-ps-cmd': 1 });
  });

  it('registers every linux action, its action-chain workflow and its Python sensor included', async () => {
    const linux = await contentOf('linux');
    expect(linux.actions.find((a) => a.name === 'diag_loadavg')).toMatchObject({ runnerType: 'action-chain', entryPoint: 'workflows/diag_loadavg.yaml' });
    expect(linux.counts.actions).toBe(linux.actionFiles);
    expect(linux.refused).toEqual([]);
    expect(linux.warnings).toEqual([]);
    expect(linux.counts.sensors).toBe(1);
  });

  it('registers every examples action, its 68 Orquesta and 21 ActionChain workflows included, warning of the four whose definition fails inspection', async () => {
    const examples = await contentOf('examples');
    expect(examples.refused).toEqual([]);
    // As st2, which registers them and inspects a definition when it runs: each run fails with these (conductor.activities).
    expect(examples.warnings).toEqual([
      // Made to fail: st2's action-chain runner refuses a link to a missing task before running (ChainHolder.validate).
      'examples/actions/chains/echochain_task_failure.yaml:9: chain[0].on-failure: Unable to find node with name "c4" referenced in "on-failure" in task "c1".',
      'examples/actions/chains/echochain_top_level_failure.yaml:9: chain[0].on-failure: Unable to find node with name "c4" referenced in "on-failure" in task "c1".',
      // Made to fail st2's inspection: the three errors st2's openapi.yaml gives as its example answer.
      'examples/actions/workflows/tests/orquesta-fail-inspection.yaml:10: tasks.task1.input: Variable "foobar" is referenced before assignment.',
      "examples/actions/workflows/tests/orquesta-fail-inspection.yaml:20: tasks.task2.next[0].when: Parse error: unexpected '<' at position 0 of expression '<% succeeded()'",
      'examples/actions/workflows/tests/orquesta-fail-inspection.yaml:18: tasks.task2.input: The input must be a non-empty mapping or an inline string.',
      // Not a definition problem but YAML: a quoted scalar's last line, `    }}'`, is not indented past its key as YAML 1.2
      // requires; PyYAML lets it through, the `yaml` library (no option relaxes its lexer) and js-yaml do not.
      "examples/actions/workflows/tests/orquesta-test-jinja-data-functions.yaml:30: YAML: Missing closing 'quote at line 30, column 25:",
    ]);
    expect(examples.counts).toEqual({ actions: examples.actionFiles, policies: 0, triggerTypes: 1, sensors: 4, rules: 6, aliases: 1 });
    expect(byRunner(examples.actions)).toMatchObject({ orquesta: 66, 'action-chain': 21, 'winrm-cmd': 1, 'winrm-ps-cmd': 1, 'winrm-ps-script': 1 });
    expect(examples.actions.find((a) => a.name === 'orquesta-basic')).toMatchObject({ entryPoint: 'workflows/orquesta-basic.yaml', parameters: { cmd: { required: true, type: 'string' } } });
    expect(examples.actions.find((a) => a.name === 'orquesta-fail-inspection')).toMatchObject({ runnerType: 'orquesta', entryPoint: 'workflows/tests/orquesta-fail-inspection.yaml' });
  });

  it('refuses no pack whole for a runner Tempest does not run yet', async () => {
    const problems = async (ref: string) => {
      const loaded = await loadPack(join(root, ref), root, join(root, 'configs'));
      return Array.isArray(loaded) ? loaded.map(formatProblem).filter((p) => p.includes('runner_type')) : [];
    };
    expect([...(await problems('core')), ...(await problems('linux')), ...(await problems('examples'))]).toEqual([]);
  });
});
