import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { loadActions } from './action-loader';
import { loadPack } from './pack-loader';
import { loadPolicies } from './policy-loader';
import { loadRules } from './rule-loader';
import { loadSensors } from './sensor-loader';
import { loadTriggerTypes } from './trigger-loader';
import { formatProblem } from './yaml-file';

// StackStorm's own packs, copied unchanged from github:StackStorm/st2 contrib/ (see fixtures/stackstorm/README.md).
const root = join(__dirname, '..', 'fixtures', 'stackstorm');

/** What of a pack registers, kind by kind, and every problem (file:line: field: message) that refuses something. */
async function contentOf(ref: string) {
  const dir = join(root, ref);
  const { actions, problems: actionProblems } = await loadActions(dir, ref, root);
  const { policies, problems: policyProblems } = await loadPolicies(dir, ref, actions.map((a) => a.ref), root);
  const { triggerTypes, problems: triggerProblems } = await loadTriggerTypes(dir, ref, root);
  const { sensors, problems: sensorProblems } = await loadSensors(dir, ref, root, triggerTypes);
  const { rules, problems: ruleProblems } = await loadRules(dir, ref, root);
  return {
    actions,
    actionFiles: readdirSync(join(dir, 'actions')).filter((f) => f.endsWith('.yaml')).length,
    counts: { actions: actions.length, policies: policies.length, triggerTypes: triggerTypes.length, sensors: sensors.length, rules: rules.length },
    refused: [...actionProblems, ...policyProblems, ...triggerProblems, ...sensorProblems, ...ruleProblems].map(formatProblem),
  };
}

const byRunner = (actions: { runnerType: string }[]) => actions.reduce<Record<string, number>>((count, a) => ({ ...count, [a.runnerType]: (count[a.runnerType] ?? 0) + 1 }), {});

// Still refused, for issue 12: Python sensors.
const pythonSensor = (file: string) => expect.stringMatching(new RegExp(`^${file.replace(/[./]/g, '\\$&')}:\\d+: entry_point: Tempest runs sensors written in TypeScript or JavaScript`));

describe("StackStorm's own packs", () => {
  it('registers every core action, inquiries, announcements and WinRM included', async () => {
    const core = await contentOf('core');
    expect(core.refused).toEqual([]);
    expect(core.counts.actions).toBe(core.actionFiles);
    // StackStorm's http-request runner has no body nor timeout: core.http declares them, its own way.
    expect(core.actions.find((a) => a.name === 'http')?.parameters).toMatchObject({ body: { type: 'string' }, timeout: { type: 'number', default: 60 } });
    expect(byRunner(core.actions)).toMatchObject({ inquirer: 1, announcement: 1, 'winrm-cmd': 1, 'winrm-ps-cmd': 1 });
  });

  it('registers every linux action, its action-chain workflow included', async () => {
    const linux = await contentOf('linux');
    expect(linux.actions.find((a) => a.name === 'diag_loadavg')).toMatchObject({ runnerType: 'action-chain', entryPoint: 'workflows/diag_loadavg.yaml' });
    expect(linux.counts.actions).toBe(linux.actionFiles);
    expect(linux.refused).toEqual([pythonSensor('linux/sensors/file_watch_sensor.yaml')]);
  });

  it('registers every examples action, its 66 Orquesta and 21 ActionChain workflows included', async () => {
    const examples = await contentOf('examples');
    expect(examples.refused).toEqual([
      pythonSensor('examples/sensors/echo_flask_app.yaml'),
      pythonSensor('examples/sensors/fibonacci_sensor.yaml'),
      pythonSensor('examples/sensors/sample_polling_sensor.yaml'),
      pythonSensor('examples/sensors/sample_sensor.yaml'),
    ]);
    expect(examples.counts).toEqual({ actions: examples.actionFiles, policies: 0, triggerTypes: 1, sensors: 0, rules: 6 });
    expect(byRunner(examples.actions)).toMatchObject({ orquesta: 66, 'action-chain': 21, 'winrm-cmd': 1, 'winrm-ps-cmd': 1, 'winrm-ps-script': 1 });
    expect(examples.actions.find((a) => a.name === 'orquesta-basic')).toMatchObject({ entryPoint: 'workflows/orquesta-basic.yaml', parameters: { cmd: { required: true, type: 'string' } } });
  });

  it('refuses no pack whole for a runner Tempest does not run yet', async () => {
    const problems = async (ref: string) => {
      const loaded = await loadPack(join(root, ref), root, join(root, 'configs'));
      return Array.isArray(loaded) ? loaded.map(formatProblem).filter((p) => p.includes('runner_type')) : [];
    };
    expect([...(await problems('core')), ...(await problems('linux')), ...(await problems('examples'))]).toEqual([]);
  });
});
