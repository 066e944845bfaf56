import { RUNNER_TYPES } from '@tempest/domain';
import { RUNNERS } from './execution.activities';

// The gateway refuses to start an action whose runner type is not `available`: the worker must run exactly those,
// workflow runners (orquesta, action-chain) as the workflow conductedWorkflow, every other with a runner of RUNNERS.
describe('RUNNERS', () => {
  it('runs every runner type the domain calls available that is not a workflow, and no other', () => {
    expect(Object.keys(RUNNERS).sort()).toEqual(RUNNER_TYPES.filter((r) => r.available && !r.workflow).map((r) => r.name).sort());
  });

  it('leaves to conductedWorkflow exactly the workflow runners it conducts', () => {
    expect(RUNNER_TYPES.filter((r) => r.available && r.workflow).map((r) => r.name).sort()).toEqual(['action-chain', 'orquesta']);
  });
});
