import { executionWorkflowType, findRunnerType, RUNNER_TYPES, runnerUnavailableReason } from './runner-types';

describe('runner types', () => {
  it("names every runner type StackStorm's contrib/runners has, once", () => {
    const names = RUNNER_TYPES.flatMap((r) => [r.name, ...(r.aliases ?? [])]);
    expect(new Set(names).size).toBe(names.length);
    expect(names).toEqual(
      expect.arrayContaining([
        ...['local-shell-cmd', 'local-shell-script', 'remote-shell-cmd', 'remote-shell-script', 'python-script', 'http-request', 'noop'],
        ...['orquesta', 'orchestra', 'action-chain', 'inquirer', 'announcement', 'winrm-cmd', 'winrm-ps-cmd', 'winrm-ps-script'],
      ]),
    );
  });

  it('finds a runner type by an alias', () => {
    expect(findRunnerType('orchestra')?.name).toBe('orquesta');
  });

  it('says why an action cannot run: its runner comes later, StackStorm retired it, or no such runner exists', () => {
    expect(runnerUnavailableReason('local-shell-cmd')).toBeUndefined();
    expect(runnerUnavailableReason('orquesta')).toBeUndefined();
    expect(runnerUnavailableReason('inquirer')).toBeUndefined();
    expect(runnerUnavailableReason('announcement')).toBeUndefined();
    expect(runnerUnavailableReason('winrm-cmd')).toMatch(/^runner "winrm-cmd" is not available in this Tempest yet \(it runs: local-shell-cmd, local-shell-script, .*noop, temporal-workflow, orquesta, action-chain, inquirer, announcement\)$/);
    expect(runnerUnavailableReason('mistral-v2')).toMatch(/^runner "mistral-v2" is not available in Tempest: StackStorm removed it in 3\.3; port the workflow to orquesta \(it runs: /);
    expect(runnerUnavailableReason('nonesuch')).toMatch(/^runner "nonesuch" is not a runner type Tempest knows \(it runs: /);
  });

  it('runs each execution as its workflow: a runner, a conductor, or a pack\'s TypeScript workflow', () => {
    expect(['local-shell-cmd', 'orquesta', 'orchestra', 'action-chain', 'temporal-workflow'].map(executionWorkflowType)).toEqual(['actionExecution', 'conductedWorkflow', 'conductedWorkflow', 'conductedWorkflow', 'packWorkflow']);
  });
});
