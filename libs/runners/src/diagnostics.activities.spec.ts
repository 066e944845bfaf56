import { MockActivityEnvironment } from '@temporalio/testing';
import { createDiagnosticsActivities } from './diagnostics.activities';

describe(createDiagnosticsActivities.name, () => {
  it('describes the worker process and the queue the activity ran on', async () => {
    const sut = createDiagnosticsActivities('tempest-worker@host:1');
    const env = new MockActivityEnvironment({ taskQueue: 'tempest-actions' });
    expect(await env.run(sut.describeWorker)).toEqual({ identity: 'tempest-worker@host:1', pid: process.pid, taskQueue: 'tempest-actions' });
  });
});
