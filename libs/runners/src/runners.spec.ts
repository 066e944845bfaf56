import { RUNNER_TYPES } from '@tempest/domain';
import { RUNNERS } from './execution.activities';

// The gateway refuses to start an action whose runner type is not `available`: the worker must run exactly those.
describe('RUNNERS', () => {
  it('runs every runner type the domain calls available, and no other', () => {
    expect(Object.keys(RUNNERS).sort()).toEqual(RUNNER_TYPES.filter((r) => r.available).map((r) => r.name).sort());
  });
});
