import { executionWorkflowType, RUNNER_TYPES } from '@tempest/domain';
import { RUNNERS } from './execution.activities';

// The gateway refuses to start an action whose runner type is not `available`: the worker must run exactly those,
// workflow runners (orquesta, action-chain) as the workflow conductedWorkflow, a pack's TypeScript workflow as
// packWorkflow, every other with a runner of RUNNERS.
describe('RUNNERS', () => {
  it('runs every runner type the domain calls available that has no workflow of its own, and no other', () => {
    expect(Object.keys(RUNNERS).sort()).toEqual(RUNNER_TYPES.filter((r) => r.available && !r.workflow && !r.executionWorkflow).map((r) => r.name).sort());
  });

  it('leaves the inquirer to inquiryExecution (the workflow waits for a response) and a pack\'s TypeScript workflow to packWorkflow', () => {
    expect(RUNNER_TYPES.filter((r) => r.executionWorkflow).map((r) => [r.name, r.executionWorkflow])).toEqual([['temporal-workflow', 'packWorkflow'], ['inquirer', 'inquiryExecution']]);
  });

  it('leaves to conductedWorkflow exactly the workflow runners it conducts', () => {
    expect(RUNNER_TYPES.filter((r) => r.available && executionWorkflowType(r.name) === 'conductedWorkflow').map((r) => r.name).sort()).toEqual(['action-chain', 'orquesta']);
  });
});
