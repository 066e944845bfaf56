import { RUNNER_TYPES } from '@tempest/domain';
import { RUNNERS } from './execution.activities';

// The gateway refuses to start an action whose runner type is not `available`: the worker must run exactly those,
// workflow runners (orquesta, action-chain) as the workflow conductedWorkflow, every other with a runner of RUNNERS.
describe('RUNNERS', () => {
  it('runs every runner type the domain calls available that has no workflow of its own, and no other', () => {
    expect(Object.keys(RUNNERS).sort()).toEqual(RUNNER_TYPES.filter((r) => r.available && !r.workflow && !r.executionWorkflow).map((r) => r.name).sort());
  });

  it('leaves the inquirer to inquiryExecution: nothing runs, the workflow waits for a response', () => {
    expect(RUNNER_TYPES.filter((r) => r.executionWorkflow).map((r) => [r.name, r.executionWorkflow])).toEqual([['inquirer', 'inquiryExecution']]);
  });

  it('leaves to conductedWorkflow exactly the workflow runners it conducts', () => {
    expect(RUNNER_TYPES.filter((r) => r.available && r.workflow).map((r) => r.name).sort()).toEqual(['action-chain', 'orquesta']);
  });
});
